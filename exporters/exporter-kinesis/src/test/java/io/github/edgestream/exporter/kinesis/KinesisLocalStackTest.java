package io.github.edgestream.exporter.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExportResult;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The exporter against LocalStack's Kinesis, a second emulator besides kinesalite. Runs where a Docker engine is
 * available and is skipped (not failed) where none is.
 */
@Testcontainers(disabledWithoutDocker = true)
class KinesisLocalStackTest {

    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
                    .withServices(LocalStackContainer.Service.KINESIS);

    @Test
    void exportsABatchThatReadsBackInOrder() throws Exception {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        var clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        var destination = new DestinationSettings(Optional.of(LOCALSTACK.getEndpoint()),
                Optional.of(LOCALSTACK.getRegion()), Duration.ofSeconds(30));
        var messages = new ArrayList<Message>();
        for (int i = 0; i < 10; i++) {
            messages.add(new Message(i, clock.millis(), ("reading " + i).getBytes(StandardCharsets.UTF_8)));
        }

        try (var reader = KinesisClient.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            Kinesalite.createStream(reader, "edgestream-localstack", 1);

            try (var exporter = new KinesisExporterProvider(Optional.of(credentials)).create(
                    new ExportConfig.Kinesis(ExportSettings.of("to-localstack"), "edgestream-localstack"),
                    new ExporterContext(StreamName.of("local"), destination, clock))) {
                var batch = new Batch(StreamName.of("local"), "to-localstack", messages, 1);
                assertThat(exporter.export(batch)).isEqualTo(ExportResult.DELIVERED);
            }

            assertThat(Kinesalite.readAll(reader, "edgestream-localstack"))
                    .extracting(record -> record.data().asUtf8String())
                    .containsExactly("reading 0", "reading 1", "reading 2", "reading 3", "reading 4",
                            "reading 5", "reading 6", "reading 7", "reading 8", "reading 9");
        }
    }
}
