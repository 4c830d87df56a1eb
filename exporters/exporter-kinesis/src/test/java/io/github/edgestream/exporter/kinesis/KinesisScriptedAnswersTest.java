package io.github.edgestream.exporter.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Answers kinesalite never gives, injected by a scripted HTTP server that plays Kinesis. The SDK speaks JSON to it
 * ({@code aws.cborEnabled=false}, set by the pom), so the answers are Kinesis's JSON.
 */
class KinesisScriptedAnswersTest {

    private static final String KINESIS_STREAM = "orders";
    private static final String JSON_1_1 = "application/x-amz-json-1.1";

    private final ScriptedHttpServer kinesis = ScriptedHttpServer.start();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @AfterEach
    void stopServer() {
        kinesis.close();
    }

    // records[i] of the answer is request entry i: only message 41 failed, 40 and 42 arrived.
    @Test
    void aThrottledRecordIsARetryableRejectionOfExactlyItsMessage() throws Exception {
        kinesis.answerByDefault(json(200, "{\"FailedRecordCount\":1,\"Records\":["
                + "{\"SequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\","
                + "\"ShardId\":\"shardId-000000000000\"},"
                + "{\"ErrorCode\":\"ProvisionedThroughputExceededException\","
                + "\"ErrorMessage\":\"Rate exceeded for shard shardId-000000000000 in stream orders\"},"
                + "{\"SequenceNumber\":\"49590338271490256608559692538361571095921575989136588899\","
                + "\"ShardId\":\"shardId-000000000000\"}]}"));

        ExportResult result;
        try (var exporter = exporter(Duration.ofSeconds(5))) {
            result = exporter.export(batch(40, 3));
        }

        assertThat(result).isInstanceOf(ExportResult.Partial.class);
        var rejected = ((ExportResult.Partial) result).rejected();
        assertThat(rejected).containsOnlyKeys(41L);
        assertThat(rejected.get(41L).retryable()).isTrue();
        assertThat(rejected.get(41L).reason()).contains("PutRecords to Kinesis stream \"orders\"", "record 1",
                "message 41", "ProvisionedThroughputExceededException", "Rate exceeded");
    }

    // The failure injection above is only meaningful if the SDK sent Kinesis's JSON protocol, not CBOR.
    @Test
    void sendsOnePutRecordsCallInJsonWithEveryPayloadInOrder() throws Exception {
        kinesis.answerByDefault(json(200, "{\"FailedRecordCount\":0,\"Records\":["
                + "{\"SequenceNumber\":\"1\",\"ShardId\":\"shardId-000000000000\"},"
                + "{\"SequenceNumber\":\"2\",\"ShardId\":\"shardId-000000000000\"}]}"));

        try (var exporter = exporter(Duration.ofSeconds(5))) {
            assertThat(exporter.export(batch(7, 2))).isEqualTo(ExportResult.DELIVERED);
        }

        var requests = kinesis.requests();
        assertThat(requests).hasSize(1);
        var request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo(JSON_1_1);
        assertThat(request.header("X-Amz-Target")).isEqualTo("Kinesis_20131202.PutRecords");
        String body = request.bodyText();
        assertThat(body).contains("\"StreamName\":\"orders\"");
        assertThat(body.indexOf(base64(payload(7)))).isPositive().isLessThan(body.indexOf(base64(payload(8))));
        var keys = Pattern.compile("\"PartitionKey\":\"([^\"]+)\"").matcher(body).results()
                .map(match -> match.group(1)).toList();
        assertThat(keys).hasSize(2).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(strings = {"InternalFailure", "KMSThrottlingException", "KMSAccessDeniedException",
            "KMSDisabledException", "KMSNotFoundException", "KMSInvalidStateException", "KMSOptInRequired",
            "SomethingNew"})
    void everyPerRecordErrorCodeIsRetryable(String code) throws Exception {
        kinesis.answerByDefault(json(200, "{\"FailedRecordCount\":1,\"Records\":["
                + "{\"ErrorCode\":\"" + code + "\",\"ErrorMessage\":\"said so\"}]}"));

        try (var exporter = exporter(Duration.ofSeconds(5))) {
            var result = exporter.export(batch(3, 1));

            assertThat(result).isInstanceOf(ExportResult.Partial.class);
            var rejection = ((ExportResult.Partial) result).rejected().get(3L);
            assertThat(rejection.retryable()).isTrue();
            assertThat(rejection.reason()).contains(code, "said so", "retrying");
        }
    }

    // Without a way to tell which records arrived, the whole batch goes again (duplicates, never losses).
    @Test
    void anAnswerWithFewerResultsThanRecordsMeansRetry() throws Exception {
        kinesis.answerByDefault(json(200, "{\"FailedRecordCount\":0,\"Records\":["
                + "{\"SequenceNumber\":\"1\",\"ShardId\":\"shardId-000000000000\"}]}"));

        try (var exporter = exporter(Duration.ofSeconds(5))) {
            var result = exporter.export(batch(0, 2));

            assertThat(result).isInstanceOf(ExportResult.Retry.class);
            assertThat(((ExportResult.Retry) result).reason()).contains("1 record results for 2 records");
        }
    }

    @Test
    void aFailedRecordCountWithoutAFailedRecordMeansRetry() throws Exception {
        kinesis.answerByDefault(json(200, "{\"FailedRecordCount\":1,\"Records\":["
                + "{\"SequenceNumber\":\"1\",\"ShardId\":\"shardId-000000000000\"}]}"));

        try (var exporter = exporter(Duration.ofSeconds(5))) {
            assertThat(exporter.export(batch(0, 1))).isInstanceOf(ExportResult.Retry.class);
        }
    }

    @Test
    void aThrottledCallMeansRetry() throws Exception {
        kinesis.answerByDefault(json(400, "{\"__type\":\"ProvisionedThroughputExceededException\","
                + "\"message\":\"Rate exceeded for stream orders\"}"));

        try (var exporter = exporter(Duration.ofSeconds(5))) {
            var result = exporter.export(batch(0, 2));

            assertThat(result).isInstanceOf(ExportResult.Retry.class);
            assertThat(((ExportResult.Retry) result).reason())
                    .contains("orders", "ProvisionedThroughputExceededException", "Rate exceeded");
        }
    }

    @Test
    void aServerErrorMeansRetry() throws Exception {
        kinesis.answerByDefault(json(500, "{\"__type\":\"InternalFailure\",\"message\":\"oops\"}"));

        try (var exporter = exporter(Duration.ofSeconds(5))) {
            assertThat(exporter.export(batch(0, 2))).isInstanceOf(ExportResult.Retry.class);
        }
    }

    // A hung call must end at the destination's call timeout, as a Retry, and not hold the worker forever.
    @Test
    void aCallThatNeverAnswersEndsAtTheCallTimeoutAsRetry() throws Exception {
        kinesis.answerByDefault(Answer.hanging());

        try (var exporter = exporter(Duration.ofMillis(500))) {
            long started = System.nanoTime();
            var result = exporter.export(batch(0, 1));

            assertThat(result).isInstanceOf(ExportResult.Retry.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    // The runtime stops an export by interrupting its worker: that must not read as a failed call.
    @Test
    void anInterruptedWorkerGetsInterruptedExceptionNotAResult() {
        kinesis.answerByDefault(json(200, "{\"FailedRecordCount\":0,\"Records\":["
                + "{\"SequenceNumber\":\"1\",\"ShardId\":\"shardId-000000000000\"}]}"));

        try (var exporter = exporter(Duration.ofSeconds(5))) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> exporter.export(batch(0, 1))).isInstanceOf(InterruptedException.class)
                    .hasMessageContaining("orders");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            Thread.interrupted();
        }
    }

    // A validation error of the call is about the records (the stream name was checked up front): the runtime
    // splits the batch to find the bad message.
    @Test
    void aValidationErrorOfTheCallRejectsTheBatch() throws Exception {
        kinesis.answerByDefault(json(400, "{\"__type\":\"ValidationException\","
                + "\"message\":\"1 validation error detected\"}"));

        try (var exporter = exporter(Duration.ofSeconds(5))) {
            assertThat(exporter.export(batch(0, 2))).isInstanceOf(ExportResult.Rejected.class);
        }
    }

    private Exporter exporter(Duration callTimeout) {
        var provider = new KinesisExporterProvider(Optional.of(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("scripted", "scripted"))));
        var destination = new DestinationSettings(Optional.of(kinesis.uri()), Optional.of("us-east-1"),
                callTimeout);
        return provider.create(new ExportConfig.Kinesis(ExportSettings.of("to-orders"), KINESIS_STREAM),
                new ExporterContext(StreamName.of("local"), destination, clock));
    }

    private Batch batch(int first, int count) {
        var messages = new ArrayList<Message>();
        for (int i = first; i < first + count; i++) {
            messages.add(new Message(i, clock.millis(), payload(i)));
        }
        return new Batch(StreamName.of("local"), "to-orders", messages, 1);
    }

    private static byte[] payload(int index) {
        return ("reading " + index).getBytes(StandardCharsets.UTF_8);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static Answer json(int status, String body) {
        return Answer.of(status, body).withHeader("Content-Type", JSON_1_1);
    }
}
