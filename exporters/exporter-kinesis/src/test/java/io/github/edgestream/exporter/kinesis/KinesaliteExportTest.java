package io.github.edgestream.exporter.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kinesis.model.Record;

/** End to end through the SDK into kinesalite, read back with the {@link Kinesalite} fixture. */
class KinesaliteExportTest {

    private static final StreamName STREAM = StreamName.of("sensors");

    private static Kinesalite kinesalite;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeAll
    static void startKinesalite() {
        kinesalite = Kinesalite.start();
    }

    @AfterAll
    static void stopKinesalite() {
        if (kinesalite != null) {
            kinesalite.close();
        }
    }

    // One shard keeps the order Kinesis gives: the order of the calls, then of the records in a call.
    @Test
    void threeBatchesArriveInOrderEachRecordWithItsOwnRandomUuidKey() throws Exception {
        kinesalite.createStream("in-order", 1);
        var sent = new ArrayList<byte[]>();
        try (var exporter = exporter("in-order")) {
            for (var batch : List.of(batch(0, 3), batch(3, 1), batch(4, 5))) {
                assertThat(exporter.export(batch)).isEqualTo(ExportResult.DELIVERED);
                batch.messages().forEach(message -> sent.add(message.payload()));
            }
        }

        List<Record> records = kinesalite.readAll("in-order");

        assertThat(records).extracting(record -> record.data().asUtf8String())
                .containsExactlyElementsOf(sent.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        var keys = records.stream().map(Record::partitionKey).toList();
        assertThat(keys).doesNotHaveDuplicates()
                .allSatisfy(key -> assertThat(UUID.fromString(key).toString()).isEqualTo(key));
    }

    // Random keys are what spread a stream's records over the shards.
    @Test
    void recordsSpreadOverTheShards() throws Exception {
        kinesalite.createStream("four-shards", 4);
        try (var exporter = exporter("four-shards")) {
            assertThat(exporter.export(batch(0, 100))).isEqualTo(ExportResult.DELIVERED);
        }

        var byShard = kinesalite.readByShard("four-shards");

        assertThat(byShard).hasSize(4);
        assertThat(byShard.values().stream().mapToInt(List::size).sum()).isEqualTo(100);
        // all 100 on one shard would take 100 keys hashing into one quarter of the key space: p = 4^-99
        assertThat(byShard.values().stream().filter(records -> !records.isEmpty())).hasSizeGreaterThan(1);
    }

    // 5 records of 1 MiB - 36 payload bytes: exactly 5 MiB with their keys, one call.
    @Test
    void aCallAtTheByteLimitsArrivesIntact() throws Exception {
        kinesalite.createStream("large", 1);
        int max = (int) KinesisExporterConfig.LIMITS.maxMessageBytes();
        var messages = new ArrayList<Message>();
        for (int i = 0; i < 5; i++) {
            byte[] payload = new byte[max];
            Arrays.fill(payload, (byte) ('a' + i));
            messages.add(new Message(i, clock.millis(), payload));
        }
        try (var exporter = exporter("large")) {
            assertThat(exporter.export(new Batch(STREAM, "to-kinesis", messages, 1)))
                    .isEqualTo(ExportResult.DELIVERED);
        }

        var records = kinesalite.readAll("large");

        assertThat(records).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(records.get(i).data().asByteArrayUnsafe()).isEqualTo(messages.get(i).payload());
        }
    }

    // A missing stream is a configuration problem: retry (nothing skipped) and say which stream.
    @Test
    void aMissingStreamMeansRetryNamingTheStream() throws Exception {
        try (var exporter = exporter("no-such-stream")) {
            var result = exporter.export(batch(0, 2));

            assertThat(result).isInstanceOf(ExportResult.Retry.class);
            assertThat(((ExportResult.Retry) result).reason()).contains("Kinesis stream \"no-such-stream\"",
                    "ResourceNotFoundException", "create the Kinesis stream");
        }
    }

    private Exporter exporter(String kinesisStream) {
        var provider = new KinesisExporterProvider(Optional.of(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("kinesalite", "kinesalite"))));
        var destination = new DestinationSettings(Optional.of(kinesalite.endpoint()), Optional.of("us-east-1"),
                Duration.ofSeconds(10));
        return provider.create(new ExportConfig.Kinesis(ExportSettings.of("to-kinesis"), kinesisStream),
                new ExporterContext(STREAM, destination, clock));
    }

    private Batch batch(int first, int count) {
        var messages = new ArrayList<Message>();
        for (int i = first; i < first + count; i++) {
            messages.add(new Message(i, clock.millis(), ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return new Batch(STREAM, "to-kinesis", messages, 1);
    }
}
