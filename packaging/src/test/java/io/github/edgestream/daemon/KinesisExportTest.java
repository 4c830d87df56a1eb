package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.exporter.kinesis.Kinesalite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * End to end, as on a gateway: a component using the official JavaScript client creates a stream exporting to
 * Kinesis and appends to it; the daemon ships the messages to a Kinesis endpoint (kinesalite on loopback, chosen
 * with {@code exporter.kinesis.endpoint}); the test reads the records back with the AWS SDK.
 */
class KinesisExportTest {

    private static Kinesalite kinesalite;

    @TempDir
    Path root;

    @BeforeAll
    static void startKinesis() {
        kinesalite = Kinesalite.start();
    }

    @AfterAll
    static void stopKinesis() {
        kinesalite.close();
    }

    @Test
    void messagesAppendedWithTheOfficialClientArriveInKinesisInOrderAndDescribeReportsThem() throws Exception {
        kinesalite.createStream("plant-telemetry", 1);
        String token = "token-" + UUID.randomUUID();
        Path config = root.resolve("edgestream.yaml");
        Files.writeString(config, """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                exporter:
                  region: us-east-1
                  kinesis:
                    endpoint: %s
                """.formatted(root.resolve("data"), kinesalite.endpoint()));

        try (Daemon daemon = Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config), Map.of()),
                Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", token))) {
            var run = OfficialJsClient.run(Duration.ofMinutes(2), daemon.port(), token, "kinesis-producer.js",
                    "telemetry", "plant-telemetry", "200", "50");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.line("appended")).isEqualTo("0 199");
            var status = new ObjectMapper().readTree(run.line("status"));
            assertThat(status.get("exportConfigIdentifier").asText()).isEqualTo("to-kinesis");
            assertThat(status.get("lastExportedSequenceNumber").asLong()).isEqualTo(199);
            assertThat(status.get("exportedMessagesCount").asLong()).isEqualTo(200);
            assertThat(status.get("lastExportTime").asLong()).isPositive();
            assertThat(status.has("errorMessage")).isFalse();

            List<Record> records = kinesalite.readAll("plant-telemetry");
            assertThat(records).hasSize(200);
            long bytes = 0;
            for (int i = 0; i < 200; i++) {
                String data = records.get(i).data().asString(StandardCharsets.UTF_8);
                assertThat(data).startsWith("{\"reading\":" + i + ",");
                bytes += records.get(i).data().asByteArray().length;
            }
            assertThat(status.get("exportedBytesFromStream").asLong()).isEqualTo(bytes);
            var partitionKeys = new HashSet<String>();
            records.forEach(record -> partitionKeys.add(record.partitionKey()));
            assertThat(partitionKeys).hasSize(200).allSatisfy(key -> UUID.fromString(key));
        }
    }
}
