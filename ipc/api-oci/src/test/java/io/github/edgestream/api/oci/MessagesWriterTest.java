package io.github.edgestream.api.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.model.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GetMessages' hand-written JSON is what a JSON library reads back, field for field, whatever the sizes and names. */
class MessagesWriterTest {

    private static Message message(long offset, long micros, byte[] key, byte[] value) {
        return new Message(offset, micros / 1000, micros, key, List.of(), value);
    }

    @Test
    void everyFieldReadsBackThroughJackson() throws Exception {
        byte[] big = new byte[100_000];
        new java.util.Random(7).nextBytes(big);
        long t = Instant.parse("2026-12-05T10:00:59.999Z").toEpochMilli() * 1000 + 123;
        List<MessageOperations.Batch> batches = List.of(
                new MessageOperations.Batch(2, List.of(message(7, t, "k\"ey".getBytes(StandardCharsets.UTF_8),
                        "v1".getBytes(StandardCharsets.UTF_8)), message(8, t + 1000, Message.NO_KEY, new byte[0]))),
                new MessageOperations.Batch(0, List.of(message(Long.MAX_VALUE, t + 2000, Message.NO_KEY, big))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new MessagesWriter(out).write("name \"quoted\" événement\n", batches);

        JsonNode read = new ObjectMapper().readTree(out.toByteArray());
        assertThat(read).hasSize(3);
        assertThat(read.get(0).get("stream").asText()).isEqualTo("name \"quoted\" événement\n");
        assertThat(read.get(0).get("partition").asText()).isEqualTo("2");
        assertThat(Base64.getDecoder().decode(read.get(0).get("key").asText())).isEqualTo(
                "k\"ey".getBytes(StandardCharsets.UTF_8));
        assertThat(read.get(0).get("value").asText()).isEqualTo("djE=");
        assertThat(read.get(0).get("offset").asLong()).isEqualTo(7);
        assertThat(read.get(0).get("timestamp").asText()).isEqualTo("2026-12-05T10:00:59.999Z");
        assertThat(read.get(1).get("key").isNull()).isTrue();
        assertThat(read.get(1).get("value").asText()).isEmpty();
        assertThat(read.get(1).get("timestamp").asText()).isEqualTo("2026-12-05T10:01:00.000Z");
        assertThat(read.get(2).get("partition").asText()).isEqualTo("0");
        assertThat(read.get(2).get("offset").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(Base64.getDecoder().decode(read.get(2).get("value").asText())).isEqualTo(big);
        assertThat(read.get(2).get("timestamp").asText()).isEqualTo("2026-12-05T10:01:00.001Z");
    }

    @Test
    void anEmptyPageIsAnEmptyArray() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MessagesWriter(out).write("s", List.of());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    @Test
    void timesAreRfc3339WithMillisecondsAcrossSecondsAndBeforeTheEpoch() {
        for (String text : List.of("2026-12-05T10:00:00.000Z", "2026-12-05T10:00:00.001Z", "1969-12-31T23:59:59.999Z",
                "2026-12-05T23:59:59.500Z", "1970-01-01T00:00:00.000Z")) {
            long micros = Instant.parse(text).toEpochMilli() * 1000 + 999;
            assertThat(OciResponseEncoder.timeMicros(micros)).isEqualTo(text);
            assertThat(OciResponseEncoder.timeMicros(micros)).as("cached").isEqualTo(text);
        }
    }
}
