package io.github.edgestream.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import io.github.edgestream.exporter.common.ScriptedHttpServer.Answer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What reaches a real loopback receiver, and how its answers end. */
class HttpExporterTest {

    private static final StreamName STREAM = StreamName.of("line 1.temperature");

    private final ScriptedHttpServer server = ScriptedHttpServer.start();
    private final ManualClock clock = ManualClock.startingAt2026();
    private final List<Exporter> exporters = new ArrayList<>();

    @AfterEach
    void closeAll() {
        exporters.forEach(Exporter::close);
        server.close();
    }

    @Test
    void rawSendsEachPayloadAsTheBodyOfItsOwnPostWithStreamAndSequenceHeaders() throws Exception {
        var batch = batch(40, new byte[] {0, 1, (byte) 0xFF, '\n'}, "{\"t\":21.5}".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3});

        assertThat(exporter(ExportFormat.RAW_NOT_BATCHED).export(batch)).isEqualTo(ExportResult.DELIVERED);

        var requests = server.requests();
        assertThat(requests).hasSize(3);
        for (int i = 0; i < 3; i++) {
            var request = requests.get(i);
            var message = batch.messages().get(i);
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/ingest");
            assertThat(request.body()).isEqualTo(message.payload());
            assertThat(request.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(request.header("Content-Length")).isEqualTo(Integer.toString(message.payload().length));
            assertThat(request.header("X-Edgestream-Stream")).isEqualTo("line 1.temperature");
            assertThat(request.header("X-Edgestream-Export")).isEqualTo("to-http");
            assertThat(request.header("X-Edgestream-Sequence-Number")).isEqualTo(Long.toString(40 + i));
            assertThat(request.header("X-Edgestream-Ingest-Time"))
                    .isEqualTo(Long.toString(message.ingestTimeEpochMillis()));
        }
    }

    @Test
    void jsonSendsTheBatchAsOneArrayOfMessagesWithBase64Payloads() throws Exception {
        var batch = batch(7, new byte[] {0, 1, (byte) 0xFF, '"', '\\'}, "plain".getBytes(StandardCharsets.UTF_8));

        assertThat(exporter(ExportFormat.JSON_BATCHED).export(batch)).isEqualTo(ExportResult.DELIVERED);

        var requests = server.requests();
        assertThat(requests).hasSize(1);
        var request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/ingest");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Content-Length")).isEqualTo(Integer.toString(request.body().length));
        assertThat(request.header("X-Edgestream-Stream")).isEqualTo("line 1.temperature");
        JsonNode array = new ObjectMapper().readTree(request.body());
        assertThat(array.isArray()).isTrue();
        assertThat(array.size()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            var node = array.get(i);
            var message = batch.messages().get(i);
            var keys = new ArrayList<String>();
            node.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("streamName", "sequenceNumber", "ingestTime", "payload");
            assertThat(node.get("streamName").asText()).isEqualTo("line 1.temperature");
            assertThat(node.get("sequenceNumber").asLong()).isEqualTo(7 + i);
            assertThat(node.get("ingestTime").asLong()).isEqualTo(message.ingestTimeEpochMillis());
            assertThat(Base64.getDecoder().decode(node.get("payload").asText())).isEqualTo(message.payload());
        }
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void aServerErrorMeansRetry(ExportFormat format) throws Exception {
        server.answerByDefault(Answer.of(500, "{\"error\":\"disk full\"}"));

        var result = exporter(format).export(batch(0, payloads(3)));

        assertThat(result).isInstanceOf(ExportResult.Retry.class);
        var retry = (ExportResult.Retry) result;
        assertThat(retry.reason()).contains(server.uri("/ingest").toString(), "HTTP 500", "disk full");
        assertThat(retry.notBefore()).isEmpty();
        // raw stops at the first failure
        assertThat(server.requests()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void tooManyRequestsWithRetryAfterMeansRetryNotBeforeThat(ExportFormat format) throws Exception {
        server.answerByDefault(Answer.of(429).withHeader("Retry-After", "7"));

        var result = exporter(format).export(batch(0, payloads(2)));

        assertThat(result).isInstanceOf(ExportResult.Retry.class);
        assertThat(((ExportResult.Retry) result).notBefore()).contains(Duration.ofSeconds(7));
    }

    @Test
    void unavailableWithAnHttpDateWaitsUntilThatDateByTheExportersClock() throws Exception {
        clock.advance(Duration.ofMinutes(1));
        server.answerByDefault(Answer.of(503).withHeader("Retry-After", "Thu, 01 Jan 2026 00:02:30 GMT"));

        var result = exporter(ExportFormat.JSON_BATCHED).export(batch(0, payloads(1)));

        assertThat(((ExportResult.Retry) result).notBefore()).contains(Duration.ofSeconds(90));
    }

    // The runtime halves a rejected batch to find the bad messages.
    @Test
    void aBadRequestRejectsTheJsonBatch() throws Exception {
        server.answerByDefault(Answer.of(400, "{\"message\":\"field t missing\"}"));

        var result = exporter(ExportFormat.JSON_BATCHED).export(batch(3, payloads(4)));

        assertThat(result).isInstanceOf(ExportResult.Rejected.class);
        assertThat(((ExportResult.Rejected) result).reason())
                .contains("POST of 4 messages 3..6", "HTTP 400", "field t missing");
    }

    @Test
    void aBadRequestRejectsOnlyThatRawMessageAndTheNextIsStillSent() throws Exception {
        server.thenAnswer(Answer.of(200), Answer.of(400, "not a number"), Answer.of(200));

        var result = exporter(ExportFormat.RAW_NOT_BATCHED).export(batch(20, payloads(3)));

        assertThat(result).isInstanceOf(ExportResult.Partial.class);
        var rejected = ((ExportResult.Partial) result).rejected();
        assertThat(rejected).containsOnlyKeys(21L);
        assertThat(rejected.get(21L).retryable()).isFalse();
        assertThat(rejected.get(21L).reason()).contains("POST of message 21", "HTTP 400", "not a number");
        assertThat(server.requests()).extracting(r -> r.header("X-Edgestream-Sequence-Number"))
                .containsExactly("20", "21", "22");
    }

    // Partial: every message not named arrived; the failed one and those after it were not (all) received.
    @Test
    void anUnavailableReceiverMidwayThroughARawBatchDeliversTheEarlierAndRetriesTheRest() throws Exception {
        server.thenAnswer(Answer.of(200), Answer.of(204), Answer.of(503, "overloaded"));

        var result = exporter(ExportFormat.RAW_NOT_BATCHED).export(batch(10, payloads(5)));

        assertThat(result).isInstanceOf(ExportResult.Partial.class);
        var rejected = ((ExportResult.Partial) result).rejected();
        assertThat(rejected).containsOnlyKeys(12L, 13L, 14L);
        assertThat(rejected.values()).allMatch(ExportResult.Rejection::retryable);
        assertThat(rejected.get(12L).reason()).contains("POST of message 12", "HTTP 503", "overloaded");
        assertThat(rejected.get(13L).reason()).startsWith("not sent: an earlier message of this batch failed");
        assertThat(server.requests()).extracting(r -> r.header("X-Edgestream-Sequence-Number"))
                .containsExactly("10", "11", "12");
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    @Timeout(15)
    void aReceiverThatNeverAnswersEndsAsRetryAfterTheCallTimeout(ExportFormat format) throws Exception {
        server.answerByDefault(Answer.hanging());
        var exporter = exporter(format, Duration.ofSeconds(1));

        long start = System.nanoTime();
        var result = exporter.export(batch(0, payloads(2)));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result).isInstanceOf(ExportResult.Retry.class);
        assertThat(((ExportResult.Retry) result).reason()).contains("no answer within 1 s");
        assertThat(elapsedMillis).isBetween(900L, 8_000L);
        assertThat(server.requests()).hasSize(1);
    }

    // The request's own timeout ends with the headers; the call timeout also covers a body that never ends.
    @Test
    @Timeout(15)
    void aReceiverThatStallsInTheMiddleOfItsAnswerEndsAsRetryAfterTheCallTimeout() throws Exception {
        var release = new CountDownLatch(1);
        try (var stalling = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var receiver = new Thread(() -> {
                try (Socket socket = stalling.accept()) {
                    var in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    while (!in.readLine().isEmpty()) {
                        // the request's headers; the body is never read
                    }
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    release.await();
                } catch (Exception e) {
                    // the test is over
                }
            }, "stalling-receiver");
            receiver.setDaemon(true);
            receiver.start();
            URI uri = URI.create("http://127.0.0.1:" + stalling.getLocalPort() + "/ingest");
            var exporter = exporter(new ExportConfig.Http(ExportSettings.of("to-http"), uri,
                    Optional.of(ExportFormat.JSON_BATCHED)), Duration.ofSeconds(1));

            long start = System.nanoTime();
            var result = exporter.export(batch(0, payloads(1)));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(result).isInstanceOf(ExportResult.Retry.class);
            assertThat(((ExportResult.Retry) result).reason()).contains("no answer within 1 s");
            assertThat(elapsedMillis).isBetween(900L, 8_000L);
        } finally {
            release.countDown();
        }
    }

    // The runtime stops an export by interrupting it; the call in flight must not hold it for a call timeout.
    @Test
    @Timeout(15)
    void anInterruptEndsTheCallInFlightAndPropagates() throws Exception {
        server.answerByDefault(Answer.hanging());
        var exporter = exporter(ExportFormat.RAW_NOT_BATCHED, Duration.ofSeconds(60));
        var outcome = new CompletableFuture<Throwable>();
        var worker = new Thread(() -> {
            try {
                exporter.export(batch(0, payloads(1)));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        }, "exporting");
        worker.setDaemon(true);
        worker.start();
        server.awaitRequests(1, Duration.ofSeconds(10));

        worker.interrupt();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void closeStopsTheExecutorIsIdempotentAndRefusesLaterBatches() throws Exception {
        // only this exporter's threads: those of earlier tests' exporters may still be ending
        var earlier = exporterThreads();
        var exporter = (HttpExporter) exporter(ExportFormat.RAW_NOT_BATCHED);
        exporter.export(batch(0, payloads(1)));
        var mine = new ArrayList<>(exporterThreads());
        mine.removeAll(earlier);
        assertThat(mine).isNotEmpty();

        exporter.close();
        exporter.close();

        assertThat(exporter.awaitStopped(Duration.ofSeconds(10))).isTrue();
        // a terminated executor's last thread may still be running its exit; it must end without further help
        for (Thread thread : mine) {
            thread.join(Duration.ofSeconds(10).toMillis());
        }
        assertThat(mine).noneMatch(Thread::isAlive);
        assertThatThrownBy(() -> exporter.export(batch(1, payloads(1)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reasonsNeverShowTheUrisUserInfoOrQuery() throws Exception {
        server.answerByDefault(Answer.of(500));
        URI secret = URI.create("http://user:pw@127.0.0.1:" + server.uri().getPort() + "/ingest?token=s3cr3t");

        var result = exporter(new ExportConfig.Http(ExportSettings.of("to-http"), secret,
                Optional.of(ExportFormat.JSON_BATCHED)), Duration.ofSeconds(5)).export(batch(0, payloads(1)));

        assertThat(((ExportResult.Retry) result).reason()).contains("HTTP 500").doesNotContain("pw", "s3cr3t");
    }

    /** The live threads of the exporters' own executors (the client runs its work there). */
    private static List<Thread> exporterThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("exporter.http " + STREAM.value() + " #"))
                .filter(Thread::isAlive)
                .toList();
    }

    private Exporter exporter(ExportFormat format) {
        return exporter(format, Duration.ofSeconds(5));
    }

    private Exporter exporter(ExportFormat format, Duration callTimeout) {
        return exporter(new ExportConfig.Http(ExportSettings.of("to-http"), server.uri("/ingest"),
                Optional.of(format)), callTimeout);
    }

    private Exporter exporter(ExportConfig config, Duration callTimeout) {
        var destination = new DestinationSettings(Optional.empty(), Optional.empty(), callTimeout);
        var exporter = new HttpExporterProvider().create(config, new ExporterContext(STREAM, destination, clock));
        exporters.add(exporter);
        return exporter;
    }

    private static byte[][] payloads(int count) {
        var payloads = new byte[count][];
        for (int i = 0; i < count; i++) {
            payloads[i] = ("payload " + i).getBytes(StandardCharsets.UTF_8);
        }
        return payloads;
    }

    private Batch batch(long first, byte[]... payloads) {
        var messages = new ArrayList<Message>();
        for (int i = 0; i < payloads.length; i++) {
            messages.add(new Message(first + i, clock.millis() - 1000 + i, payloads[i]));
        }
        return new Batch(STREAM, "to-http", messages, 1);
    }
}
