package io.github.edgestream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * kill -9 between OCI Streaming consumer-group commits: a 3-partition stream made through the OCI API (version
 * 20180418) holds numbered messages; group {@code g} reads them with a group cursor ({@code commitOnGet} off),
 * committing every batch with ConsumerCommit, and the daemon is killed right after a random commit's 200, while a
 * second thread reads and commits group {@code h} one or a few messages at a time (so one of its commits is usually
 * in flight when the kill lands). After each restart GetGroup shows {@code g}'s last acknowledged commit exactly
 * (nothing lost, nothing more) and {@code h}'s between its last acknowledged and its last sent commit; a new instance
 * of each group then reads on from exactly the committed offsets (every message it gets is the next one of its
 * partition: no gap, nothing before them again). At the end {@code g} reads every partition to its end, so what was
 * consumed under committed batches over all lives is every message, once, in order. Test command: 3 kills, 1,500
 * messages; {@code -Dfault.scale=large}: 20 kills, 12,000 messages.
 */
class OciGroupCommitKillFaultIT extends DaemonFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/20180418/streams";
    private static final int PARTITIONS = 3;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** Per partition, the value of the message at each offset, from PutMessages' answers. */
    private List<List<String>> expected;
    private String endpoint;
    private String streamId;

    @Test
    void everyAcknowledgedGroupCommitSurvivesKill9() throws Exception {
        int trials = FaultBudget.get("fault.oci.trials", 3, 20);
        int total = FaultBudget.get("fault.oci.messages", 1500, 12_000);
        Random random = new Random(FaultBudget.seed());
        Path config = config(root.resolve("data"), "", "", "http:\n  port: 0\n  authenticateClient: false\n");
        long began = System.nanoTime();

        start(config);
        endpoint = "http://127.0.0.1:" + daemon.httpPort();
        streamId = createStream();
        expected = putMessages(total);

        Group g = new Group("g");
        Group h = new Group("h");
        int inFlightAtKill = 0;
        for (int trial = 0; trial < trials; trial++) {
            if (trial > 0) {
                start(config);
                endpoint = "http://127.0.0.1:" + daemon.httpPort();
            }
            assertThat(messagesIn()).as("trial %d: the stream after the restart", trial).isEqualTo(expected);
            long[] gCommitted = new long[PARTITIONS];
            long[] hCommitted = new long[PARTITIONS];
            if (trial > 0) {
                gCommitted = committed("g");
                hCommitted = committed("h");
                checkCommitted(trial, g, gCommitted, h, hCommitted);
            }
            g.resume(gCommitted, "i" + (trial + 1));
            h.resume(hCommitted, "h" + (trial + 1));

            // consume part of what g has left, h alongside; kill right after g's commit of the target is answered
            long left = total - g.consumed();
            long target = g.consumed() + 1 + random.nextInt((int) Math.max(1, 2 * (left - 1) / (trials - trial)));
            target = Math.min(target, total - 1); // something is left for the next life
            AtomicReference<Throwable> hFailed = new AtomicReference<>();
            long hSeed = random.nextLong();
            Thread hThread = new Thread(() -> h.consumeUntilKilled(hSeed, hFailed), "group-h");
            hThread.start();
            try {
                awaitCommits(h, 3, hFailed);
                while (g.consumed() < target) {
                    g.readAndCommit((int) Math.min(50, target - g.consumed()));
                }
            } finally {
                int sentBefore = h.commitsSent();
                int ackedBefore = h.commitsAcknowledged();
                daemon.kill();
                inFlightAtKill += sentBefore > ackedBefore ? 1 : 0;
                hThread.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(hThread.isAlive()).as("group h's thread ended after the kill").isFalse();
            }
            if (hFailed.get() != null) {
                throw new AssertionError("trial " + trial + ": group h", hFailed.get());
            }
            assertThat(g.consumed()).isEqualTo(target);
        }

        // the last life: both groups read on from their committed offsets to the end of every partition
        start(config);
        endpoint = "http://127.0.0.1:" + daemon.httpPort();
        assertThat(messagesIn()).isEqualTo(expected);
        long[] gCommitted = committed("g");
        long[] hCommitted = committed("h");
        checkCommitted(trials, g, gCommitted, h, hCommitted);
        assertThat(g.consumed()).as("messages left for the last life").isLessThan(total);
        g.resume(gCommitted, "i" + (trials + 1));
        h.resume(hCommitted, "h" + (trials + 1));
        g.readToEnd();
        h.readToEnd();
        long[] ends = new long[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            ends[p] = expected.get(p).size();
        }
        assertThat(committed("g")).as("group g committed every partition to its end").containsExactly(ends);
        assertThat(committed("h")).as("group h committed every partition to its end").containsExactly(ends);
        daemon.terminate();
        assertThat(daemon.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        new FaultReport("OCI group commits, kill -9").put("kills", trials).put("messages", total)
                .put("g commits", g.commitsAcknowledged()).put("h commits", h.commitsAcknowledged())
                .put("kills with an h commit in flight", inFlightAtKill)
                .put("seconds", (System.nanoTime() - began) / 1e9).publish();
    }

    /**
     * After kill -9: g was killed right after a 200, so its committed positions are exactly the last acknowledged
     * ones; h possibly with a commit in flight, so at least its acknowledged and at most its sent positions.
     */
    private static void checkCommitted(int life, Group g, long[] gCommitted, Group h, long[] hCommitted) {
        assertThat(gCommitted).as("life %d: group g's committed positions after kill -9 (acknowledged %s)", life,
                Arrays.toString(g.acknowledged)).containsExactly(g.acknowledged);
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(hCommitted[p]).as("life %d: group h's committed position in partition %d (acknowledged %s,"
                    + " sent %s)", life, p, Arrays.toString(h.acknowledged), Arrays.toString(h.sent))
                    .isBetween(h.acknowledged[p], h.sent[p]);
        }
    }

    // ---------------------------------------------------------------------------------------------- the stream

    private String createStream() throws Exception {
        JsonNode created = call("POST", API, "{\"name\":\"kill\",\"partitions\":" + PARTITIONS
                + ",\"compartmentId\":\"ocid1.compartment.oc1..test\"}");
        String id = created.path("id").asText();
        assertThat(id).as("CreateStream's answer: %s", created).isNotEmpty();
        return id;
    }

    /** Puts {@code total} messages with distinct keys, 100 per request; answers what each partition holds. */
    private List<List<String>> putMessages(int total) throws Exception {
        List<List<String>> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new ArrayList<>());
        }
        for (int from = 0; from < total; from += 100) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode messages = body.putArray("messages");
            int to = Math.min(total, from + 100);
            for (int i = from; i < to; i++) {
                messages.addObject().put("key", base64("key-" + i)).put("value", base64("message-" + i));
            }
            JsonNode answer = call("POST", API + "/" + streamId + "/messages", body.toString());
            assertThat(answer.path("failures").asInt(-1)).as("PutMessages: %s", answer).isZero();
            JsonNode entries = answer.path("entries");
            assertThat(entries.size()).isEqualTo(to - from);
            for (int i = from; i < to; i++) {
                JsonNode entry = entries.get(i - from);
                List<String> partition = partitions.get(Integer.parseInt(entry.path("partition").asText()));
                assertThat(entry.path("offset").asLong()).as("PutMessages entry %s", entry)
                        .isEqualTo(partition.size());
                partition.add("message-" + i);
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(partitions.get(p)).as("messages routed to partition %d", p).isNotEmpty();
        }
        return partitions;
    }

    /** Every partition's messages, read with partition cursors from TRIM_HORIZON. */
    private List<List<String>> messagesIn() throws Exception {
        List<List<String>> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<String> values = new ArrayList<>();
            String cursor = call("POST", API + "/" + streamId + "/cursors", "{\"partition\":\"" + p
                    + "\",\"type\":\"TRIM_HORIZON\"}").path("value").asText();
            while (true) {
                HttpResponse<String> answer = send("GET", API + "/" + streamId + "/messages?limit=1000&cursor="
                        + encode(cursor), null);
                JsonNode batch = ok(answer);
                if (batch.isEmpty()) {
                    break;
                }
                for (JsonNode message : batch) {
                    assertThat(message.path("offset").asLong()).isEqualTo(values.size());
                    values.add(text(message.path("value").asText()));
                }
                cursor = answer.headers().firstValue("opc-next-cursor").orElseThrow();
            }
            partitions.add(values);
        }
        return partitions;
    }

    /** GetGroup: per partition, the committed position (committedOffset + 1; 0 where nothing was committed). */
    private long[] committed(String group) throws Exception {
        JsonNode answer = call("GET", API + "/" + streamId + "/groups/" + group, null);
        assertThat(answer.path("groupName").asText()).as("GetGroup: %s", answer).isEqualTo(group);
        long[] positions = new long[PARTITIONS];
        boolean[] seen = new boolean[PARTITIONS];
        for (JsonNode reservation : answer.path("reservations")) {
            int p = Integer.parseInt(reservation.path("partition").asText());
            seen[p] = true;
            JsonNode offset = reservation.get("committedOffset");
            positions[p] = offset == null || offset.isNull() ? 0 : offset.asLong() + 1;
        }
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(seen[p]).as("GetGroup names partition %d: %s", p, answer).isTrue();
        }
        return positions;
    }

    private void awaitCommits(Group group, int count, AtomicReference<Throwable> failed) throws InterruptedException {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        synchronized (group) {
            int start = group.commitsAcknowledged;
            while (group.commitsAcknowledged - start < count && failed.get() == null && !group.done) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("group %s acknowledged %d commits in %s", group.name,
                        group.commitsAcknowledged - start, PHASE_TIMEOUT).isPositive();
                TimeUnit.NANOSECONDS.timedWait(group, left);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- a group

    /**
     * One consumer group as its client sees it, across the daemon's lives: where it has read to, what its commits
     * sent and which were acknowledged, per partition.
     */
    private final class Group {
        final String name;
        final long[] next = new long[PARTITIONS];
        final long[] acknowledged = new long[PARTITIONS];
        final long[] sent = new long[PARTITIONS];
        int commitsSent;
        int commitsAcknowledged;
        boolean done;
        String instance;
        String cursor;

        Group(String name) {
            this.name = name;
        }

        /** A new instance after a restart: reading goes on from the committed positions. */
        synchronized void resume(long[] committed, String instance) throws Exception {
            System.arraycopy(committed, 0, next, 0, PARTITIONS);
            System.arraycopy(committed, 0, acknowledged, 0, PARTITIONS);
            this.instance = instance;
            this.done = false;
            cursor = call("POST", API + "/" + streamId + "/groupCursors", "{\"groupName\":\"" + name
                    + "\",\"instanceName\":\"" + instance + "\",\"type\":\"TRIM_HORIZON\",\"commitOnGet\":false,"
                    + "\"timeoutInMs\":30000}").path("value").asText();
            assertThat(cursor).isNotEmpty();
        }

        synchronized long consumed() {
            long sum = 0;
            for (long n : acknowledged) {
                sum += n;
            }
            return sum;
        }

        synchronized int commitsSent() {
            return commitsSent;
        }

        synchronized int commitsAcknowledged() {
            return commitsAcknowledged;
        }

        /**
         * GetMessages with {@code limit}, each message checked to be the next of its partition, then ConsumerCommit
         * with the answer's cursor; answers how many messages the batch had.
         */
        int readAndCommit(int limit) throws Exception {
            HttpResponse<String> answer = send("GET", API + "/" + streamId + "/messages?limit=" + limit + "&cursor="
                    + encode(cursor), null);
            JsonNode batch = ok(answer);
            synchronized (this) {
                for (JsonNode message : batch) {
                    int p = Integer.parseInt(message.path("partition").asText());
                    long offset = message.path("offset").asLong();
                    assertThat(offset).as("group %s (instance %s), partition %d: the offset after %d (committed %s)",
                            name, instance, p, next[p] - 1, Arrays.toString(acknowledged)).isEqualTo(next[p]);
                    assertThat(text(message.path("value").asText())).as("partition %d offset %d", p, offset)
                            .isEqualTo(expected.get(p).get((int) offset));
                    next[p]++;
                }
            }
            String nextCursor = answer.headers().firstValue("opc-next-cursor").orElse(null);
            assertThat(nextCursor).as("GetMessages' opc-next-cursor").isNotEmpty();
            long[] committing;
            synchronized (this) {
                committing = next.clone();
                for (int p = 0; p < PARTITIONS; p++) {
                    sent[p] = Math.max(sent[p], committing[p]);
                }
                commitsSent++;
            }
            JsonNode committed = call("POST", API + "/" + streamId + "/commit?cursor=" + encode(nextCursor), "");
            synchronized (this) {
                System.arraycopy(committing, 0, acknowledged, 0, PARTITIONS);
                commitsAcknowledged++;
                cursor = committed.path("value").asText();
                assertThat(cursor).as("ConsumerCommit's answer: %s", committed).isNotEmpty();
                notifyAll();
            }
            return batch.size();
        }

        /** Reads and commits a few messages at a time until a call fails because the daemon is gone. */
        void consumeUntilKilled(long seed, AtomicReference<Throwable> failed) {
            Random random = new Random(seed);
            try {
                while (true) {
                    readAndCommit(1 + random.nextInt(3));
                    if (atEnd()) {
                        synchronized (this) {
                            done = true;
                            notifyAll();
                        }
                        return; // nothing left to commit: no commit of h can be in flight
                    }
                }
            } catch (IOException gone) {
                // the daemon was killed
            } catch (Throwable e) {
                failed.set(e);
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        synchronized boolean atEnd() {
            for (int p = 0; p < PARTITIONS; p++) {
                if (next[p] < expected.get(p).size()) {
                    return false;
                }
            }
            return true;
        }

        void readToEnd() throws Exception {
            long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
            while (!atEnd()) {
                assertThat(System.nanoTime()).as("group %s read to the end within %s (at %s)", name, PHASE_TIMEOUT,
                        Arrays.toString(next)).isLessThan(deadline);
                readAndCommit(50);
            }
            assertThat(readAndCommit(50)).as("group %s: nothing after the end", name).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    private HttpResponse<String> send(String method, String path, String body) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(CALL_TIMEOUT);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("content-type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        return ok(send(method, path, body));
    }

    private static JsonNode ok(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.request().uri(),
                response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
