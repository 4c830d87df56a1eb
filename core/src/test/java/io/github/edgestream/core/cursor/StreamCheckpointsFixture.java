package io.github.edgestream.core.cursor;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.Checkpoints;
import io.github.edgestream.core.stream.RecordingStoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real store with one stream of the persistence under test, whose {@link Checkpoints} the cursor tests run on:
 * {@code CheckpointFiles} for a FILE stream, {@code MemoryCheckpoints} for a MEMORY one. Time is a
 * {@link ManualClock}.
 */
abstract class StreamCheckpointsFixture {

    protected static final StreamName STREAM = StreamName.of("orders");

    @TempDir
    protected Path root;
    protected ManualClock clock;
    protected StreamStore store;

    protected abstract Persistence persistence();

    @BeforeEach
    void openStore() {
        clock = ManualClock.startingAt2026();
        store = StreamStore.open(settings(), new StoreServices(clock, clock, Runnable::run,
                new RecordingStoreListener()));
        store.create(StreamDefinition.builder(STREAM.value(), StrategyOnFull.REJECT_NEW_DATA)
                .persistence(persistence()).build());
        opened();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Called after the store opens and after each {@link #reopen}: make the objects under test here. */
    protected abstract void opened();

    /** Closes and reopens the store, as a daemon restart does; a memory stream comes back empty. */
    protected void reopen() {
        store.close();
        store = StreamStore.open(settings(), new StoreServices(clock, clock, Runnable::run,
                new RecordingStoreListener()));
        if (store.find(STREAM).isEmpty()) {
            store.create(StreamDefinition.builder(STREAM.value(), StrategyOnFull.REJECT_NEW_DATA)
                    .persistence(persistence()).build());
        }
        opened();
    }

    protected Checkpoints checkpoints() {
        return store.get(STREAM).checkpoints();
    }

    private StoreSettings settings() {
        return StoreSettings.defaults(root)
                .withRetentionInterval(Duration.ofSeconds(1))
                .withMinFreeDiskSpace(DataSize.ZERO);
    }
}
