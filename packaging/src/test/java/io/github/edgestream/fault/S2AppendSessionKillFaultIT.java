package io.github.edgestream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.fixture.NpmProject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 during an S2 append session: the official S2 SDK ({@code src/test/js-s2}) appends numbered records through
 * an append session (S2S over h2c, 8 batches of 10 in flight, each batch conditional on {@code match_seq_num}) to a
 * stream with S2's default durability, and the daemon is killed after a random number of acknowledgements. After
 * each restart every acknowledged record is there, in order, each at the sequence number its producer meant (its
 * body says which); a new session's next {@code match_seq_num} append continues at the tail without a duplicate or a
 * hole. Test command: 3 kills; {@code -Dfault.scale=large}: 20.
 */
class S2AppendSessionKillFaultIT extends DaemonFaultTest {

    private static final Path SOURCES = Path.of("src", "test", "js-s2");
    private static final Path WORK = Path.of("target", "s2-js-producer");
    private static final String BASIN = "crash-test-basin";
    private static final String STREAM = "orders";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyAcknowledgedRecordSurvivesKill9DuringAnAppendSession() throws Exception {
        NpmProject.install(SOURCES, WORK);
        int trials = FaultBudget.get("fault.s2.trials", 3, 20);
        Random random = new Random(FaultBudget.seed());
        Path config = config(root.resolve("data"), "", "",
                "http:\n  port: 0\n  authenticateClient: false\n");
        long acknowledged = 0;
        for (int trial = 0; trial < trials; trial++) {
            start(config);
            String endpoint = "http://127.0.0.1:" + daemon.httpPort();
            assertThat(verify(endpoint)).as("trial %d: the stream after the restart", trial)
                    .isGreaterThanOrEqualTo(acknowledged);
            long killAfter = 200 + random.nextInt(3000);
            Producer producer = Producer.start(endpoint, "forever");
            long seen = producer.awaitAcknowledged(killAfter, Duration.ofSeconds(60));
            assertThat(seen).as("trial %d: acks before the kill (%s)", trial, producer.lines).isGreaterThanOrEqualTo(
                    killAfter);
            daemon.kill();
            acknowledged = producer.finish();
        }
        start(config);
        String endpoint = "http://127.0.0.1:" + daemon.httpPort();
        long before = verify(endpoint);
        assertThat(before).isGreaterThanOrEqualTo(acknowledged);
        // a new session continues from the tail, conditionally: no duplicate of what the killed sessions wrote
        Producer more = Producer.start(endpoint, "300");
        assertThat(more.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        more.finish();
        assertThat(more.process.exitValue()).as("the producer after the last restart: %s", more.lines).isZero();
        assertThat(verify(endpoint)).isEqualTo(before + 300);
        daemon.terminate();
        assertThat(daemon.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Reads the whole stream over the S2 API (JSON) and checks that record n's body is "r" + n, from 0 to the tail
     * without a gap; returns the tail.
     */
    private static long verify(String endpoint) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonNode tail = get(http, endpoint + "/v1/streams/" + STREAM + "/records/tail");
        if (tail == null) {
            return 0; // not created yet
        }
        long end = tail.path("tail").path("seq_num").asLong();
        long next = 0;
        while (next < end) {
            JsonNode batch = get(http, endpoint + "/v1/streams/" + STREAM + "/records?seq_num=" + next + "&count=1000");
            assertThat(batch).isNotNull();
            JsonNode records = batch.path("records");
            assertThat(records.size()).as("records from %d of %d", next, end).isPositive();
            for (JsonNode record : records) {
                assertThat(record.path("seq_num").asLong()).isEqualTo(next);
                assertThat(record.path("body").asText()).as("record %d", next).isEqualTo("r" + next);
                next++;
            }
        }
        return end;
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("s2-basin", BASIN)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The SDK producer script as a process, its output collected. */
    private static final class Producer {
        final Process process;
        final List<String> lines = new ArrayList<>();
        private long highestEnd = -1;
        private final CompletableFuture<Void> drained;

        private Producer(Process process) {
            this.process = process;
            this.drained = CompletableFuture.runAsync(this::drain);
        }

        static Producer start(String endpoint, String records) throws Exception {
            ProcessBuilder builder = new ProcessBuilder("node", "s2-session-producer.js", endpoint, "unused-token",
                    BASIN, STREAM, records).directory(WORK.toFile()).redirectErrorStream(true);
            return new Producer(NpmProject.start(builder));
        }

        private void drain() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (this) {
                        lines.add(line);
                        if (line.startsWith("ACK ")) {
                            highestEnd = Math.max(highestEnd, Long.parseLong(line.split(" ")[2]));
                        }
                        notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        }

        /** Waits until acks reach {@code count} records past the session's start (bounded); returns how many. */
        synchronized long awaitAcknowledged(long count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (acknowledgedSinceStart() < count && process.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
            return acknowledgedSinceStart();
        }

        private long acknowledgedSinceStart() {
            long start = lines.stream().filter(l -> l.startsWith("START ")).mapToLong(l -> Long.parseLong(
                    l.substring(6).trim())).findFirst().orElse(0);
            return highestEnd < 0 ? 0 : highestEnd - start;
        }

        /** Waits for the process to end (it does once the daemon is gone) and returns the highest acked end. */
        long finish() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            drained.get(30, TimeUnit.SECONDS);
            synchronized (this) {
                return Math.max(0, highestEnd);
            }
        }
    }
}
