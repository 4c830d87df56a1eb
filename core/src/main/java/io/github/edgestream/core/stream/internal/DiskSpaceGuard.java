package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.stream.StoreWriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses appends to file streams when the store's disk is nearly full. Chronicle writes through memory-mapped
 * files, and a write into a mapped page that the file system cannot back kills the thread with a bus error; failing
 * the append early with a clear message is the only graceful behaviour.
 *
 * <p>The free space is measured at most once a second while there is plenty of it; between measurements every append
 * subtracts what it writes from the last measurement, so the estimate falls as fast as the disk fills, at any append
 * rate and across all streams. Once the estimate would cross the reserve, the space is measured again before each
 * append (writes of other processes, deletions and retention show up then) and the append is refused if the
 * measurement, less what the append writes, is below the reserve.
 *
 * <p>Thread-safe.
 */
final class DiskSpaceGuard {

    private static final long RECHECK_MILLIS = 1_000;

    /** The file system's usable bytes now (a seam for tests). */
    interface UsableSpace {
        long bytes() throws IOException;
    }

    private final Path directory;
    private final UsableSpace fileStore;
    private final DataSize reserve;
    private final Clock clock;
    /** The last measurement less what appends wrote since. */
    private final AtomicLong estimate = new AtomicLong();
    /** When the disk was last measured; MIN_VALUE: never. */
    private volatile long checkedAtMillis = Long.MIN_VALUE;

    DiskSpaceGuard(Path directory, DataSize reserve, Clock clock) throws IOException {
        this(directory, reserve, clock, Files.getFileStore(directory)::getUsableSpace);
    }

    DiskSpaceGuard(Path directory, DataSize reserve, Clock clock, UsableSpace usableSpace) {
        this.directory = directory;
        this.fileStore = usableSpace;
        this.reserve = reserve;
        this.clock = clock;
    }

    /**
     * Accounts for an append that writes {@code bytes} to the disk.
     *
     * @throws StoreWriteException if the disk would then have less usable space than the reserve (the bytes are not
     *                             accounted then)
     */
    void check(long bytes) {
        long now = clock.millis();
        long left = estimate.addAndGet(-bytes);
        long checkedAt = checkedAtMillis;
        boolean recent = checkedAt != Long.MIN_VALUE && now >= checkedAt && now - checkedAt < RECHECK_MILLIS;
        if (left >= reserve.bytes() && recent) {
            return;
        }
        long usable;
        synchronized (this) {
            try {
                usable = fileStore.bytes();
            } catch (IOException e) {
                estimate.addAndGet(bytes);
                throw new StoreWriteException("cannot read the free space of " + directory + ": " + e.getMessage(), e);
            }
            // appends accounted between our addAndGet and now are part of the measurement or will be soon; the
            // next measurement corrects the difference either way
            estimate.set(usable - bytes);
            checkedAtMillis = now;
        }
        if (usable - bytes < reserve.bytes()) {
            estimate.addAndGet(bytes);
            throw new StoreWriteException("the disk of " + directory + " has " + DataSize.ofBytes(usable)
                    + " free, less than the reserve of " + reserve + " (minFreeDiskSpace) after this append of "
                    + DataSize.ofBytes(bytes) + "; free some space, lower the limits of file streams, or move the"
                    + " store");
        }
    }
}
