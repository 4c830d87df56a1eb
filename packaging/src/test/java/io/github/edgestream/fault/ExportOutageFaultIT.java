package io.github.edgestream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import io.github.edgestream.exporter.common.ScriptedHttpServer.Answer;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An export outage, as a gateway's link goes through one: the destination (an HTTP endpoint on loopback) answers
 * 503 for a while, then is gone (connections refused), the daemon is killed with SIGKILL and restarted while it is
 * gone, and then it comes back on the same port. Messages are appended in every phase. Every acknowledged message
 * must arrive with its own bytes; at most one batch per crash arrives twice; the time from the destination's
 * return to the last message is reported.
 */
class ExportOutageFaultIT extends DaemonFaultTest {

    private static final int BATCH = 50;
    private static final ObjectMapper JSON = new ObjectMapper();


    private ScriptedHttpServer destination;

    @AfterEach
    void stop() throws InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            daemon.kill();
        }
        if (destination != null) {
            destination.close();
        }
    }

    @Test
    void nothingIsLostThroughErrorsAnOutageAndACrashAndAtMostOneBatchComesTwice() throws Exception {
        int perPhase = FaultBudget.get("fault.outage.messages", 300, 5_000);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        destination = ScriptedHttpServer.start(port).answerByDefault(Answer.of(503, "overloaded"));
        Path config = config(root.resolve("data"), "", "", "exporter:\n  callTimeout: 5s\n");
        Ledger ledger = new Ledger("outbox", 3);
        Map<Long, Integer> deliveries = new HashMap<>();

        start(config);
        try (StreamManagerClient client = client()) {
            client.createMessageStream(StreamDefinition.builder("outbox", StrategyOnFull.REJECT_NEW_DATA)
                    .persistence(Persistence.FILE).maxSize(DataSize.ofMebibytes(512))
                    .exports(List.of(new ExportConfig.Http(new ExportSettings("to-http", Optional.empty(), 0, false,
                            Optional.of(BATCH), Optional.empty()), destination.uri("/ingest"),
                            Optional.of(ExportFormat.JSON_BATCHED)))).build()).get(30, TimeUnit.SECONDS);
            append(client, ledger, perPhase);                        // phase 1: the destination answers 503
            destination.awaitRequests(3, Duration.ofSeconds(30));   // all answered 503: nothing delivered
            destination.close();                                      // phase 2: gone
            destination = null;
            append(client, ledger, perPhase);
        }
        daemon.kill();                                                // phase 3: a crash while it is gone
        start(config);
        long drainMillis;
        try (StreamManagerClient client = client()) {
            append(client, ledger, perPhase);
            awaitError(client, "connect");                        // it tried, and could not connect
            destination = ScriptedHttpServer.start(port);             // phase 4: back, answering 200
            long back = System.nanoTime();
            long expected = ledger.acknowledgedCount();
            long deadline = back + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                int seen = destination.requests().size(); // before counting: a request arriving meanwhile is counted
                if (delivered(destination) >= expected) {
                    break;
                }
                destination.awaitRequests(seen + 1, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            drainMillis = (System.nanoTime() - back) / 1_000_000;
        }

        Ledger.Check check = verify(ledger, deliveries);
        long duplicates = deliveries.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        assertThat(check.acknowledgedMissing()).as("acknowledged messages that never arrived").isZero();
        assertThat(check.corrupt()).isZero();
        assertThat(duplicates).as("messages delivered twice (one crash)").isLessThanOrEqualTo(BATCH);
        new FaultReport("export outage").put("appended", ledger.acknowledgedCount())
                .put("delivered", deliveries.size()).put("lost", 0).put("duplicates", duplicates)
                .put("crashes", 1).put("drain ms after the destination came back", drainMillis).publish();
        daemon.terminate();
        assertThat(daemon.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private StreamManagerClient client() {
        return new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port())
                .withRequestTimeout(Duration.ofSeconds(30)));
    }

    private static void append(StreamManagerClient client, Ledger ledger, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Ledger.Payload payload = ledger.next();
            ledger.acknowledged(client.appendMessage("outbox", payload.bytes()).get(30, TimeUnit.SECONDS),
                    payload.id());
        }
    }

    /** Waits until the export's last error mentions {@code text}: the daemon has met the outage. */
    private static void awaitError(StreamManagerClient client, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            var status = client.describeMessageStream("outbox").get(30, TimeUnit.SECONDS).exportStatuses().get(0);
            if (status.errorMessage().map(m -> m.toLowerCase(java.util.Locale.ROOT).contains(text)).orElse(false)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a condition polled through the daemon
        }
        throw new AssertionError("the export never reported a " + text + " error");
    }

    /** How many distinct messages the destination has accepted so far. */
    private static int delivered(ScriptedHttpServer server) throws Exception {
        java.util.Set<Long> sequences = new java.util.HashSet<>();
        for (ScriptedHttpServer.Request request : server.requests()) {
            for (JsonNode message : JSON.readTree(request.body())) {
                sequences.add(message.get("sequenceNumber").asLong());
            }
        }
        return sequences.size();
    }

    /**
     * Every message the destination accepted, checked against the ledger (its own bytes at its sequence number), and
     * counted into {@code deliveries}; the first destination answered only 503, so this one holds every delivery.
     */
    private Ledger.Check verify(Ledger ledger, Map<Long, Integer> deliveries) throws Exception {
        long corrupt = 0;
        Map<Long, byte[]> payloads = new HashMap<>();
        for (ScriptedHttpServer.Request request : destination.requests()) {
            for (JsonNode message : JSON.readTree(request.body())) {
                long sequence = message.get("sequenceNumber").asLong();
                byte[] payload = Base64.getDecoder().decode(message.get("payload").asText());
                deliveries.merge(sequence, 1, Integer::sum);
                byte[] earlier = payloads.putIfAbsent(sequence, payload);
                if (Ledger.idOf(payload) != ledger.idAt(sequence)
                        || (earlier != null && !java.util.Arrays.equals(earlier, payload))) {
                    corrupt++;
                }
            }
        }
        long missing = 0;
        for (long sequence = 0; sequence < ledger.acknowledgedCount(); sequence++) {
            if (!payloads.containsKey(sequence)) {
                missing++;
            }
        }
        return new Ledger.Check(payloads.size(), payloads.size() - missing, 0, missing, corrupt, 0);
    }
}
