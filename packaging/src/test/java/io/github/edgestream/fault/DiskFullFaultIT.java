package io.github.edgestream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A disk that fills up (a 96 MiB tmpfs under the store): a burst of pipelined appends stops at the free-space
 * reserve (16 MiB), not past it; the refusal says so; the daemon serves everyone else; with the disk then filled
 * to the last byte by another program, nothing crashes and every request gets a clear error; once space is freed,
 * appends go on; after a kill -9 and a restart, every acknowledged message is there.
 */
class DiskFullFaultIT extends DaemonFaultTest {

    private static final long RESERVE = 16L << 20;




    @Test
    void theReserveHoldsUnderABurstAndAFullDiskIsSurvived() throws Exception {
        try (Tmpfs disk = Tmpfs.mount(root.resolve("disk"), 96)) {
            Path config = config(disk.path().resolve("data"), "minFreeDiskSpace: " + RESERVE, "", "");
            start(config);
            Ledger ledger = new Ledger("burst", 1);
            FaultReport report = new FaultReport("disk full");
            try (StreamManagerClient client = client()) {
                client.createMessageStream(StreamDefinition.builder("burst", StrategyOnFull.REJECT_NEW_DATA)
                        .persistence(Persistence.FILE).maxSize(DataSize.ofGibibytes(1))
                        .segmentSize(DataSize.ofMebibytes(4)).build()).get(30, TimeUnit.SECONDS);
                client.createMessageStream(StreamDefinition.builder("mem", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                        .persistence(Persistence.MEMORY).build()).get(30, TimeUnit.SECONDS);

                // another program's 8 MiB, deleted at the end to make room again
                Path ballast = Files.write(disk.path().resolve("ballast"), new byte[8 << 20]);

                // a burst as fast as the daemon takes it, until the first refusal
                try (PipelinedLoad load = new PipelinedLoad(client, List.of(ledger), 256)) {
                    assertThat(load.awaitAcknowledged(Long.MAX_VALUE, Duration.ofMinutes(3))).isFalse();
                    assertThat(load.failure()).as("the burst ended in a refusal").isNotNull()
                            .hasMessageContaining("less than the reserve of 16 MiB (minFreeDiskSpace)");
                }
                long freeAtRefusal = disk.usableBytes();
                report.put("acknowledged", ledger.acknowledgedCount())
                        .put("free MiB at the first refusal", freeAtRefusal / (double) (1 << 20))
                        .put("reserve MiB", RESERVE >> 20);
                // at most one in-flight window of small messages and Chronicle's own metadata past the reserve
                assertThat(freeAtRefusal).as("free bytes when appends were refused").isGreaterThan(RESERVE - (2L << 20));

                // everyone else is served: memory streams, reads, describe
                assertThat(client.appendMessage("mem", new byte[] {1}).get(30, TimeUnit.SECONDS)).isNotNegative();
                assertThat(ledger.check(client, 0, true).clean()).isTrue();

                // another program takes the rest of the disk
                Path filler = disk.path().resolve("filler");
                fill(filler);
                assertThat(disk.usableBytes()).isLessThan(4096);
                assertThat(cause(() -> client.appendMessage("burst", new byte[100]).get(30, TimeUnit.SECONDS)))
                        .contains("reserve");
                // a stream's definition is written to disk, memory streams' too (they are recreated at start)
                String memoryCreate = cause(() -> client.createMessageStream(
                        StreamDefinition.builder("mem2", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                                .persistence(Persistence.MEMORY).build()).get(30, TimeUnit.SECONDS));
                assertThat(memoryCreate).containsIgnoringCase("no space left");
                report.put("memory stream create on a full disk", '"' + memoryCreate + '"');
                assertThat(client.appendMessage("mem", new byte[] {2}).get(30, TimeUnit.SECONDS)).isNotNegative();
                assertThat(daemon.isAlive()).isTrue();

                Files.delete(filler);
                Files.delete(ballast);
                long more = ledger.acknowledgedCount() + 100;
                for (int i = 0; i < 100; i++) {
                    Ledger.Payload payload = ledger.next();
                    ledger.acknowledged(client.appendMessage("burst", payload.bytes()).get(30, TimeUnit.SECONDS),
                            payload.id());
                }
                assertThat(ledger.acknowledgedCount()).isEqualTo(more);
            }
            daemon.kill();
            start(config);
            try (StreamManagerClient client = client()) {
                Ledger.Check check = ledger.check(client, 0, true);
                assertThat(check.clean()).as("%s", check).isTrue();
                assertThat(check.acknowledgedFound()).isEqualTo(ledger.acknowledgedCount());
            }
            daemon.terminate();
            assertThat(daemon.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            report.put("after kill -9 and restart", "all acknowledged messages back").publish();
        }
    }

    private StreamManagerClient client() {
        return new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port())
                .withRequestTimeout(Duration.ofSeconds(30)));
    }

    /** Writes until the file system says it is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    /** The message of the error a call failed with (it must fail). */
    private static String cause(Call call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::run);
        assertThat(thrown).as("the call must fail").isNotNull();
        Throwable cause = thrown instanceof ExecutionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        return String.valueOf(cause.getMessage());
    }
}
