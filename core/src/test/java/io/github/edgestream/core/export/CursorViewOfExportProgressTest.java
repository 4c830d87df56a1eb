package io.github.edgestream.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.cursor.Cursor;
import io.github.edgestream.core.cursor.CursorKind;
import io.github.edgestream.core.cursor.CursorStore;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.Checkpoints;
import io.github.edgestream.core.stream.RecordingStoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CursorStore#list} reads the records {@link ExportProgress} really writes (it lives here because
 * ExportProgress is package-private): if the export's record format changes, this fails.
 */
class CursorViewOfExportProgressTest {

    @TempDir
    Path root;

    @Test
    void anExportsSavedProgressIsListedAsAnExportCursorAtItsNextSequenceNumber() {
        ManualClock clock = ManualClock.startingAt2026();
        try (StreamStore store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, new RecordingStoreListener()))) {
            Checkpoints checkpoints = store.create(StreamDefinition.builder("orders", StrategyOnFull.REJECT_NEW_DATA)
                    .persistence(Persistence.FILE).build()).checkpoints();
            CursorStore cursors = new CursorStore(checkpoints, clock);
            assertThat(cursors.list()).isEmpty();

            Instant attempted = Instant.parse("2025-12-31T23:59:00Z");
            ExportProgress.fresh(100).attemptedAt(attempted).delivered(1400, 1_000_000).movedTo(1500)
                    .save(checkpoints, "kinesis-1");
            ExportProgress.fresh(0).save(checkpoints, "http-1");

            assertThat(cursors.list()).containsExactly(
                    new Cursor("http-1", CursorKind.EXPORT, 0, 0, Instant.EPOCH),
                    new Cursor("kinesis-1", CursorKind.EXPORT, 1500, 0, attempted));
            assertThat(checkpoints.names()).allMatch(name -> name.startsWith(ExportProgress.recordName("")));
        }
    }
}
