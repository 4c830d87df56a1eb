package io.github.edgestream.exporter.sitewise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.ExportResult.Rejection;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import io.github.edgestream.exporter.common.ScriptedHttpServer.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The exporter with the real SDK client against a scripted SiteWise on loopback. */
class SiteWiseExporterTest {

    private static final StreamName STREAM = StreamName.of("plant-telemetry");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELIVERED = "{\"errorEntries\":[]}";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScriptedHttpServer server = ScriptedHttpServer.start()
            .answerByDefault(Answer.of(200, DELIVERED));
    private final List<Exporter> exporters = new ArrayList<>();

    @AfterEach
    void close() {
        exporters.forEach(Exporter::close);
        server.close();
    }

    // The captured request of SDK 2.40.2, with the entry id replaced by the one derived from the sequence number.
    @Test
    void postsTheEntriesToPropertiesSignedForIotSitewise() throws Exception {
        var result = exporter().export(batch(entry("e1", "21.5", 1767225600, 5)));

        assertThat(result).isEqualTo(ExportResult.DELIVERED);
        var request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/properties");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 ")
                .contains("/us-east-1/iotsitewise/aws4_request");
        assertThat(request.bodyText()).isEqualTo("{\"entries\":[{\"entryId\":\"seq-0\",\"propertyAlias\":"
                + "\"/plant/line1/temp\",\"propertyValues\":[{\"value\":{\"doubleValue\":21.5},\"timestamp\":"
                + "{\"timeInSeconds\":1767225600,\"offsetInNanos\":5},\"quality\":\"GOOD\"}]}]}");
    }

    @Test
    void sendsEveryMessageOfTheBatchInOrderInOneCall() throws Exception {
        var result = exporter().export(batch(entry("a", "1", 1767225600, 0), entry("b", "2", 1767225601, 0),
                entry("c", "3", 1767225602, 0)));

        assertThat(result).isEqualTo(ExportResult.DELIVERED);
        assertThat(server.requests()).hasSize(1);
        var entries = body(0).get("entries");
        assertThat(entries).hasSize(3);
        assertThat(entries.findValuesAsText("entryId")).containsExactly("seq-0", "seq-1", "seq-2");
        assertThat(entries.findValues("doubleValue")).extracting(JsonNode::doubleValue).containsExactly(1.0, 2.0, 3.0);
    }

    // Two producers may both write entryId "e1"; SiteWise refuses duplicate ids in one call.
    @Test
    void sendsTwoMessagesWithTheSameEntryIdUnderDistinctIds() throws Exception {
        var result = exporter().export(new Batch(STREAM, "to-sitewise", List.of(
                new Message(41, clock.millis(), entry("e1", "1", 1767225600, 0)),
                new Message(42, clock.millis(), entry("e1", "2", 1767225600, 0))), 1));

        assertThat(result).isEqualTo(ExportResult.DELIVERED);
        assertThat(body(0).get("entries").findValuesAsText("entryId")).containsExactly("seq-41", "seq-42");
    }

    @Test
    void mapsErrorEntriesBackToSequenceNumbersWithTheirRetryability() throws Exception {
        server.thenAnswer(Answer.of(200, "{\"errorEntries\":["
                + errorEntry("seq-10", error("ThrottlingException", "Rate exceeded"))
                + "," + errorEntry("seq-12", error("ResourceNotFoundException", "No property alias /c")) + "]}"));

        var result = exporter().export(new Batch(STREAM, "to-sitewise", List.of(
                new Message(10, clock.millis(), entry("a", "1", 1767225600, 0)),
                new Message(11, clock.millis(), entry("b", "2", 1767225600, 0)),
                new Message(12, clock.millis(), entry("c", "3", 1767225600, 0))), 1));

        assertThat(result).isInstanceOf(ExportResult.Partial.class);
        Map<Long, Rejection> rejected = ((ExportResult.Partial) result).rejected();
        assertThat(rejected).containsOnlyKeys(10L, 12L);
        assertThat(rejected.get(10L).retryable()).isTrue();
        assertThat(rejected.get(10L).reason()).contains("BatchPutAssetPropertyValue to IoT SiteWise at "
                + server.uri(), "message 10 (entryId \"a\"", "ThrottlingException: Rate exceeded");
        assertThat(rejected.get(12L).retryable()).isFalse();
        assertThat(rejected.get(12L).reason()).contains("message 12", "ResourceNotFoundException",
                "No property alias /c");
    }

    // One error per code, each with its timestamps: resending an entry with a non-retryable error fails again.
    @Test
    void anEntryWithARetryableAndANonRetryableErrorIsNotRetryable() throws Exception {
        server.thenAnswer(Answer.of(200, "{\"errorEntries\":[" + errorEntry("seq-0",
                error("ThrottlingException", "Rate exceeded"),
                error("TimestampOutOfRangeException", "older than 7 days")) + "]}"));

        var result = exporter().export(batch(entry("a", "1", 1767225600, 0)));

        var rejection = ((ExportResult.Partial) result).rejected().get(0L);
        assertThat(rejection.retryable()).isFalse();
        assertThat(rejection.reason()).contains("ThrottlingException: Rate exceeded (1 of its 1 value)",
                "TimestampOutOfRangeException: older than 7 days");
    }

    // Python writes float('nan') bare; SiteWise stores NaN doubles, and the SDK writes them as the string "NaN".
    @Test
    void sendsANaNDoubleAsTheSdkWritesIt() throws Exception {
        var result = exporter().export(batch(entry("a", "NaN", 1767225600, 0)));

        assertThat(result).isEqualTo(ExportResult.DELIVERED);
        assertThat(body(0).get("entries").findValue("doubleValue").toString()).isEqualTo("\"NaN\"");
    }

    @Test
    void skipsAnUnparseableEntryAndSendsTheRest() throws Exception {
        var result = exporter().export(batch(entry("a", "1", 1767225600, 0), bytes("{\"entryId\":"),
                entry("c", "3", 1767225600, 0)));

        assertThat(result).isInstanceOf(ExportResult.Partial.class);
        var rejection = ((ExportResult.Partial) result).rejected();
        assertThat(rejection).containsOnlyKeys(1L);
        assertThat(rejection.get(1L).retryable()).isFalse();
        assertThat(rejection.get(1L).reason()).startsWith("message 1: not JSON");
        assertThat(body(0).get("entries").findValuesAsText("entryId")).containsExactly("seq-0", "seq-2");
    }

    @Test
    void skipsAnInvalidEntryNamingTheFieldAndSendsTheRest() throws Exception {
        byte[] twoValues = bytes("{\"entryId\":\"b\",\"propertyAlias\":\"/b\",\"propertyValues\":[{\"value\":"
                + "{\"doubleValue\":1,\"stringValue\":\"x\"},\"timestamp\":{\"timeInSeconds\":1767225600}}]}");

        var result = exporter().export(batch(entry("a", "1", 1767225600, 0), twoValues));

        assertThat(result).isEqualTo(new ExportResult.Partial(Map.of(1L, new Rejection("message 1: "
                + "propertyValues[0].value has 2 values (doubleValue, stringValue), must have exactly one of"
                + " doubleValue, integerValue, booleanValue, stringValue", false))));
        assertThat(body(0).get("entries")).hasSize(1);
    }

    @Test
    void whenEveryMessageIsInvalidRejectsThemAllWithoutACall() throws Exception {
        var result = exporter().export(batch(bytes("not json"), bytes("{\"entryId\":\"e 1\"}")));

        var rejected = ((ExportResult.Partial) result).rejected();
        assertThat(rejected).containsOnlyKeys(0L, 1L);
        assertThat(rejected.values()).noneMatch(Rejection::retryable);
        assertThat(rejected.get(1L).reason()).isEqualTo("message 1: entryId is \"e 1\", must match ^[a-zA-Z0-9_-]+$");
        assertThat(server.requests()).isEmpty();
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource({
            "500, InternalFailureException, Retry",
            "503, ServiceUnavailableException, Retry",
            "429, ThrottlingException, Retry",
            "403, AccessDeniedException, Retry",
            "404, ResourceNotFoundException, Retry",
            "400, ValidationException, Rejected",
            "400, InvalidRequestException, Rejected",
    })
    void classifiesAFailedCallAsAwsErrorClassifierDoes(int status, String code, String expected) throws Exception {
        server.thenAnswer(Answer.of(status, "{\"message\":\"said so\"}").withHeader("x-amzn-ErrorType", code));

        var result = exporter().export(batch(entry("a", "1", 1767225600, 0)));

        assertThat(result.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(result.toString()).contains("BatchPutAssetPropertyValue to IoT SiteWise at " + server.uri(), code,
                "HTTP " + status, "said so");
    }

    // The invalid ones are skipped now; the sent ones go again, without them, and meet the classifier alone.
    @Test
    void aFailedCallWithInvalidMessagesSkipsThoseAndResendsTheOthers() throws Exception {
        server.thenAnswer(Answer.of(500, "{\"message\":\"oops\"}")
                .withHeader("x-amzn-ErrorType", "InternalFailureException"));

        var result = exporter().export(batch(entry("a", "1", 1767225600, 0), bytes("[]")));

        var rejected = ((ExportResult.Partial) result).rejected();
        assertThat(rejected.get(0L).retryable()).isTrue();
        assertThat(rejected.get(0L).reason()).contains("InternalFailureException", "oops", "message 0");
        assertThat(rejected.get(1L).retryable()).isFalse();
        assertThat(rejected.get(1L).reason()).startsWith("message 1: not a PutAssetPropertyValueEntry");
    }

    // An answer that cannot be mapped must not be taken as success; resending is harmless (same timestamp, same TQV).
    @Test
    void anErrorForAnEntryThatWasNotSentMeansRetry() throws Exception {
        server.thenAnswer(Answer.of(200, "{\"errorEntries\":[" + errorEntry("e1", error("InvalidRequestException",
                "bad")) + "]}"));

        var result = exporter().export(batch(entry("e1", "1", 1767225600, 0)));

        assertThat(result).isInstanceOf(ExportResult.Retry.class);
        assertThat(((ExportResult.Retry) result).reason()).contains("entryId \"e1\", which was not sent");
    }

    @Test
    void aCallThatOutlivesTheTimeoutMeansRetry() throws Exception {
        server.thenAnswer(Answer.hanging());
        var exporter = exporter(new DestinationSettings(Optional.of(server.uri()), Optional.of("us-east-1"),
                Duration.ofMillis(500)));

        var result = exporter.export(batch(entry("a", "1", 1767225600, 0)));

        assertThat(result).isInstanceOf(ExportResult.Retry.class);
    }

    // Stopping an export interrupts its worker; that must surface as InterruptedException, not as a result. (The
    // URL-connection client does not notice an interrupt while blocked in a read; the call timeout ends that one.)
    @Test
    void anInterruptedWorkerGetsInterruptedException() {
        var exporter = exporter();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> exporter.export(batch(entry("a", "1", 1767225600, 0))))
                    .isInstanceOf(InterruptedException.class)
                    .hasMessageContaining("BatchPutAssetPropertyValue to IoT SiteWise");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void createRefusesAConfigOfAnotherKind() {
        var provider = new SiteWiseExporterProvider();
        var kinesis = new ExportConfig.Kinesis(ExportSettings.of("k"), "stream");

        assertThatThrownBy(() -> provider.create(kinesis, new ExporterContext(STREAM, loopback(), clock)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KINESIS");
    }

    @Test
    void limitsAreTenEntriesPerCall() {
        var limits = exporter().limits();

        assertThat(limits.maxMessages()).isEqualTo(10);
        assertThat(limits.maxMessageBytes()).isEqualTo(256 * 1024);
        assertThat(limits.maxBatchBytes()).isEqualTo(1024 * 1024);
    }

    private Exporter exporter() {
        return exporter(loopback());
    }

    private Exporter exporter(DestinationSettings destination) {
        var provider = new SiteWiseExporterProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret")));
        var exporter = provider.create(new ExportConfig.IotSiteWise(ExportSettings.of("to-sitewise")),
                new ExporterContext(STREAM, destination, clock));
        exporters.add(exporter);
        return exporter;
    }

    private DestinationSettings loopback() {
        return new DestinationSettings(Optional.of(server.uri()), Optional.of("us-east-1"), Duration.ofSeconds(5));
    }

    private Batch batch(byte[]... payloads) {
        var messages = new ArrayList<Message>();
        for (int i = 0; i < payloads.length; i++) {
            messages.add(new Message(i, clock.millis(), payloads[i]));
        }
        return new Batch(STREAM, "to-sitewise", messages, 1);
    }

    private JsonNode body(int request) throws Exception {
        return JSON.readTree(server.requests().get(request).body());
    }

    /** As the JS SDK writes it. */
    static byte[] entry(String entryId, String doubleValue, long seconds, int nanos) {
        return bytes("{\"entryId\":\"" + entryId + "\",\"propertyAlias\":\"/plant/line1/temp\",\"propertyValues\":"
                + "[{\"value\":{\"doubleValue\":" + doubleValue + "},\"timestamp\":{\"timeInSeconds\":" + seconds
                + ",\"offsetInNanos\":" + nanos + "},\"quality\":\"GOOD\"}]}");
    }

    private static String errorEntry(String entryId, String... errors) {
        return "{\"entryId\":\"" + entryId + "\",\"errors\":[" + String.join(",", errors) + "]}";
    }

    private static String error(String code, String message) {
        return "{\"errorCode\":\"" + code + "\",\"errorMessage\":\"" + message + "\",\"timestamps\":"
                + "[{\"timeInSeconds\":1767225600,\"offsetInNanos\":0}]}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
