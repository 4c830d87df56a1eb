package io.github.edgestream.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestBuilderTest {

    private static final StreamName TELEMETRY = StreamName.of("telemetry");

    // The worked example of HttpRequestBuilder's Javadoc, byte for byte.
    @Test
    void jsonBodyOfTheWorkedExampleIsTheDocumentedBytes() {
        var messages = List.of(
                new Message(5, 1767225600000L, new byte[] {0x68, 0x69}),
                new Message(6, 1767225600001L, new byte[] {(byte) 0xFF, 0x00}));

        byte[] body = concat(HttpRequestBuilder.jsonPieces(TELEMETRY, messages));

        assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo(
                "[{\"streamName\":\"telemetry\",\"sequenceNumber\":5,\"ingestTime\":1767225600000,"
                + "\"payload\":\"aGk=\"},"
                + "{\"streamName\":\"telemetry\",\"sequenceNumber\":6,\"ingestTime\":1767225600001,"
                + "\"payload\":\"/wA=\"}]");
        assertThat(body).hasSize(181);
        assertThat(HttpRequestBuilder.jsonLength(TELEMETRY, messages)).isEqualTo(181);
    }

    // Content-Length is announced before the body is produced; a wrong length fails the request.
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 1000, 65537})
    void jsonLengthIsExactForEveryPayloadLength(int payloadLength) {
        var messages = new ArrayList<Message>();
        for (int i = 0; i < 3; i++) {
            byte[] payload = new byte[payloadLength + i];
            payload[0] = (byte) i;
            messages.add(new Message(Long.MAX_VALUE - 3 + i, i * 1_000_000_000_000L, payload));
        }
        var stream = StreamName.of("name with spaces, dots. and-dashes_");

        byte[] body = concat(HttpRequestBuilder.jsonPieces(stream, messages));

        assertThat(HttpRequestBuilder.jsonLength(stream, messages)).isEqualTo(body.length);
    }

    @Test
    void jsonBodyParsesAsTheProtocolsMessagesInKeyOrderWithBase64Payloads() throws Exception {
        var messages = List.of(new Message(0, 1, "{\"quoted\":\"json\"}\n".getBytes(StandardCharsets.UTF_8)),
                new Message(9, 2, new byte[] {0, -1, 127, -128, 10, 13, 34, 92}));

        var array = new ObjectMapper().readTree(concat(HttpRequestBuilder.jsonPieces(TELEMETRY, messages)));

        assertThat(array.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            var node = array.get(i);
            var keys = new ArrayList<String>();
            node.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("streamName", "sequenceNumber", "ingestTime", "payload");
            assertThat(node.get("streamName").asText()).isEqualTo("telemetry");
            assertThat(node.get("sequenceNumber").asLong()).isEqualTo(messages.get(i).sequenceNumber());
            assertThat(node.get("ingestTime").asLong()).isEqualTo(messages.get(i).ingestTimeEpochMillis());
            assertThat(Base64.getDecoder().decode(node.get("payload").asText()))
                    .isEqualTo(messages.get(i).payload());
        }
    }

    // The body is re-generated on each subscription, so a re-sent request carries the same bytes.
    @Test
    void jsonPiecesCanBeIteratedAgain() {
        var messages = List.of(new Message(1, 1, new byte[] {1, 2, 3}));
        var pieces = HttpRequestBuilder.jsonPieces(TELEMETRY, messages);

        assertThat(concat(pieces)).isEqualTo(concat(pieces));
    }

    private static byte[] concat(Iterable<byte[]> pieces) {
        var out = new ByteArrayOutputStream();
        pieces.forEach(piece -> out.write(piece, 0, piece.length));
        return out.toByteArray();
    }
}
