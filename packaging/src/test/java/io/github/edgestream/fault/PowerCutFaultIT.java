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
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated power cut: the store lives on powercutfs ({@link PowerCutFs}), which drops every write not yet
 * fsynced when told to. Under pipelined appends to a {@code flushOnWrite} stream and a default one, the daemon is
 * killed with SIGKILL, the unsynced writes are dropped, the file system is remounted and the daemon restarted.
 * Acknowledged messages of the flushOnWrite stream must all survive; the default stream may lose what was not yet
 * synced, but must come back without corruption: no holes, every message whole and the one acknowledged at its
 * sequence number, and it never hands out again a number its export (to an HTTP endpoint on loopback) has already
 * delivered: the export's durable cursor says those numbers were used. Test command: 3 power cuts;
 * {@code -Dfault.scale=large}: 30.
 */
class PowerCutFaultIT extends DaemonFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();


    private PowerCutFs fs;
    private ScriptedHttpServer destination;

    @BeforeEach
    void needsFuse() throws Exception {
        PowerCutFs.assumeAvailable();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.kill();
            }
        } finally {
            if (destination != null) {
                destination.close();
            }
            if (fs != null) {
                fs.close();
            }
        }
    }

    @Test
    void acknowledgedFlushOnWriteMessagesSurviveAndTheRestRecoversWithoutCorruption() throws Exception {
        int cuts = FaultBudget.get("fault.powercut.trials", 3, 30);
        Random random = new Random(FaultBudget.seed());
        Path backing = Files.createDirectories(root.resolve("backing"));
        Path mountpoint = Files.createDirectories(root.resolve("mnt"));
        Path config = config(mountpoint.resolve("data"), "minFreeDiskSpace: 0", "", "");
        destination = ScriptedHttpServer.start();
        Ledger synced = new Ledger("synced", 1);
        Ledger plain = new Ledger("plain", 2);
        long plainLost = 0;
        long droppedBytes = 0;
        long restartMillisMax = 0;

        for (int trial = 0; trial <= cuts; trial++) {
            fs = PowerCutFs.mount(backing, mountpoint);
            long started = System.nanoTime();
            start(config);
            restartMillisMax = Math.max(restartMillisMax, (System.nanoTime() - started) / 1_000_000);
            try (StreamManagerClient client = new StreamManagerClient(ClientSettings.defaults()
                    .withPort(daemon.port()).withRequestTimeout(Duration.ofSeconds(30)))) {
                if (trial == 0) {
                    createStreams(client, destination);
                }
                Ledger.Check syncedCheck = synced.check(client, 0, true);
                assertThat(syncedCheck.clean()).as("after power cut %d, flushOnWrite stream: %s", trial, syncedCheck)
                        .isTrue();
                long newest = client.describeMessageStream("plain").get(30, TimeUnit.SECONDS).newestSequenceNumber();
                long delivered = highestDelivered(destination);
                assertThat(newest).as("after power cut %d, the default stream must number on above what its export"
                        + " delivered (%d)", trial, delivered).isGreaterThanOrEqualTo(delivered);
                plainLost += plain.forgetAbove(newest) + plain.forgetMissing(client);
                Ledger.Check plainCheck = plain.check(client, 0, true);
                assertThat(plainCheck.corrupt()).as("after power cut %d, default stream: %s", trial, plainCheck)
                        .isZero();
                assertThat(plainCheck.holes()).as("after power cut %d, default stream: %s", trial, plainCheck)
                        .isZero();
                assertThat(plainCheck.acknowledgedMissing()).as("default stream: %s", plainCheck).isZero();
                if (trial == cuts) {
                    break;
                }
                try (PipelinedLoad load = new PipelinedLoad(client, List.of(synced, plain), 64)) {
                    assertThat(load.awaitAcknowledged(200 + random.nextInt(3000), Duration.ofMinutes(2)))
                            .as("load before cut %d (%s)", trial, load.failure()).isTrue();
                    daemon.kill();
                }
            }
            fs.cut();
            droppedBytes += fs.stat("cut_bytes");
            fs.unmount();
            fs.close();
        }
        daemon.terminate();
        assertThat(daemon.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        new FaultReport("power cut").put("cuts", cuts)
                .put("acknowledged (flushOnWrite)", synced.acknowledgedCount()).put("lost (flushOnWrite)", 0)
                .put("acknowledged and kept (default)", plain.acknowledgedCount())
                .put("acknowledged and lost, unsynced (default)", plainLost).put("corrupt", 0).put("holes", 0)
                .put("unsynced bytes dropped", droppedBytes)
                .put("delivered by the export", highestDelivered(destination) + 1)
                .put("restart ms max", restartMillisMax).publish();
    }

    /** The highest sequence number the destination has received, -1 if none. */
    private static long highestDelivered(ScriptedHttpServer destination) throws Exception {
        long highest = -1;
        for (ScriptedHttpServer.Request request : destination.requests()) {
            for (JsonNode message : JSON.readTree(request.body())) {
                highest = Math.max(highest, message.get("sequenceNumber").asLong());
            }
        }
        return highest;
    }

    private static void createStreams(StreamManagerClient client, ScriptedHttpServer destination) throws Exception {
        client.createMessageStream(StreamDefinition.builder("synced", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.FILE).maxSize(DataSize.ofGibibytes(1)).flushOnWrite(true)
                .segmentSize(DataSize.ofMebibytes(4)).build()).get(30, TimeUnit.SECONDS);
        client.createMessageStream(StreamDefinition.builder("plain", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.FILE).maxSize(DataSize.ofGibibytes(1))
                .segmentSize(DataSize.ofMebibytes(4))
                .exports(List.of(new ExportConfig.Http(new ExportSettings("to-http", Optional.empty(), 0, false,
                        Optional.of(100), Optional.empty()), destination.uri("/ingest"),
                        Optional.of(ExportFormat.JSON_BATCHED)))).build()).get(30, TimeUnit.SECONDS);
    }
}
