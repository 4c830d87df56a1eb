package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.exporter.s3.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, as in the AWS samples: a program using the official JavaScript client drops files on disk, appends S3
 * upload tasks (serialised with the SDK's util) to a stream with an s3TaskExecutor export, and reads the status
 * stream, parsing each message with the SDK's {@code deserializeJsonBytesToObj}. The daemon uploads to S3Proxy on
 * loopback, chosen with {@code exporter.s3.endpoint}.
 */
class S3TaskExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static S3ProxyServer s3;

    @TempDir
    Path root;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
        s3.createBucket("plant-data");
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    private Daemon startDaemon(String token) throws Exception {
        Path config = root.resolve("edgestream.yaml");
        Files.writeString(config, """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                exporter:
                  region: us-east-1
                  s3MinPartSize: 5MiB
                  s3:
                    endpoint: %s
                """.formatted(root.resolve("data"), s3.endpoint()));
        return Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config), Map.of()),
                Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", token));
    }

    private Path file(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(root.resolve(name), bytes);
    }

    private static Map<String, Object> task(Path file, String bucket, String key) {
        var task = new LinkedHashMap<String, Object>();
        task.put("inputUrl", file.toUri().toString());
        task.put("bucket", bucket);
        task.put("key", key);
        return task;
    }

    /** The status lines the script printed, parsed, per task sequence number, in order. */
    private static Map<Long, List<JsonNode>> statuses(OfficialJsClient.Run run) throws Exception {
        var byTask = new LinkedHashMap<Long, List<JsonNode>>();
        for (String line : run.stdout()) {
            if (line.startsWith("status ")) {
                JsonNode status = JSON.readTree(line.substring(7));
                byTask.computeIfAbsent(status.get("sequenceNumber").asLong(), n -> new ArrayList<>()).add(status);
            }
        }
        return byTask;
    }

    private static List<String> names(List<JsonNode> statuses) {
        return statuses.stream().map(s -> s.get("status").asText()).toList();
    }

    @Test
    void theStatusStreamTellsTheProgramWhatBecameOfEachFile() throws Exception {
        Path small = file("small.csv", 1024);
        Path large = file("large.bin", 20 << 20);
        var withMetadata = task(small, "plant-data", "reports/!{timestamp:yyyy}/small.csv");
        withMetadata.put("userMetadata", Map.of("line", "3"));
        var tasks = List.of(withMetadata, task(large, "plant-data", "large.bin"),
                task(root.resolve("missing.bin"), "plant-data", "missing.bin"),
                task(small, "no-such-bucket", "small.csv"));
        String token = "token-" + UUID.randomUUID();

        try (Daemon daemon = startDaemon(token)) {
            var run = OfficialJsClient.run(Duration.ofMinutes(3), daemon.port(), token, "s3-tasks.js",
                    "uploads", "upload-status", JSON.writeValueAsString(tasks));
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.line("appended")).isEqualTo("[0,1,2,3]");

            var statuses = statuses(run);
            assertThat(statuses.keySet()).containsExactly(0L, 1L, 2L, 3L);   // in append order
            String year = Integer.toString(Year.now(ZoneOffset.UTC).getValue());
            var first = statuses.get(0L);
            assertThat(names(first)).containsExactly("InProgress", "Success");
            assertThat(first.get(1).get("key").asText()).isEqualTo("reports/" + year + "/small.csv");
            assertThat(first.get(1).get("bucket").asText()).isEqualTo("plant-data");
            assertThat(first.get(1).get("exportIdentifier").asText()).isEqualTo("to-s3");
            assertThat(first.get(1).get("streamName").asText()).isEqualTo("uploads");
            assertThat(first.get(1).get("eventType").asText()).isEqualTo("S3Task");
            assertThat(names(statuses.get(1L))).containsExactly("InProgress", "Success");
            assertThat(names(statuses.get(2L))).containsExactly("InProgress", "Failure");
            assertThat(statuses.get(2L).get(1).get("statusLevel").asText()).isEqualTo("ERROR");
            assertThat(statuses.get(2L).get(1).get("message").asText()).contains("missing.bin");
            assertThat(names(statuses.get(3L))).containsExactly("InProgress", "Failure");
            assertThat(statuses.get(3L).get(1).get("message").asText()).contains("no-such-bucket");

            var client = s3.client();
            assertThat(client.getObjectAsBytes(r -> r.bucket("plant-data").key("reports/" + year + "/small.csv"))
                    .asByteArray()).isEqualTo(Files.readAllBytes(small));
            assertThat(client.headObject(r -> r.bucket("plant-data").key("reports/" + year + "/small.csv"))
                    .metadata()).containsEntry("line", "3");
            var largeObject = client.getObjectAsBytes(r -> r.bucket("plant-data").key("large.bin"));
            assertThat(largeObject.asByteArray()).isEqualTo(Files.readAllBytes(large));
            assertThat(largeObject.response().eTag()).endsWith("-4\"");
        }
    }

    /**
     * No region anywhere, so the S3 client cannot be built: a task for a missing file still fails at once, and a
     * valid one is InProgress, then gets a Warning with the reason; describe and /metrics say why too.
     */
    @Test
    void aDestinationThatCannotStartStillFailsBadTasksAndWarnsAboutTheOthers() throws Exception {
        Assumptions.assumeTrue(System.getenv("AWS_REGION") == null && System.getenv("AWS_DEFAULT_REGION") == null,
                "AWS_REGION is set in this environment: the S3 client would start");
        String[] properties = {"aws.configFile", "aws.region", "aws.disableEc2Metadata"};
        String[] previous = new String[properties.length];
        for (int i = 0; i < properties.length; i++) {
            previous[i] = System.getProperty(properties[i]);
        }
        System.clearProperty("aws.region");
        System.setProperty("aws.configFile", root.resolve("no-aws-config").toString());
        System.setProperty("aws.disableEc2Metadata", "true");
        String token = "token-" + UUID.randomUUID();
        Path config = Files.writeString(root.resolve("no-region.yaml"), """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                observability:
                  port: 0
                """.formatted(root.resolve("data")));
        try (Daemon daemon = Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config), Map.of()),
                Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", token))) {
            var tasks = List.of(task(root.resolve("missing.bin"), "plant-data", "missing.bin"),
                    task(file("valid.csv", 100), "plant-data", "valid.csv"));

            var run = OfficialJsClient.run(Duration.ofMinutes(2), daemon.port(), token, "s3-tasks.js",
                    "uploads", "upload-status", JSON.writeValueAsString(tasks), "warning-is-final");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            var statuses = statuses(run);
            assertThat(names(statuses.get(0L))).containsExactly("InProgress", "Failure");
            assertThat(statuses.get(0L).get(1).get("message").asText()).contains("does not exist");
            assertThat(names(statuses.get(1L))).containsExactly("InProgress", "Warning");
            assertThat(statuses.get(1L).get(1).get("statusLevel").asText()).isEqualTo("WARN");
            assertThat(statuses.get(1L).get(1).get("message").asText()).contains("cannot start")
                    .containsIgnoringCase("region");

            var status = daemon.store().get(io.github.edgestream.core.model.StreamName.of("uploads")).info();
            assertThat(status).isNotNull();
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + daemon.observabilityPort().orElseThrow() + "/metrics"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics.lines().filter(l -> l.startsWith("edgestream_export_error_info{")))
                    .singleElement().asString().contains("stream=\"uploads\"").contains("cannot start")
                    .contains("no AWS region is configured").endsWith(" 1");
        } finally {
            for (int i = 0; i < properties.length; i++) {
                if (previous[i] == null) {
                    System.clearProperty(properties[i]);
                } else {
                    System.setProperty(properties[i], previous[i]);
                }
            }
        }
    }

    @Test
    void deletingTheStreamCancelsTheTaskThatWaits() throws Exception {
        Path large = file("large.bin", 20 << 20);
        Path small = file("small.csv", 1024);
        var tasks = List.of(task(large, "plant-data", "cancel/large.bin"), task(small, "plant-data", "cancel/s.csv"));
        String token = "token-" + UUID.randomUUID();

        try (Daemon daemon = startDaemon(token)) {
            var run = OfficialJsClient.run(Duration.ofMinutes(3), daemon.port(), token, "s3-tasks.js",
                    "doomed", "doomed-status", JSON.writeValueAsString(tasks), "delete-after-append");
            assertThat(run.exitCode()).as(run.toString()).isZero();

            var statuses = statuses(run);
            assertThat(names(statuses.get(1L))).last().isEqualTo("Canceled");
            assertThat(names(statuses.get(1L))).doesNotContain("Success");
        }
    }
}
