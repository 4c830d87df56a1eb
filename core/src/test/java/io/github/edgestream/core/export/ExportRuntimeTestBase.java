package io.github.edgestream.core.export;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real store (file streams unless a test says otherwise), an export runtime with a {@link ScriptedExporterProvider}
 * and a {@link ManualClock}, and helpers to drive them.
 */
abstract class ExportRuntimeTestBase {

    @TempDir
    Path root;
    final ManualClock clock = ManualClock.startingAt2026();
    ScriptedExporterProvider exporter = newExporter();
    final RecordingExportListener events = new RecordingExportListener();
    ExportRuntime runtime;
    StreamStore store;

    @BeforeEach
    void start() {
        open(ExportRuntimeSettings.defaults());
    }

    @AfterEach
    void stop() {
        runtime.close();
        store.close();
    }

    void open(ExportRuntimeSettings settings) {
        runtime = new ExportRuntime(settings, List.of(exporter), clock, clock, new SplittableRandom(7));
        runtime.addListener(events);
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, runtime.storeListener()));
        runtime.start(store);
    }

    void restart(ExportRuntimeSettings settings) {
        stop();
        open(settings);
    }

    /** The exporter the runtime uses (HTTP kind unless a test class says otherwise). */
    ScriptedExporterProvider newExporter() {
        return new ScriptedExporterProvider();
    }

    static ExportConfig export(String identifier) {
        return export(ExportSettings.of(identifier));
    }

    static ExportConfig export(ExportSettings settings) {
        return new ExportConfig.Http(settings, URI.create("http://127.0.0.1:1/"), Optional.empty());
    }

    static ExportSettings settings(String identifier, int priority, long start, boolean disabled,
            Optional<Integer> batchSize, Optional<Duration> interval) {
        return new ExportSettings(identifier, Optional.of(priority), start, disabled, batchSize, interval);
    }

    MessageStream create(String name, ExportConfig... exports) {
        return store.create(StreamDefinition.builder(name, StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.FILE).exports(List.of(exports)).build());
    }

    static void append(MessageStream stream, int count) {
        for (int i = 0; i < count; i++) {
            stream.append(new byte[] {(byte) i, 1, 2});
        }
    }

    ExportStatus status(String stream, String export) {
        var definition = store.get(StreamName.of(stream)).definition();
        return runtime.statuses(definition).stream().filter(s -> s.exportIdentifier().equals(export))
                .findFirst().orElseThrow();
    }

    static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }
}
