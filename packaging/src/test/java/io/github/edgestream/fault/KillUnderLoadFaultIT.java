package io.github.edgestream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 under load: the distribution's daemon is killed while pipelined appends (128 in flight per stream) go to a
 * default File stream and a {@code flushOnWrite} one, then restarted on the same store. Every acknowledged message
 * must be back at its sequence number with identical bytes, with no holes, after every restart; unacknowledged
 * messages that made it are whole. Test command: 10 kills; {@code -Dfault.scale=large}: 100.
 */
class KillUnderLoadFaultIT extends DaemonFaultTest {




    @Test
    void everyAcknowledgedMessageSurvivesKill9UnderPipelinedAppends() throws Exception {
        int trials = FaultBudget.get("fault.kill.trials", 10, 100);
        Random random = new Random(FaultBudget.seed());
        Path config = config(root.resolve("data"), "", "", "");
        List<Ledger> ledgers = List.of(new Ledger("plain", 1), new Ledger("synced", 2));
        long[] checkedUpTo = {0, 0};
        List<Long> restartMillis = new ArrayList<>();
        long unacknowledgedKept = 0;

        for (int trial = 0; trial <= trials; trial++) {
            long started = System.nanoTime();
            start(config);
            if (trial > 0) {
                restartMillis.add((System.nanoTime() - started) / 1_000_000);
            }
            try (StreamManagerClient client = new StreamManagerClient(ClientSettings.defaults()
                    .withPort(daemon.port()).withRequestTimeout(Duration.ofSeconds(30)))) {
                if (trial == 0) {
                    createStreams(client);
                }
                for (int i = 0; i < ledgers.size(); i++) {
                    Ledger.Check check = ledgers.get(i).check(client, checkedUpTo[i], true);
                    assertThat(check.clean()).as("trial %d, stream %s, from %d: %s", trial, ledgers.get(i).stream(),
                            checkedUpTo[i], check).isTrue();
                    unacknowledgedKept += check.unacknowledgedFound();
                    checkedUpTo[i] = Math.max(0, ledgers.get(i).highestAcknowledged() - 1000);
                }
                if (trial == trials) {
                    break;
                }
                long before = ledgers.stream().mapToLong(Ledger::acknowledgedCount).sum();
                long killAfter = before + 500 + random.nextInt(20_000);
                try (PipelinedLoad load = new PipelinedLoad(client, ledgers, 128)) {
                    assertThat(load.awaitAcknowledged(killAfter - before, Duration.ofSeconds(120)))
                            .as("load before kill %d (%s)", trial, load.failure()).isTrue();
                    daemon.kill();
                }
            }
        }
        // and once more from the start: nothing earlier was damaged by the later crashes
        try (StreamManagerClient client = new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port()))) {
            for (Ledger ledger : ledgers) {
                Ledger.Check all = ledger.check(client, 0, true);
                assertThat(all.clean()).as("%s, whole stream: %s", ledger.stream(), all).isTrue();
                assertThat(all.acknowledgedFound()).isEqualTo(ledger.acknowledgedCount());
            }
        }
        daemon.terminate();
        assertThat(daemon.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        restartMillis.sort(null);
        new FaultReport("kill -9 under load").put("kills", trials)
                .put("acknowledged (plain)", ledgers.get(0).acknowledgedCount())
                .put("acknowledged (flushOnWrite)", ledgers.get(1).acknowledgedCount())
                .put("lost", 0).put("holes", 0).put("unacknowledged but kept", unacknowledgedKept)
                .put("restart ms p50", restartMillis.get(restartMillis.size() / 2))
                .put("restart ms max", restartMillis.get(restartMillis.size() - 1)).publish();
    }

    private static void createStreams(StreamManagerClient client) throws Exception {
        client.createMessageStream(StreamDefinition.builder("plain", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.FILE).maxSize(DataSize.ofGibibytes(4))
                .segmentSize(DataSize.ofMebibytes(8)).build()).get(30, TimeUnit.SECONDS);
        client.createMessageStream(StreamDefinition.builder("synced", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.FILE).maxSize(DataSize.ofGibibytes(4)).flushOnWrite(true)
                .segmentSize(DataSize.ofMebibytes(8)).build()).get(30, TimeUnit.SECONDS);
    }
}
