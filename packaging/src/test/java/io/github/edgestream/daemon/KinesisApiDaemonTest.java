package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.AccessDeniedException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The Kinesis API in the running daemon, beside the Greengrass protocol: both reach the same streams; credentials
 * come from the credentials file and the daemon's token; metrics count Kinesis requests; a Kinesis export of one
 * gateway lands in another gateway's Kinesis API; a taken HTTP port does not stop the daemon.
 */
class KinesisApiDaemonTest {

    /** The pair the test JVM's default credential chain finds (see the pom): what gateway A's exporter signs with. */
    private static final String EXPORTER_KEY = "edgestream-test";
    private static final String EXPORTER_SECRET = "edgestream-test-secret";

    @TempDir
    Path root;

    private Daemon start(String name, String extraYaml, String token) throws Exception {
        Path credentials = root.resolve(name + "-credentials.yaml");
        Files.writeString(credentials, """
                credentials:
                  - name: producer
                    accessKeyId: %s
                    secretAccessKey: %s
                    scopes:
                      - namespaces: [default]
                        streams: ["plant-*"]
                        permissions: [write, read]
                """.formatted(EXPORTER_KEY, EXPORTER_SECRET));
        return TestDaemons.start(root.resolve(name + ".yaml"), root.resolve(name), credentials, token,
                extraYaml.isEmpty() ? "" : extraYaml + "\n");
    }

    private static KinesisClient kinesis(Daemon daemon, String key, String secret) {
        return KinesisClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + daemon.httpPort()
                        .orElseThrow())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))).build();
    }

    private static StreamManagerClient greengrass(Daemon daemon, String token) {
        return new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port()).withAuthToken(token));
    }

    @Test
    void greengrassAndKinesisClientsShareStreamsBothWays() throws Exception {
        String token = "token-" + UUID.randomUUID();
        try (Daemon daemon = start("a", "", token);
                StreamManagerClient gg = greengrass(daemon, token);
                KinesisClient admin = kinesis(daemon, "edgestream", token)) {
            // Greengrass writes, Kinesis reads (a Greengrass stream is a one-shard Kinesis stream)
            gg.createMessageStream(StreamDefinition.builder("plant-events", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                    .build()).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                gg.appendMessage("plant-events", ("gg-" + i).getBytes(StandardCharsets.UTF_8)).get(10,
                        TimeUnit.SECONDS);
            }
            String iterator = admin.getShardIterator(r -> r.streamName("plant-events")
                    .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            List<Record> records = admin.getRecords(r -> r.shardIterator(iterator)).records();
            assertThat(records).extracting(r -> r.data().asUtf8String()).containsExactly("gg-0", "gg-1", "gg-2");

            // Kinesis writes, Greengrass reads; a stream created through Kinesis is listed by Greengrass
            admin.createStream(r -> r.streamName("plant-orders").shardCount(1));
            admin.createStream(r -> r.streamName("plant-sharded").shardCount(4));
            admin.putRecord(r -> r.streamName("plant-sharded").partitionKey("k").data(SdkBytes.fromUtf8String("s")));
            assertThat(gg.listStreams().get(10, TimeUnit.SECONDS)).contains("plant-orders", "plant-events",
                    "plant-sharded");
            try (KinesisClient producer = kinesis(daemon, EXPORTER_KEY, EXPORTER_SECRET)) {
                producer.putRecord(r -> r.streamName("plant-orders").partitionKey("k")
                        .data(SdkBytes.fromUtf8String("from kinesis")));
                assertThatThrownBy(() -> producer.deleteStream(r -> r.streamName("plant-orders")))
                        .as("the file's credential may write but not administer").isInstanceOf(
                                AccessDeniedException.class);
                assertThatThrownBy(() -> producer.createStream(r -> r.streamName("other").shardCount(1)))
                        .isInstanceOf(AccessDeniedException.class);
            }
            List<Message> read = gg.readMessages("plant-orders", 0, 1, 1, Duration.ZERO).get(10, TimeUnit.SECONDS);
            assertThat(new String(read.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("from kinesis");

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + daemon.observabilityPort().orElseThrow() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(ObservabilityTest.metric(metrics, "edgestream_requests_seconds_count", "api=\"kinesis\"",
                    "operation=\"PutRecord\"", "status=\"200\"")).isEqualTo(2);
            assertThat(ObservabilityTest.metric(metrics, "edgestream_requests_seconds_count", "api=\"kinesis\"",
                    "operation=\"DeleteStream\"", "status=\"400\"")).isEqualTo(1);
            assertThat(ObservabilityTest.metric(metrics, "edgestream_requests_seconds_count",
                    "api=\"greengrass\"", "operation=\"APPEND_MESSAGE\"", "status=\"SUCCESS\"")).isEqualTo(3);
            assertThat(ObservabilityTest.metric(metrics, "edgestream_stream_newest_sequence_number",
                    "stream=\"plant-orders\"")).as("a stream made through Kinesis has the metrics of any").isZero();
            assertThat(metrics).contains("stream=\"plant-sharded\"");
        }
    }

    /**
     * The headline use, without kinesalite: a Kinesis stream on gateway A, filled through A's Kinesis API, exports to
     * Kinesis, and the Kinesis it talks to is gateway B's Kinesis API (A's exporter signs with the test JVM's default
     * credentials, which B's credentials file lets write to plant-*).
     */
    @Test
    void gatewayAExportsToGatewayBsKinesisApi() throws Exception {
        String tokenB = "token-b-" + UUID.randomUUID();
        try (Daemon b = start("b", "", tokenB); KinesisClient adminB = kinesis(b, "edgestream", tokenB)) {
            adminB.createStream(r -> r.streamName("plant-telemetry").shardCount(1));
            String tokenA = "token-a-" + UUID.randomUUID();
            String exportTo = """
                    exporter:
                      region: us-east-1
                      kinesis:
                        endpoint: http://127.0.0.1:%d
                    """.formatted(b.httpPort().orElseThrow());
            try (Daemon a = start("a", exportTo, tokenA); StreamManagerClient gg = greengrass(a, tokenA);
                    KinesisClient kinesisA = kinesis(a, "edgestream", tokenA)) {
                // a producer written for Kinesis creates and fills a stream on gateway A ...
                kinesisA.createStream(r -> r.streamName("telemetry").shardCount(1));
                kinesisA.addTagsToStream(r -> r.streamName("telemetry").tags(Map.of("site", "plant-a")));
                // ... and the operator adds an export, as `edgestream streams update --file` does
                StreamDefinition current = gg.describeMessageStream("telemetry").get(10, TimeUnit.SECONDS)
                        .definition();
                gg.updateMessageStream(current.toBuilder().exports(List.of(new ExportConfig.Kinesis(
                        ExportSettings.of("to-b"), "plant-telemetry"))).build()).get(10, TimeUnit.SECONDS);
                assertThat(kinesisA.listTagsForStream(r -> r.streamName("telemetry")).tags())
                        .as("the update through the Greengrass protocol keeps the Kinesis tags")
                        .extracting(t -> t.key() + "=" + t.value()).containsExactly("site=plant-a");
                for (int batch = 0; batch < 4; batch++) {
                    List<software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry> entries =
                            new ArrayList<>();
                    for (int i = batch * 25; i < batch * 25 + 25; i++) {
                        entries.add(software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry.builder()
                                .partitionKey("sensor-" + i).data(SdkBytes.fromUtf8String("reading " + i)).build());
                    }
                    assertThat(kinesisA.putRecords(r -> r.streamName("telemetry").records(entries))
                            .failedRecordCount()).isZero();
                }
                List<Record> received = new ArrayList<>();
                String iterator = adminB.getShardIterator(r -> r.streamName("plant-telemetry")
                        .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                        .shardIterator();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (received.size() < 100 && System.nanoTime() < deadline) {
                    String at = iterator;
                    var page = adminB.getRecords(r -> r.shardIterator(at));
                    received.addAll(page.records());
                    iterator = page.nextShardIterator();
                    if (page.records().isEmpty()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    }
                }
                assertThat(received).hasSize(100);
                for (int i = 0; i < 100; i++) {
                    assertThat(received.get(i).data().asUtf8String()).isEqualTo("reading " + i);
                }
            }
        }
    }

    /**
     * The official Greengrass JavaScript SDK on gateway A, as the AWS samples use it (a stream exporting to Kinesis),
     * and a Kinesis client on gateway B reading what arrived: no emulator, no cloud.
     */
    @Test
    void whatTheOfficialGreengrassSdkWritesOnOneGatewayAKinesisClientReadsOnAnother() throws Exception {
        String tokenB = "token-b-" + UUID.randomUUID();
        try (Daemon b = start("b", "", tokenB); KinesisClient adminB = kinesis(b, "edgestream", tokenB)) {
            adminB.createStream(r -> r.streamName("plant-js").shardCount(1));
            String tokenA = "token-a-" + UUID.randomUUID();
            String exportTo = "exporter:\n  region: us-east-1\n  kinesis:\n    endpoint: http://127.0.0.1:"
                    + b.httpPort().orElseThrow() + "\n";
            try (Daemon a = start("a", exportTo, tokenA)) {
                var run = OfficialJsClient.run(Duration.ofMinutes(2), a.port(), tokenA, "kinesis-producer.js",
                        "js-telemetry", "plant-js", "200", "50");
                assertThat(run.exitCode()).as(run.toString()).isZero();
                assertThat(run.line("appended")).isEqualTo("0 199");
            }
            String iterator = adminB.getShardIterator(r -> r.streamName("plant-js").shardId("shardId-000000000000")
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<Record> records = adminB.getRecords(r -> r.shardIterator(iterator)).records();
            assertThat(records).hasSize(200);
            for (int i = 0; i < 200; i++) {
                assertThat(records.get(i).data().asUtf8String()).startsWith("{\"reading\":" + i + ",");
            }
        }
    }

    @Test
    void aTakenHttpPortLeavesTheGreengrassProtocolServedAndIsRetried() throws Exception {
        String token = "token-" + UUID.randomUUID();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = root.resolve("taken.yaml");
            Files.writeString(config, """
                    store:
                      rootDirectory: %s
                    server:
                      port: 0
                    observability:
                      enabled: false
                    http:
                      port: %d
                    """.formatted(root.resolve("taken"), taken.getLocalPort()));
            try (Daemon daemon = Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config), Map.of()),
                    Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", token));
                    StreamManagerClient gg = greengrass(daemon, token)) {
                assertThat(daemon.httpPort()).isEmpty();
                assertThat(gg.listStreams().get(10, TimeUnit.SECONDS)).isEmpty();
                taken.close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (daemon.httpPort().isEmpty() && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                assertThat(daemon.httpPort()).as("bound by a retry once the port was free").isPresent();
                try (KinesisClient admin = kinesis(daemon, "edgestream", token)) {
                    assertThat(admin.listStreams().streamNames()).isEmpty();
                }
            }
        }
    }
}
