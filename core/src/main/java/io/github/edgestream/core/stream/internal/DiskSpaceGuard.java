package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.stream.StoreWriteException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Refuses appends to file streams when the store's disk is nearly full. Chronicle writes through memory-mapped
 * files, and a write into a mapped page that the file system cannot back kills the thread with a bus error; failing
 * the append early with a clear message is the only graceful behaviour. Checks the free space at most once a second
 * while there is room, and on every append once below the reserve.
 *
 * <p>Thread-safe.
 */
final class DiskSpaceGuard {

    private static final long RECHECK_MILLIS = 1_000;

    private final Path directory;
    private final FileStore fileStore;
    private final DataSize reserve;
    private final Clock clock;
    private volatile long checkedAtMillis = Long.MIN_VALUE;
    private volatile long usableBytes;

    DiskSpaceGuard(Path directory, DataSize reserve, Clock clock) throws IOException {
        this.directory = directory;
        this.fileStore = Files.getFileStore(directory);
        this.reserve = reserve;
        this.clock = clock;
    }

    /** @throws StoreWriteException if the disk has less usable space than the reserve */
    void check() {
        long now = clock.millis();
        long usable = usableBytes;
        if (usable < reserve.bytes() || now - checkedAtMillis >= RECHECK_MILLIS || now < checkedAtMillis) {
            try {
                usable = fileStore.getUsableSpace();
            } catch (IOException e) {
                throw new StoreWriteException("cannot read the free space of " + directory + ": " + e.getMessage(), e);
            }
            usableBytes = usable;
            checkedAtMillis = now;
        }
        if (usable < reserve.bytes()) {
            throw new StoreWriteException("the disk of " + directory + " has " + DataSize.ofBytes(usable)
                    + " free, less than the reserve of " + reserve + " (minFreeDiskSpace); free some space,"
                    + " lower the limits of file streams, or move the store");
        }
    }
}
