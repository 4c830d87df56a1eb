package io.github.edgestream.exporter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An upload task against LocalStack's S3. Runs where a Docker engine exists; skipped elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class S3LocalStackTest {

    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
                    .withServices(LocalStackContainer.Service.S3);

    @TempDir
    Path root;

    @Test
    void uploadsAFileThroughTheTaskExecutor() throws Exception {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        try (var client = S3Client.builder().endpointOverride(LOCALSTACK.getEndpoint()).forcePathStyle(true)
                .region(Region.of(LOCALSTACK.getRegion())).credentialsProvider(credentials).build()) {
            client.createBucket(r -> r.bucket("plant-data"));
            Path file = Files.writeString(root.resolve("a.csv"), "a,b\n1,2\n");
            var destination = new DestinationSettings(Optional.of(LOCALSTACK.getEndpoint()),
                    Optional.of(LOCALSTACK.getRegion()), Duration.ofSeconds(30));
            var config = new ExportConfig.S3TaskExecutor(ExportSettings.of("to-s3"), Optional.empty(), Optional.empty());
            String task = "{\"inputUrl\":\"" + file.toUri() + "\",\"bucket\":\"plant-data\",\"key\":\"a.csv\"}";
            try (var exporter = new S3ExporterProvider(credentials).create(config,
                    new ExporterContext(StreamName.of("uploads"), destination, Clock.systemUTC()))) {
                var result = exporter.export(new Batch(StreamName.of("uploads"), "to-s3",
                        List.of(new Message(0, 0, task.getBytes(StandardCharsets.UTF_8))), 1));
                assertThat(result).isInstanceOf(ExportResult.Delivered.class);
            }
            assertThat(client.getObjectAsBytes(r -> r.bucket("plant-data").key("a.csv")).asUtf8String())
                    .isEqualTo("a,b\n1,2\n");
        }
    }
}
