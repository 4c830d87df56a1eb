package io.github.edgestream.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.fixture.StoreFixtures;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard for format changes: stores written by the first release (the fixture {@code store-release-0.x.zip},
 * see {@code fixtures/README.txt}) open with the current code with every definition, message, sequence number and
 * export cursor intact. The expected values are written out here, not shared with the generator, so that neither
 * side can drift along with the other.
 */
class StoreMigrationTest {

    private static final Instant WRITTEN = Instant.parse("2026-01-01T00:00:00Z");
    private static final StreamName TELEMETRY = StreamName.of("telemetry");
    private static final StreamName SCRATCH = StreamName.of("scratch");
    private static final StreamName SENSORS = StreamName.of("Line 1, sensors");

    @TempDir
    Path root;
    private final ManualClock clock = new ManualClock(WRITTEN.plus(Duration.ofMinutes(5)));
    private final RecordingStoreListener listener = new RecordingStoreListener();
    private StreamStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private StreamStore open(String variant) {
        StoreFixtures.unpack(StoreFixtures.RELEASE_0, variant, root);
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, listener));
        return store;
    }

    static StreamDefinition telemetryDefinition() {
        return StreamDefinition.builder("telemetry", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .maxSize(DataSize.ofBytes(1_048_576))
                .segmentSize(DataSize.ofBytes(1024))
                .persistence(Persistence.FILE)
                .exports(List.of(
                        new ExportConfig.Http(new ExportSettings("to-cloud", Optional.of(3), 0, false,
                                Optional.of(25), Optional.of(Duration.ofMillis(60_000))),
                                URI.create("http://127.0.0.1:8080/ingest"), Optional.of(ExportFormat.JSON_BATCHED)),
                        new ExportConfig.Kinesis(new ExportSettings("to-kinesis", Optional.of(7), 10, true,
                                Optional.of(100), Optional.empty()), "plant-telemetry")))
                .build();
    }

    static StreamDefinition scratchDefinition() {
        return StreamDefinition.builder("scratch", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofBytes(2_097_152))
                .segmentSize(DataSize.ofBytes(65_536))
                .persistence(Persistence.MEMORY)
                .build();
    }

    static StreamDefinition sensorsDefinition() {
        return StreamDefinition.builder("Line 1, sensors", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofBytes(10_485_760))
                .segmentSize(DataSize.ofBytes(1_048_576))
                .timeToLive(Duration.ofMillis(3_600_000))
                .persistence(Persistence.FILE)
                .flushOnWrite(true)
                .exports(List.of(
                        new ExportConfig.IotAnalytics(new ExportSettings("to-analytics", Optional.of(2), 0, false,
                                Optional.of(50), Optional.of(Duration.ofMillis(120_000))), "line1_channel",
                                Optional.of("line1-")),
                        new ExportConfig.IotSiteWise(new ExportSettings("to-sitewise", Optional.empty(), 3, false,
                                Optional.of(10), Optional.empty())),
                        new ExportConfig.S3TaskExecutor(new ExportSettings("uploads", Optional.of(9), 0, false,
                                Optional.empty(), Optional.empty()), Optional.of(DataSize.ofBytes(8_388_608)),
                                Optional.of(new ExportConfig.StatusConfig(Optional.of(StatusLevel.INFO),
                                        Optional.of(StreamName.of("scratch")))))))
                .build();
    }

    @Test
    void everyStreamComesBackWithItsWholeDefinition() {
        open(StoreFixtures.CLEAN);

        assertThat(store.list()).containsExactlyInAnyOrder(TELEMETRY, SCRATCH, SENSORS);
        assertThat(definition(TELEMETRY)).isEqualTo(telemetryDefinition());
        assertThat(definition(SCRATCH)).isEqualTo(scratchDefinition());
        assertThat(definition(SENSORS)).isEqualTo(sensorsDefinition());
        assertThat(listener.losses()).isEmpty();
    }

    @Test
    void everyMessageIsReadBackWithItsSequenceNumberPayloadAndIngestTime() {
        open(StoreFixtures.CLEAN);

        assertThat(readAll(TELEMETRY)).containsExactlyElementsOf(telemetry(0, 59));
        assertThat(readAll(SENSORS)).containsExactlyElementsOf(sensors(0, 4));
        StreamInfo info = store.find(TELEMETRY).orElseThrow().info();
        assertThat(info.oldestSequenceNumber()).isZero();
        assertThat(info.newestSequenceNumber()).isEqualTo(59);
        // 0..27 and 28..55 sealed, 56..59 active in the release; a segment of record format 1 takes no appends, so
        // an empty format-2 segment now follows it
        assertThat(info.segmentCount()).isEqualTo(4);
        assertThat(info.totalSize()).isEqualTo(DataSize.ofBytes(10 * (11 + 24) + 50 * (12 + 24)));
    }

    @Test
    void appendsContinueTheNumbering() {
        open(StoreFixtures.CLEAN);

        assertThat(store.find(TELEMETRY).orElseThrow().append(bytes("telemetry-60"))).isEqualTo(60);
        assertThat(store.find(SENSORS).orElseThrow().append(bytes("sensor-5"))).isEqualTo(5);
        // a memory stream comes back empty, as after any restart
        MessageStream scratch = store.find(SCRATCH).orElseThrow();
        assertThat(scratch.info().newestSequenceNumber()).isEqualTo(-1);
        assertThat(scratch.append(bytes("x"))).isZero();
        assertThat(readAll(TELEMETRY)).hasSize(61).last().extracting(m -> text(m)).isEqualTo("telemetry-60");
    }

    @Test
    void theExportCursorSavedByTheReleaseIsThere() {
        open(StoreFixtures.CLEAN);

        Map<String, String> cursor = store.find(TELEMETRY).orElseThrow().checkpoints().load("export.to-cloud")
                .orElseThrow();
        assertThat(cursor).containsEntry("start", "0").containsEntry("next", "25")
                .containsEntry("exportedMessages", "25").containsEntry("exportedBytes", "290")
                .containsEntry("skippedMessages", "0").containsEntry("lostMessages", "0")
                .containsEntry(Checkpoints.ISSUED, "25").containsKey("lastExportTime");
        assertThat(store.find(TELEMETRY).orElseThrow().checkpoints().names()).containsExactly("export.to-cloud");
    }

    @Test
    void anUncleanStoreRecoversEveryMessageWrittenAndNumbersOnAboveThem() {
        open(StoreFixtures.UNCLEAN);

        assertThat(definition(TELEMETRY)).isEqualTo(telemetryDefinition());
        assertThat(definition(SCRATCH)).isEqualTo(scratchDefinition());
        assertThat(definition(SENSORS)).isEqualTo(sensorsDefinition());
        // the halted process wrote 60..69 and sensor 5..6 into segments whose metadata still says ACTIVE
        assertThat(readAll(TELEMETRY)).containsExactlyElementsOf(telemetry(0, 69));
        assertThat(readAll(SENSORS)).containsExactlyElementsOf(sensors(0, 6));
        assertThat(listener.losses()).isEmpty();

        MessageStream telemetry = store.find(TELEMETRY).orElseThrow();
        assertThat(telemetry.append(bytes("telemetry-70"))).isEqualTo(70);
        // the recovered segment (56..69) is sealed: 70 went to a fourth one
        assertThat(telemetry.info().segmentCount()).isEqualTo(4);
        assertThat(store.find(SENSORS).orElseThrow().append(bytes("sensor-7"))).isEqualTo(7);
        assertThat(store.find(TELEMETRY).orElseThrow().checkpoints().load("export.to-cloud").orElseThrow())
                .containsEntry("next", "25");
    }

    @Test
    void aReopenedMigratedStoreIsTheSameStore() {
        open(StoreFixtures.UNCLEAN);
        store.find(TELEMETRY).orElseThrow().append(bytes("telemetry-70"));
        store.close();
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, listener));

        assertThat(definition(TELEMETRY)).isEqualTo(telemetryDefinition());
        assertThat(definition(SENSORS)).isEqualTo(sensorsDefinition());
        assertThat(readAll(TELEMETRY)).hasSize(71);
        assertThat(store.find(TELEMETRY).orElseThrow().append(bytes("telemetry-71"))).isEqualTo(71);
    }

    private StreamDefinition definition(StreamName name) {
        return store.find(name).orElseThrow().definition();
    }

    /** Message n of telemetry: written at WRITTEN + (n+1) s, and 60..69 by the halted process at + (n+61) s. */
    private static List<Message> telemetry(int first, int last) {
        List<Message> messages = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            long second = n < 60 ? n + 1 : n + 61;
            messages.add(message(n, second, "telemetry-" + n));
        }
        return messages;
    }

    /** Message n of "Line 1, sensors": written at WRITTEN + (61+n) s, and 5..6 by the halted process at + (126+n) s. */
    private static List<Message> sensors(int first, int last) {
        List<Message> messages = new ArrayList<>();
        for (int n = first; n <= last; n++) {
            long second = n < 5 ? n + 61 : n + 126;
            messages.add(message(n, second, "sensor-" + n));
        }
        return messages;
    }

    private static Message message(long sequence, long second, String payload) {
        return new Message(sequence, WRITTEN.plusSeconds(second).toEpochMilli(), bytes(payload));
    }

    private List<Message> readAll(StreamName name) {
        MessageStream stream = store.find(name).orElseThrow();
        long newest = stream.info().newestSequenceNumber();
        List<Message> all = new ArrayList<>();
        long next = stream.info().oldestSequenceNumber();
        while (next <= newest) {
            List<Message> batch = await(stream.read(ReadRequest.upTo(next, 1000)));
            all.addAll(batch);
            next = batch.get(batch.size() - 1).sequenceNumber() + 1;
        }
        return all;
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Message message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }
}
