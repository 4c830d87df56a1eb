package io.github.edgestream.exporter.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

class KinesisRequestBuilderTest {

    private static final int MAX_PAYLOAD = 1024 * 1024 - 36;

    private final KinesisRequestBuilder builder =
            new KinesisRequestBuilder("orders", KinesisRequestBuilder.randomUuids());

    // BatchLimits counts payload bytes; Kinesis counts data plus partition key (a 36-byte UUID string).
    @Test
    void limitsAreKinesisLimitsLessThePartitionKeys() {
        assertThat(KinesisExporterConfig.LIMITS)
                .isEqualTo(new BatchLimits(500, 1_048_576 - 36, 5_242_880 - 500 * 36));
    }

    @ParameterizedTest(name = "a payload of {0} bytes is sent: {1}")
    @CsvSource({"0, true", "1, true", "1048540, true", "1048541, false"})
    void aRecordHoldsAtMost1MiBOfDataAndPartitionKey(int payloadBytes, boolean sent) {
        var request = builder.build(batch(payloadBytes));

        assertThat(request.call().isPresent()).isEqualTo(sent);
        if (sent) {
            assertThat(request.sequenceNumbers()).containsExactly(0L);
            assertThat(request.call().get().records().get(0).data().asByteArrayUnsafe()).hasSize(payloadBytes);
            assertThat(request.refused()).isEmpty();
        } else {
            // it can never be delivered: refused for good, with the sizes that tell why
            var rejection = request.refused().get(0L);
            assertThat(rejection.retryable()).isFalse();
            assertThat(rejection.reason()).contains("message 0 is 1048541 bytes", "1048577 bytes",
                    "limit of 1048576 bytes", "at most 1048540 payload bytes");
        }
    }

    @ParameterizedTest(name = "{0} messages: {1} sent")
    @CsvSource({"1, 1", "2, 2", "500, 500", "501, 500"})
    void aCallHoldsAtMost500Records(int messages, int expectedSent) {
        var request = builder.build(batch(IntStream.range(0, messages).map(i -> 10).toArray()));

        assertThat(request.call().get().records()).hasSize(expectedSent);
        assertThat(request.sequenceNumbers()).hasSize(expectedSent);
        if (messages > expectedSent) {
            // left for a later call, so retryable
            assertThat(request.refused()).containsOnlyKeys(500L);
            assertThat(request.refused().get(500L).retryable()).isTrue();
            assertThat(request.refused().get(500L).reason()).contains("message 500 was not sent", "500 records");
        } else {
            assertThat(request.refused()).isEmpty();
        }
    }

    // 500 records of which the payloads add up to maxBatchBytes make exactly 5 MiB with their keys.
    @ParameterizedTest(name = "payload bytes over the limit: {0}")
    @CsvSource({"0", "1"})
    void aCallHoldsAtMost5MiBOfDataAndPartitionKeys(int over) {
        long limit = KinesisExporterConfig.LIMITS.maxBatchBytes();
        int[] sizes = new int[500];
        Arrays.fill(sizes, (int) (limit / 500));
        sizes[499] += (int) (limit % 500) + over;

        var request = builder.build(batch(sizes));

        if (over == 0) {
            assertThat(request.sequenceNumbers()).hasSize(500);
            assertThat(request.refused()).isEmpty();
        } else {
            assertThat(request.sequenceNumbers()).hasSize(499);
            assertThat(request.refused()).containsOnlyKeys(499L);
            assertThat(request.refused().get(499L).retryable()).isTrue();
            assertThat(request.refused().get(499L).reason()).contains("5242880 bytes");
        }
    }

    @Test
    void fiveMessagesAtTheMessageLimitFillOneCall() {
        var request = builder.build(batch(MAX_PAYLOAD, MAX_PAYLOAD, MAX_PAYLOAD, MAX_PAYLOAD, MAX_PAYLOAD));

        assertThat(request.sequenceNumbers()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(request.refused()).isEmpty();
    }

    // The limit is on data plus key in bytes: a longer key leaves less room for the data.
    @Test
    void countsThePartitionKeysUtf8Bytes() {
        String key = "é".repeat(50); // 100 bytes in UTF-8
        var withLongKeys = new KinesisRequestBuilder("orders", () -> key);

        assertThat(withLongKeys.build(batch(1024 * 1024 - 100)).refused()).isEmpty();
        assertThat(withLongKeys.build(batch(1024 * 1024 - 99)).refused().get(0L).reason())
                .contains("100-byte partition key");
    }

    @Test
    void sendsEveryPayloadInOrderToTheStreamWithItsOwnPartitionKey() {
        var counter = new AtomicInteger();
        Supplier<String> keys = () -> "key-" + counter.getAndIncrement();
        var request = new KinesisRequestBuilder("orders", keys).build(batch(3, 1, 4));

        var call = request.call().get();
        assertThat(call.streamName()).isEqualTo("orders");
        assertThat(call.records()).extracting(PutRecordsRequestEntry::partitionKey)
                .containsExactly("key-0", "key-1", "key-2");
        assertThat(call.records()).extracting(entry -> entry.data().asUtf8String())
                .containsExactly("xxx", "x", "xxxx");
        assertThat(request.sequenceNumbers()).containsExactly(0L, 1L, 2L);
    }

    // The refused message is left out, and the entries still line up with the sequence numbers sent.
    @Test
    void anOversizedMessageIsLeftOutAndTheRestStillLineUp() {
        var request = builder.build(batch(5, MAX_PAYLOAD + 1, 7));

        assertThat(request.sequenceNumbers()).containsExactly(0L, 2L);
        assertThat(request.call().get().records()).extracting(entry -> entry.data().asByteArrayUnsafe().length)
                .containsExactly(5, 7);
        assertThat(request.refused()).containsOnlyKeys(1L);
    }

    @Test
    void randomPartitionKeysAreDistinctVersion4Uuids() {
        var keys = KinesisRequestBuilder.randomUuids();
        var seen = new HashSet<String>();
        for (int i = 0; i < 1000; i++) {
            String key = keys.get();
            assertThat(key).hasSize(36);
            assertThat(UUID.fromString(key).version()).isEqualTo(4);
            seen.add(key);
        }
        assertThat(seen).hasSize(1000);
    }

    private static Batch batch(int... payloadSizes) {
        var messages = new ArrayList<Message>();
        for (int i = 0; i < payloadSizes.length; i++) {
            messages.add(new Message(i, 0, "x".repeat(payloadSizes[i]).getBytes(StandardCharsets.US_ASCII)));
        }
        return new Batch(StreamName.of("local"), "to-orders", List.copyOf(messages), 1);
    }
}
