package io.github.edgestream.exporter.iotanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import io.github.edgestream.exporter.common.ScriptedHttpServer.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real AWS SDK client against a loopback endpoint that records what it sends and answers as IoT Analytics
 * would, partial failures included.
 */
class IotAnalyticsExporterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptedHttpServer server = ScriptedHttpServer.start()
            .answerByDefault(Answer.of(200, "{\"batchPutMessageErrorEntries\":[]}"));
    private final IotAnalyticsExporterProvider provider = new IotAnalyticsExporterProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")));
    private final ManualClock clock = ManualClock.startingAt2026();
    private final List<Exporter> exporters = new ArrayList<>();

    @AfterEach
    void stop() {
        exporters.forEach(Exporter::close);
        server.close();
    }

    private Exporter exporter(String stream, Optional<String> prefix) {
        var config = new ExportConfig.IotAnalytics(ExportSettings.of("to-analytics"), "edge_channel", prefix);
        var destination = new DestinationSettings(Optional.of(server.uri()), Optional.of("us-east-1"),
                Duration.ofSeconds(2));
        Exporter exporter = provider.create(config, new ExporterContext(StreamName.of(stream), destination, clock));
        exporters.add(exporter);
        return exporter;
    }

    private static Batch batch(String stream, long first, int count) {
        var messages = new ArrayList<Message>();
        for (long i = first; i < first + count; i++) {
            messages.add(new Message(i, 0, ("{\"t\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return new Batch(StreamName.of(stream), "to-analytics", messages, 1);
    }

    static JsonNode body(ScriptedHttpServer.Request request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int messageCount(ScriptedHttpServer.Request request) {
        return body(request).get("messages").size();
    }

    private static List<String> ids(ScriptedHttpServer.Request request) {
        var ids = new ArrayList<String>();
        body(request).get("messages").forEach(m -> ids.add(m.get("messageId").asText()));
        return ids;
    }

    @Test
    void sendsOneSignedBatchPutMessageWithEveryPayloadUnderStableIds() throws Exception {
        var result = exporter("telemetry", Optional.of("gw1-")).export(batch("telemetry", 41, 2));

        assertThat(result).isEqualTo(ExportResult.DELIVERED);
        var request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/messages/batch");
        assertThat(request.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                .contains("/us-east-1/iotanalytics/aws4_request");
        var body = body(request);
        assertThat(body.get("channelName").asText()).isEqualTo("edge_channel");
        assertThat(body.get("messages")).hasSize(2);
        var first = body.get("messages").get(0);
        assertThat(new String(Base64.getDecoder().decode(first.get("payload").asText()), StandardCharsets.UTF_8))
                .isEqualTo("{\"t\":41}");
        assertThat(ids(request)).allSatisfy(id -> assertThat(id).startsWith("gw1-").hasSizeLessThanOrEqualTo(128))
                .containsExactly(ids(request).get(0), ids(request).get(0).replaceAll("41$", "42"));
        assertThat(ids(request).get(0)).endsWith("-41");
    }

    // the same message sent again (retry, crash, restart) carries the same id; another stream's does not
    @Test
    void aResendCarriesTheSameIdsAndAnotherStreamOthers() throws Exception {
        exporter("telemetry", Optional.of("gw1-")).export(batch("telemetry", 0, 3));
        exporter("telemetry", Optional.of("gw1-")).export(batch("telemetry", 0, 3));
        exporter("alarms", Optional.of("gw1-")).export(batch("alarms", 0, 3));

        var requests = server.requests();
        assertThat(ids(requests.get(1))).isEqualTo(ids(requests.get(0)));
        assertThat(ids(requests.get(2))).doesNotContainAnyElementsOf(ids(requests.get(0)));
    }

    @Test
    void idsStayShortForTheLongestStreamNameAndPrefix() throws Exception {
        String longName = "s".repeat(StreamName.MAX_LENGTH);
        exporter(longName, Optional.of("p".repeat(32))).export(batch(longName, Long.MAX_VALUE - 1, 1));

        assertThat(ids(server.requests().get(0)).get(0)).hasSizeLessThanOrEqualTo(128);
    }

    @Test
    void errorEntriesBecomeAPartialResultWithOnlyThrottlingRetryable() throws Exception {
        var exporter = exporter("telemetry", Optional.empty());
        exporter.export(batch("telemetry", 0, 1));
        String idOf1 = ids(server.requests().get(0)).get(0).replaceAll("-0$", "-1");
        String idOf2 = idOf1.replaceAll("-1$", "-2");
        server.thenAnswer(Answer.of(200, """
                {"batchPutMessageErrorEntries":[
                  {"messageId":"%s","errorCode":"ThrottlingException","errorMessage":"slow down"},
                  {"messageId":"%s","errorCode":"InvalidRequestException","errorMessage":"payload is not JSON"}]}
                """.formatted(idOf1, idOf2)));

        var result = exporter.export(batch("telemetry", 0, 4));

        assertThat(result).isInstanceOf(ExportResult.Partial.class);
        var rejected = ((ExportResult.Partial) result).rejected();
        assertThat(rejected).containsOnlyKeys(1L, 2L);
        assertThat(rejected.get(1L).retryable()).isTrue();
        assertThat(rejected.get(1L).reason()).contains("ThrottlingException", "slow down", "edge_channel");
        assertThat(rejected.get(2L).retryable()).isFalse();
        assertThat(rejected.get(2L).reason()).contains("InvalidRequestException", "payload is not JSON");
    }

    @Test
    void anErrorEntryForAnIdThatWasNotSentRetriesTheBatch() throws Exception {
        server.thenAnswer(Answer.of(200, "{\"batchPutMessageErrorEntries\":[{\"messageId\":\"nope\","
                + "\"errorCode\":\"InvalidRequestException\",\"errorMessage\":\"x\"}]}"));

        assertThat(exporter("telemetry", Optional.empty()).export(batch("telemetry", 0, 2)))
                .isInstanceOf(ExportResult.Retry.class);
    }

    @Test
    void serverErrorsAndThrottlingRetry() throws Exception {
        server.thenAnswer(Answer.of(500, "{\"message\":\"boom\"}").withHeader("x-amzn-ErrorType",
                        "InternalFailureException"),
                Answer.of(429, "{\"message\":\"Rate exceeded\"}").withHeader("x-amzn-ErrorType",
                        "ThrottlingException"));
        var exporter = exporter("telemetry", Optional.empty());

        assertThat(exporter.export(batch("telemetry", 0, 1))).isInstanceOf(ExportResult.Retry.class);
        assertThat(exporter.export(batch("telemetry", 0, 1))).isInstanceOf(ExportResult.Retry.class);
    }

    // a missing channel is a configuration problem: keep the data and retry until someone creates it
    @Test
    void aMissingChannelRetriesAndSaysWhichChannel() throws Exception {
        server.thenAnswer(Answer.of(404, "{\"message\":\"channel edge_channel not found\"}")
                .withHeader("x-amzn-ErrorType", "ResourceNotFoundException"));

        var result = exporter("telemetry", Optional.empty()).export(batch("telemetry", 0, 1));

        assertThat(result).isInstanceOf(ExportResult.Retry.class);
        assertThat(((ExportResult.Retry) result).reason()).contains("edge_channel", "ResourceNotFoundException",
                "create the channel");
    }

    @Test
    void theServiceRetirementIsLoggedOncePerProcess() {
        exporter("telemetry", Optional.empty());
        exporter("alarms", Optional.empty());

        assertThat(IotAnalyticsExporterProvider.RETIREMENT_WARNINGS.get()).isEqualTo(1);
    }

    @Test
    void theMessagesLimitIsTheApis() {
        assertThat(exporter("telemetry", Optional.empty()).limits().maxMessages()).isEqualTo(100);
        assertThat(IotAnalyticsExporterConfig.LIMITS.maxMessageBytes()).isEqualTo(128_000L);
    }
}
