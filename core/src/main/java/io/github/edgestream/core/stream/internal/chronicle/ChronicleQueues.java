package io.github.edgestream.core.stream.internal.chronicle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * How edgestream builds its Chronicle queues: one queue per segment, with a frozen clock so that the queue never
 * rolls to a second cycle file (our segments roll by size, which Chronicle does not do). Chronicle's roll cycle then
 * only sets the index geometry: {@code FAST_DAILY} indexes every 256th record and holds up to 2^32 records, more
 * than a 2 GiB segment can contain.
 *
 * <p>The mapped block size is four times the largest message (Chronicle's limit for one excerpt is a quarter of a
 * block), and at least 64 MiB. Files are sparse: a block costs address space, not disk, until it is written.
 *
 * <p>Thread-safe and immutable.
 */
final class ChronicleQueues {

    /** The cycle number every segment's single file belongs to. */
    static final int CYCLE = 0;
    static final String DATA_FILE_SUFFIX = ".cq4";
    private static final TimeProvider FROZEN_CLOCK = () -> 0L;
    private static final long MIN_BLOCK_SIZE = 64L << 20;

    static {
        // The same switches the launcher passes; set here too so that embedded use and tests behave alike.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        System.setProperty("chronicle.disk.monitor.disable", "true");
    }

    /** Queues opened by this process; lets tests prove that opening a store opens none. */
    private static final AtomicLong OPENED = new AtomicLong();

    private final long blockSize;

    ChronicleQueues(long maxMessageBytes) {
        long wanted = Math.max(MIN_BLOCK_SIZE, 4 * (maxMessageBytes + 1024));
        this.blockSize = Long.highestOneBit(wanted - 1) << 1;
    }

    SingleChronicleQueue open(Path directory) {
        OPENED.incrementAndGet();
        return SingleChronicleQueueBuilder.binary(directory)
                .rollCycle(RollCycles.FAST_DAILY)
                .timeProvider(FROZEN_CLOCK)
                .blockSize(blockSize)
                .build();
    }

    long blockSize() {
        return blockSize;
    }

    static long openedQueues() {
        return OPENED.get();
    }

    /** The segment's Chronicle data file, if one was created. */
    static Path dataFile(Path segmentDirectory) {
        try (Stream<Path> files = Files.list(segmentDirectory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(DATA_FILE_SUFFIX)).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Length of the segment's data file, 0 if there is none yet. */
    static long dataFileLength(Path segmentDirectory) {
        Path file = dataFile(segmentDirectory);
        try {
            return file == null ? 0 : Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
