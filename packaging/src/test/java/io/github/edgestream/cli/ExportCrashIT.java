package io.github.edgestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.exporter.kinesis.Kinesalite;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At least once across a crash: the daemon (the distribution, as its own process) is killed with SIGKILL in the
 * middle of exporting to Kinesis (kinesalite), restarted on the same store, and finishes the job. Every message must
 * arrive, and no more than one batch twice.
 */
class ExportCrashIT {

    private static final int MESSAGES = 1000;
    private static final int BATCH = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path root;

    private final List<DaemonProcess> daemons = new ArrayList<>();
    private Kinesalite kinesalite;

    @AfterEach
    void stopEverything() {
        daemons.forEach(daemon -> daemon.process.destroyForcibly());
        if (kinesalite != null) {
            kinesalite.close();
        }
    }

    @Test
    void afterKill9InTheMiddleOfAnExportEveryMessageArrivesAndAtMostOneBatchTwice() throws Exception {
        kinesalite = Kinesalite.start();
        kinesalite.createStream("crash-target", 1);
        Path config = root.resolve("edgestream.yaml");
        // 200 kbit/s: 1000 messages of 100 bytes take about four seconds, so the kill lands mid-export
        Files.writeString(config, """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                  authenticateClient: false
                exporter:
                  region: us-east-1
                  maxBandwidthKbps: 200
                  kinesis:
                    endpoint: %s
                """.formatted(root.resolve("data"), kinesalite.endpoint()));
        // kinesalite stores records put over CBOR (the SDK's default) in a form its JSON GetRecords cannot return
        Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", "edgestream-test",
                "AWS_SECRET_ACCESS_KEY", "edgestream-test-secret", "CBOR_ENABLED", "false");

        DaemonProcess first = start(config, credentials);
        try (var client = new StreamManagerClient(ClientSettings.defaults().withPort(first.port))) {
            client.createMessageStream(StreamDefinition.builder("telemetry", StrategyOnFull.REJECT_NEW_DATA)
                    .persistence(Persistence.FILE)
                    .exports(List.of(new ExportConfig.Kinesis(new ExportSettings("to-kinesis", Optional.empty(), 0,
                            false, Optional.of(BATCH), Optional.empty()), "crash-target")))
                    .build()).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < MESSAGES; i++) {
                client.appendMessage("telemetry", payload(i)).get(10, TimeUnit.SECONDS);
            }
        }
        int atKill = awaitRecords(count -> count >= 200);
        first.process.destroyForcibly();   // SIGKILL: no shutdown hook, no last checkpoint
        assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(atKill).as("killed in the middle of the export").isLessThan(MESSAGES);

        DaemonProcess second = start(config, credentials);
        awaitRecords(count -> distinct().size() == MESSAGES);

        TreeMap<Integer, Integer> copies = distinct();
        assertThat(copies.keySet()).containsExactlyElementsOf(range(MESSAGES));
        int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
        assertThat(duplicates).as("messages sent twice").isLessThanOrEqualTo(BATCH);
        second.terminate();
        assertThat(second.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private DaemonProcess start(Path config, Map<String, String> environment) throws Exception {
        DaemonProcess daemon = DaemonProcess.start(root, config, environment);
        daemons.add(daemon);
        return daemon;
    }

    private static byte[] payload(int i) {
        String text = String.format("message %06d ", i);
        return (text + "x".repeat(100 - text.length())).getBytes(StandardCharsets.US_ASCII);
    }

    /** How many times each message arrived, by number. */
    private TreeMap<Integer, Integer> distinct() {
        var copies = new TreeMap<Integer, Integer>();
        for (var record : kinesalite.readAll("crash-target")) {
            String data = record.data().asString(StandardCharsets.US_ASCII);
            copies.merge(Integer.parseInt(data.substring(8, 14)), 1, Integer::sum);
        }
        return copies;
    }

    /** Polls Kinesis until the record count satisfies {@code done}; returns the count. */
    private int awaitRecords(IntPredicate done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            int count = kinesalite.readAll("crash-target").size();
            if (done.test(count)) {
                return count;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Kinesis holds " + count + " records after " + DEADLINE);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static List<Integer> range(int count) {
        var list = new ArrayList<Integer>();
        for (int i = 0; i < count; i++) {
            list.add(i);
        }
        return list;
    }
}
