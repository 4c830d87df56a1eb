package io.github.edgestream.daemon.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.RecordingStoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer groups' lag series of {@link DaemonMetrics} and rows of the status page ({@link ObservabilityServer}),
 * over a real store whose time is a {@link ManualClock}: a group over a 3-partition stream has one committed position
 * per partition, and each partition is measured against its own newest sequence number.
 */
class DaemonMetricsGroupLagTest {

    /** Every payload is 10 bytes, so every stored message is 34 (payload + 24). */
    private static final byte[] PAYLOAD = "0123456789".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;
    private final ManualClock clock = ManualClock.startingAt2026();
    private final ExecutorService storeExecutor = Executors.newFixedThreadPool(2);
    private StreamStore store;
    private StreamService service;
    private DaemonMetrics metrics;

    @BeforeEach
    void open() {
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, storeExecutor, new RecordingStoreListener()));
        service = new StreamService(store, ExportStatusSource.NOT_STARTED, Runnable::run, clock);
        metrics = new DaemonMetrics(clock);
        metrics.bind(store, ExportStatusSource.NOT_STARTED, () -> 0);
    }

    @AfterEach
    void close() {
        store.close();
        storeExecutor.shutdownNow();
    }

    /**
     * A partitioned stream "orders" of 3 partitions: partition 0 holds 4 messages appended at T0+0..3 s, partition 1
     * holds 5 at T0+10..14 s, partition 2 holds 3 at T0+20..22 s; then the clock stands at T0+100 s.
     */
    private List<MessageStream> threePartitions() throws Exception {
        store.create(StreamDefinition.builder("orders", StrategyOnFull.REJECT_NEW_DATA).persistence(Persistence.FILE)
                .partitions(3).build());
        List<MessageStream> partitions = store.partitions(StreamName.of("orders"));
        int[] counts = {4, 5, 3};
        java.time.Instant t0 = clock.instant();
        for (int p = 0; p < 3; p++) {
            clock.advance(Duration.between(clock.instant(), t0.plusSeconds(10L * p)));
            for (int i = 0; i < counts[p]; i++) {
                partitions.get(p).appendAsync(ByteBuffer.wrap(PAYLOAD)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                clock.advance(Duration.ofSeconds(1));
            }
        }
        clock.advance(Duration.between(clock.instant(), t0.plusSeconds(100)));
        return partitions;
    }

    private void resetGroup(String stream, String group, List<Long> positions) throws Exception {
        service.withGroups(StreamName.of(stream), StreamService.WHOLE_STREAM, groups -> groups.reset(group, positions))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aGroupOverThreePartitionsHasLagBytesAndAgePerPartitionAgainstEachPartitionsNewest() throws Exception {
        threePartitions();
        // partition 0: 3 behind (from sequence number 1, appended at T0+1 s); partition 1: caught up (5 of 5);
        // partition 2: 3 behind (from 0, appended at T0+20 s)
        resetGroup("orders", "billing", List.of(1L, 5L, 0L));

        String scraped = metrics.scrape();

        assertThat(samples(scraped, "edgestream_group_lag_messages")).containsExactly(
                "{group=\"billing\",partition=\"0\",stream=\"orders\"} 3.0",
                "{group=\"billing\",partition=\"1\",stream=\"orders\"} 0.0",
                "{group=\"billing\",partition=\"2\",stream=\"orders\"} 3.0");
        assertThat(samples(scraped, "edgestream_group_lag_bytes")).containsExactly(
                "{group=\"billing\",partition=\"0\",stream=\"orders\"} 102.0",
                "{group=\"billing\",partition=\"1\",stream=\"orders\"} 0.0",
                "{group=\"billing\",partition=\"2\",stream=\"orders\"} 102.0");
        assertThat(samples(scraped, "edgestream_group_oldest_uncommitted_age_seconds")).containsExactly(
                "{group=\"billing\",partition=\"0\",stream=\"orders\"} 99.0",
                "{group=\"billing\",partition=\"1\",stream=\"orders\"} 0.0",
                "{group=\"billing\",partition=\"2\",stream=\"orders\"} 80.0");
        // the per-reader series stay as they were: streams of one partition only
        assertThat(scraped).doesNotContain("edgestream_reader_lag_messages{");
    }

    @Test
    void lagFollowsCommitsAppendsAndTheClockAndGoesWithTheGroup() throws Exception {
        List<MessageStream> partitions = threePartitions();
        resetGroup("orders", "billing", List.of(4L, 5L, 3L));
        assertThat(samples(metrics.scrape(), "edgestream_group_lag_messages")).allMatch(s -> s.endsWith(" 0.0"));

        partitions.get(1).appendAsync(ByteBuffer.wrap(PAYLOAD)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        clock.advance(Duration.ofSeconds(30));
        String scraped = metrics.scrape();
        assertThat(samples(scraped, "edgestream_group_lag_messages"))
                .contains("{group=\"billing\",partition=\"1\",stream=\"orders\"} 1.0");
        assertThat(samples(scraped, "edgestream_group_oldest_uncommitted_age_seconds"))
                .contains("{group=\"billing\",partition=\"1\",stream=\"orders\"} 30.0");

        service.withGroups(StreamName.of("orders"), StreamService.WHOLE_STREAM, groups -> {
            groups.delete("billing");
            return null;
        }).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(metrics.scrape()).doesNotContain("edgestream_group_");
    }

    @Test
    void aNamespacedStreamsGroupCarriesTheNamespaceLabel() throws Exception {
        StreamStore basin = store.createNamespace(Namespace.of("s2.plant-a"));
        MessageStream readings = basin.create(StreamDefinition.builder("readings", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.MEMORY).build());
        for (int i = 0; i < 6; i++) {
            readings.appendAsync(ByteBuffer.wrap(PAYLOAD)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        service.namespace(Namespace.of("s2.plant-a"), false).withGroups(StreamName.of("readings"),
                StreamService.WHOLE_STREAM, groups -> groups.reset("billing", List.of(2L)))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(samples(metrics.scrape(), "edgestream_group_lag_messages")).containsExactly(
                "{group=\"billing\",namespace=\"s2.plant-a\",partition=\"0\",stream=\"readings\"} 4.0");
    }

    @Test
    void theStatusPageListsEveryGroupsPartitionWithPositionAndLag() throws Exception {
        threePartitions();
        resetGroup("orders", "billing", List.of(1L, 5L, 0L));
        try (ObservabilityServer server = ObservabilityServer.start("127.0.0.1", 0, clock, metrics, store,
                ExportStatusSource.NOT_STARTED, () -> true, clock)) {
            JsonNode groups = server.status().path("streams").path(0).path("groups");

            List<String> rows = new ArrayList<>();
            groups.forEach(g -> rows.add(g.path("group").asText() + " " + g.path("partition").asInt() + " "
                    + g.path("committedPosition").asLong() + " " + g.path("lagMessages").asLong() + " "
                    + g.path("lagBytes").asLong() + " " + g.path("lagAgeSeconds").asDouble()));
            assertThat(rows).containsExactly("billing 0 1 3 102 99.0", "billing 1 5 0 0 0.0",
                    "billing 2 0 3 102 80.0");
        }
    }

    /** The samples of one metric, labels and value, sorted (Prometheus sorts labels by name). */
    private static List<String> samples(String scraped, String name) {
        return scraped.lines().filter(line -> line.startsWith(name + "{"))
                .map(line -> line.substring(name.length())).sorted().toList();
    }
}
