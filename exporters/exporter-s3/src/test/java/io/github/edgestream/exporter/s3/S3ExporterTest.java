package io.github.edgestream.exporter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import io.github.edgestream.exporter.common.ScriptedHttpServer.Answer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Upload tasks against a real S3 API (S3Proxy on loopback), and S3 failures injected by a scripted server. */
class S3ExporterTest {

    private static S3ProxyServer s3;

    @TempDir
    Path root;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T10:15:30Z"));
    private final List<Exporter> exporters = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
        s3.createBucket("plant-data");
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @AfterEach
    void closeExporters() {
        exporters.forEach(Exporter::close);
    }

    private Exporter exporter(URI endpoint, Optional<DataSize> threshold) {
        var config = new ExportConfig.S3TaskExecutor(ExportSettings.of("to-s3"), threshold, Optional.empty());
        var destination = new DestinationSettings(Optional.of(endpoint), Optional.of("us-east-1"),
                Duration.ofSeconds(10));
        var exporter = new S3ExporterProvider(S3ProxyServer.credentials()).create(config, new ExporterContext(
                StreamName.of("uploads"), destination, clock, (sequenceNumber, text) -> warnings.add(text)));
        exporters.add(exporter);
        return exporter;
    }

    private Exporter exporter() {
        return exporter(s3.endpoint(), Optional.empty());
    }

    private static Batch task(String json) {
        return new Batch(StreamName.of("uploads"), "to-s3",
                List.of(new Message(5, 0, json.getBytes(StandardCharsets.UTF_8))), 1);
    }

    private static String json(Path file, String bucket, String key) {
        return "{\"inputUrl\":\"" + file.toUri() + "\",\"bucket\":\"" + bucket + "\",\"key\":\"" + key + "\"}";
    }

    private Path file(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(root.resolve(name), bytes);
    }

    private static String reason(ExportResult result) {
        assertThat(result).isInstanceOf(ExportResult.Rejected.class);
        return ((ExportResult.Rejected) result).reason();
    }

    @Test
    void aSmallFileGoesInOnePutWithItsMetadataAndTheNoteNamesTheObject() throws Exception {
        Path file = file("small.csv", 1000);

        var result = exporter().export(task("{\"inputUrl\":\"" + file.toUri() + "\",\"bucket\":\"plant-data\","
                + "\"key\":\"small.csv\",\"userMetadata\":{\"line\":\"3\"}}"));

        assertThat(result).isInstanceOf(ExportResult.Delivered.class);
        var note = ((ExportResult.Delivered) result).notes().get(5L);
        assertThat(note.fields()).containsEntry("bucket", "plant-data").containsEntry("key", "small.csv");
        assertThat(note.message()).contains("1000 bytes", "s3://plant-data/small.csv", "one PUT");
        assertThat(s3.client().getObjectAsBytes(r -> r.bucket("plant-data").key("small.csv")).asByteArray())
                .isEqualTo(Files.readAllBytes(file));
        assertThat(s3.client().headObject(r -> r.bucket("plant-data").key("small.csv")).metadata())
                .containsEntry("line", "3");
    }

    /**
     * The SDK's own endpoint setting (AWS_ENDPOINT_URL_S3 in the environment; its system property here, read by the
     * same SDK code) with a host name, as MinIO or S3Proxy on a gateway: path style, not {@code bucket.localhost}.
     */
    @Test
    void anEndpointFromTheSdksOwnSettingsWithAHostNameUploadsWithPathStyle() throws Exception {
        Path file = file("via-env.csv", 100);
        var config = new ExportConfig.S3TaskExecutor(ExportSettings.of("to-s3"), Optional.empty(), Optional.empty());
        var destination = new DestinationSettings(Optional.empty(), Optional.of("us-east-1"), Duration.ofSeconds(10));
        String previous = System.setProperty("aws.endpointUrlS3", "http://localhost:" + s3.endpoint().getPort());
        try {
            var exporter = new S3ExporterProvider(S3ProxyServer.credentials()).create(config,
                    new ExporterContext(StreamName.of("uploads"), destination, clock, (n, text) -> warnings.add(text)));
            exporters.add(exporter);

            var result = exporter.export(task(json(file, "plant-data", "via-env.csv")));

            assertThat(result).as("%s", result).isInstanceOf(ExportResult.Delivered.class);
        } finally {
            if (previous == null) {
                System.clearProperty("aws.endpointUrlS3");
            } else {
                System.setProperty("aws.endpointUrlS3", previous);
            }
        }
        assertThat(s3.client().headObject(r -> r.bucket("plant-data").key("via-env.csv")).contentLength())
                .isEqualTo(100);
    }

    @Test
    void virtualHostedAddressingWhenConfiguredSaysWhyTheCallFailed() throws Exception {
        Path file = file("vhost.csv", 10);
        var config = new ExportConfig.S3TaskExecutor(ExportSettings.of("to-s3"), Optional.empty(), Optional.empty());
        var destination = new DestinationSettings(Optional.of(URI.create("http://localhost:" + s3.endpoint().getPort())),
                Optional.of("us-east-1"), Duration.ofSeconds(10)).withOption("pathStyle", "false");
        var exporter = new S3ExporterProvider(S3ProxyServer.credentials()).create(config,
                new ExporterContext(StreamName.of("uploads"), destination, clock, (n, text) -> warnings.add(text)));
        exporters.add(exporter);

        var result = exporter.export(task(json(file, "plant-data", "vhost.csv")));

        // plant-data.localhost does not resolve here: the reason names the cause, not only "Unable to execute"
        assertThat(result).isInstanceOf(ExportResult.Retry.class);
        assertThat(((ExportResult.Retry) result).reason()).contains("plant-data.localhost")
                .contains("caused by UnknownHostException");
    }

    /**
     * A destination that cannot start (here: its client cannot be built, as without any region) still fails the
     * tasks that are wrong by themselves, warns once per reason about the rest, and uploads them once it can start.
     */
    @Test
    void whileTheClientCannotBeBuiltTasksAreStillCheckedAndTheReasonIsWarnedOnce() throws Exception {
        var config = S3ExporterConfig.from(new ExportConfig.S3TaskExecutor(ExportSettings.of("to-s3"),
                Optional.empty(), Optional.empty()), new DestinationSettings(Optional.of(s3.endpoint()),
                Optional.of("us-east-1"), Duration.ofSeconds(10)));
        String[] problem = {"Unable to load region from any of the providers in the chain"};
        var clients = new S3ExporterClient(() -> {
            if (problem[0] != null) {
                throw new IllegalStateException(problem[0]);
            }
            return s3.client();
        });
        var exporter = new S3Exporter(config, clients, new S3RequestBuilder(config, clock),
                (sequenceNumber, text) -> warnings.add(sequenceNumber + ": " + text));
        Path file = file("waits.csv", 10);

        assertThat(reason(exporter.export(task(json(root.resolve("missing.csv"), "plant-data", "m.csv")))))
                .contains("does not exist");
        assertThat(reason(exporter.export(task(json(file, "Bad_Bucket!", "k")))))
                .contains("bucket");

        var first = exporter.export(task(json(file, "plant-data", "waits.csv")));
        var second = exporter.export(task(json(file, "plant-data", "waits.csv")));
        problem[0] = "Unable to load credentials";
        var third = exporter.export(task(json(file, "plant-data", "waits.csv")));

        assertThat(first).isInstanceOf(ExportResult.Retry.class);
        assertThat(((ExportResult.Retry) second).reason()).contains("cannot start").contains("region");
        assertThat(third).isInstanceOf(ExportResult.Retry.class);
        assertThat(warnings).containsExactly(
                "5: the S3 destination cannot start: Unable to load region from any of the providers in the chain;"
                        + " s3://plant-data/waits.csv waits and is tried again",
                "5: the S3 destination cannot start: Unable to load credentials; s3://plant-data/waits.csv waits"
                        + " and is tried again");

        problem[0] = null;
        assertThat(exporter.export(task(json(file, "plant-data", "waits.csv"))))
                .isInstanceOf(ExportResult.Delivered.class);
        assertThat(s3.client().headObject(r -> r.bucket("plant-data").key("waits.csv")).contentLength()).isEqualTo(10);
    }

    @Test
    void a20MibFileGoesInFourPartsOf5Mib() throws Exception {
        Path file = file("large.bin", 20 << 20);

        var result = exporter().export(task(json(file, "plant-data", "large.bin")));

        assertThat(((ExportResult.Delivered) result).notes().get(5L).message()).contains("4 parts");
        var object = s3.client().getObjectAsBytes(r -> r.bucket("plant-data").key("large.bin"));
        assertThat(object.response().eTag()).endsWith("-4\"");
        assertThat(object.asByteArray()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void timestampPlaceholdersInTheKeyAreResolvedAtUploadTimeInUtc() throws Exception {
        Path file = file("day.csv", 10);

        var result = exporter().export(task(json(file, "plant-data", "line3/!{timestamp:yyyy/MM/dd}/day.csv")));

        assertThat(((ExportResult.Delivered) result).notes().get(5L).fields())
                .containsEntry("key", "line3/2026/11/22/day.csv");
        assertThat(s3.client().headObject(r -> r.bucket("plant-data").key("line3/2026/11/22/day.csv"))
                .contentLength()).isEqualTo(10);
    }

    // as the JS (compact), Python (spaces) and Java (no nulls; unknown keys ignored) util helpers write a task
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"inputUrl\":\"%s\",\"bucket\":\"plant-data\",\"key\":\"sdk.csv\"}",
        "{\"inputUrl\": \"%s\", \"bucket\": \"plant-data\", \"key\": \"sdk.csv\", \"userMetadata\": {\"a\": \"b\"}}",
        "{\"bucket\":\"plant-data\",\"inputUrl\":\"%s\",\"key\":\"sdk.csv\",\"futureField\":[1,2]}"})
    void acceptsTheJsonOfEverySdk(String template) throws Exception {
        Path file = file("sdk.csv", 42);

        assertThat(exporter().export(task(template.formatted(file.toUri())))).isInstanceOf(ExportResult.Delivered.class);
    }

    @Test
    void aMissingFileADirectoryAndOtherSchemesFailWithTheReason() throws Exception {
        assertThat(reason(exporter().export(task(json(root.resolve("gone.bin"), "plant-data", "k")))))
                .contains("gone.bin", "does not exist");
        assertThat(reason(exporter().export(task(json(root, "plant-data", "k"))))).contains("is a directory");
        assertThat(reason(exporter().export(task(
                "{\"inputUrl\":\"https://example.com/a\",\"bucket\":\"plant-data\",\"key\":\"k\"}"))))
                .contains("inputUrl", "https://example.com/a", "file: URL");
    }

    @Test
    void invalidTasksNameTheFieldTheValueAndTheRule() throws Exception {
        Path file = file("x.bin", 1);
        assertThat(reason(exporter().export(task("not json")))).contains("not JSON");
        assertThat(reason(exporter().export(task("{\"bucket\":\"plant-data\",\"key\":\"k\"}"))))
                .contains("inputUrl is missing");
        assertThat(reason(exporter().export(task(json(file, "Bad_Bucket", "k"))))).contains("bucket", "Bad_Bucket");
        assertThat(reason(exporter().export(task(json(file, "plant-data", "a b"))))).contains("key", "a b");
        assertThat(reason(exporter().export(task("{\"inputUrl\":\"" + file.toUri() + "\",\"bucket\":\"plant-data\","
                + "\"key\":\"k\",\"userMetadata\":{\"$aws-gg-x\":\"1\"}}")))).contains("$aws-gg-x", "reserved");
        assertThat(reason(exporter().export(task(json(file, "plant-data", "!{timestamp:qqqqqq}/k")))))
                .contains("qqqqqq");
    }

    @Test
    void aMissingBucketIsAFailureNamingIt() throws Exception {
        Path file = file("b.bin", 10);

        assertThat(reason(exporter().export(task(json(file, "no-such-bucket", "k"))))).contains("no-such-bucket",
                "does not exist");
    }

    @Test
    void serverErrorsAreRetried() throws Exception {
        Path file = file("r.bin", 10);
        try (var server = ScriptedHttpServer.start().answerByDefault(Answer.of(500,
                "<Error><Code>InternalError</Code><Message>boom</Message></Error>"))) {
            var result = exporter(server.uri(), Optional.empty()).export(task(json(file, "plant-data", "k")));

            assertThat(result).isInstanceOf(ExportResult.Retry.class);
            assertThat(((ExportResult.Retry) result).reason()).contains("InternalError", "boom");
        }
    }

    // a multipart upload that fails is aborted; if the abort fails too, a warning says which upload is left behind
    @Test
    void aFailedMultipartUploadIsAbortedAndAFailedAbortIsAWarning() throws Exception {
        Path file = file("m.bin", 10_000);
        try (var server = ScriptedHttpServer.start().answerByDefault(request -> switch (request.method()) {
            case "POST" -> Answer.of(200, "<InitiateMultipartUploadResult><Bucket>plant-data</Bucket><Key>m.bin</Key>"
                    + "<UploadId>u-1</UploadId></InitiateMultipartUploadResult>");
            default -> Answer.of(500, "<Error><Code>InternalError</Code><Message>disk on fire</Message></Error>");
        })) {
            var result = exporter(server.uri(), Optional.of(DataSize.ofBytes(1024)))
                    .export(task(json(file, "plant-data", "m.bin")));

            assertThat(result).isInstanceOf(ExportResult.Retry.class);
            assertThat(server.requests()).extracting(ScriptedHttpServer.Request::method)
                    .containsExactly("POST", "PUT", "DELETE");
            assertThat(warnings).singleElement().asString().contains("u-1", "s3://plant-data/m.bin");
        }
    }
}
