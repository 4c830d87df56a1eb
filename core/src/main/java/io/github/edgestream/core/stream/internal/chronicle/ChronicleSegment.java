package io.github.edgestream.core.stream.internal.chronicle;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.internal.ReadBudget;
import io.github.edgestream.core.stream.internal.RecordFormat;
import io.github.edgestream.core.stream.internal.Segment;
import io.github.edgestream.core.stream.internal.SegmentStorage.DamageReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A segment stored as one Chronicle Queue in its own directory, holding messages in the {@link RecordFormat}.
 * The queue's clock is frozen (see {@link ChronicleQueues}), so it never rolls to a second file: message
 * {@code base + i} is Chronicle index {@code i}.
 *
 * <p>The Chronicle queue is opened lazily, on the first append or read, so that opening a store with thousands of
 * streams touches no Chronicle file. Threading as in {@link Segment}; tailers are pooled per segment and handed
 * between reader threads (never used by two at once).
 */
final class ChronicleSegment implements Segment {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleSegment.class);
    private static final int MAX_POOLED_TAILERS = 4;

    /** A tailer plus the sequence number it will read next, so that sequential readers skip the index lookup. */
    private static final class PooledTailer {
        final ExcerptTailer tailer;
        long nextSequence = -1;

        PooledTailer(ExcerptTailer tailer) {
            this.tailer = tailer;
        }
    }

    private final Path directory;
    private final long ordinal;
    private final long base;
    private final ChronicleQueues queues;
    private final DamageReport damage;
    private final ConcurrentLinkedDeque<PooledTailer> tailers = new ConcurrentLinkedDeque<>();

    private volatile long next;
    private volatile long readableEnd;
    private volatile long sizeBytes;
    private volatile long newestIngestTime;
    private volatile boolean sealed;
    /** The metadata on disk says CLEAN; the first append must downgrade it to ACTIVE before writing. */
    private boolean metaIsClean;
    /** The {@code next} last written to the ACTIVE metadata. */
    private long checkpointed;

    private volatile SingleChronicleQueue queue;
    private ExcerptAppender appender;
    /** Our own descriptor on the data file, for fsync; guarded by {@code this}. */
    private FileChannel syncChannel;
    private boolean closed;

    private ChronicleSegment(Path directory, long ordinal, long base, ChronicleQueues queues, DamageReport damage) {
        this.directory = directory;
        this.ordinal = ordinal;
        this.base = base;
        this.queues = queues;
        this.damage = damage;
        this.next = base;
        this.checkpointed = base;
        this.readableEnd = base;
        this.newestIngestTime = Long.MIN_VALUE;
    }

    /** A new, empty, writable segment; its directory and ACTIVE metadata are created now. */
    static ChronicleSegment create(Path directory, long ordinal, long base, ChronicleQueues queues,
            DamageReport damage) throws IOException {
        Files.createDirectories(directory);
        SegmentMeta.active(base).write(directory);
        return new ChronicleSegment(directory, ordinal, base, queues, damage);
    }

    /** A segment whose metadata is trusted: sealed, or the last one after a clean shutdown (appendable). */
    static ChronicleSegment fromMeta(Path directory, long ordinal, SegmentMeta meta, ChronicleQueues queues,
            DamageReport damage) {
        ChronicleSegment segment = new ChronicleSegment(directory, ordinal, meta.base(), queues, damage);
        segment.next = meta.next();
        segment.readableEnd = meta.readableEnd();
        segment.sizeBytes = meta.bytes();
        segment.newestIngestTime = meta.newestIngestTime();
        segment.sealed = meta.state() == SegmentMeta.State.SEALED || meta.readableEnd() < meta.next();
        segment.metaIsClean = meta.state() == SegmentMeta.State.CLEAN;
        return segment;
    }

    /** An empty segment whose writing never started (ACTIVE metadata, no data file): usable as is. */
    static ChronicleSegment emptyActive(Path directory, long ordinal, long base, ChronicleQueues queues,
            DamageReport damage) {
        return new ChronicleSegment(directory, ordinal, base, queues, damage);
    }

    /**
     * Rebuilds a segment that was not closed cleanly by reading every record and checking its sequence number and
     * checksum. The segment comes back sealed: after a crash nothing more is appended to a file whose Chronicle
     * bookkeeping may be stale. Damage (a record missing, misplaced or torn before the end the segment is known to
     * have reached) is reported, and the segment keeps the claimed end so that no sequence number is reused.
     *
     * @param base        the segment's first sequence number (from its metadata), or -1 if unknown
     * @param claimedNext the end recorded in metadata (exact after a clean close, a checkpoint otherwise), or -1
     * @return the recovered segment, or {@code null} if the directory holds no record and its base is unknown
     */
    static ChronicleSegment recover(Path directory, long ordinal, long base, long claimedNext,
            ChronicleQueues queues, DamageReport damage) {
        SingleChronicleQueue queue = queues.open(directory);
        long count = 0;
        long bytes = 0;
        long newest = Long.MIN_VALUE;
        long first = base;
        String problem = null;
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytesIn = dc.wire().bytes();
                    if (bytesIn.readRemaining() < RecordFormat.HEADER) {
                        problem = "record shorter than its header";
                        break;
                    }
                    long sequence = bytesIn.readLong();
                    long ingestTime = bytesIn.readLong();
                    int crc = bytesIn.readInt();
                    if (first < 0) {
                        first = sequence;
                    }
                    if (sequence != first + count) {
                        problem = "record " + (first + count) + " has sequence number " + sequence;
                        break;
                    }
                    ByteBuffer payload = ByteBuffer.allocate((int) bytesIn.readRemaining());
                    bytesIn.read(payload.array());
                    if (RecordFormat.checksum(sequence, ingestTime, payload) != crc) {
                        problem = "record " + sequence + " fails its checksum (torn write)";
                        break;
                    }
                    count++;
                    bytes += RecordFormat.recordSize(payload.capacity());
                    newest = ingestTime;
                }
            }
        } catch (RuntimeException | AssertionError e) {
            // Chronicle asserts on some shapes of damage when assertions are on; either way the record is unreadable.
            problem = "unreadable record: " + e;
        }
        if (first < 0) {
            queue.close();
            return null;
        }
        long readable = first + count;
        long claimed = Math.max(readable, claimedNext);
        ChronicleSegment segment = new ChronicleSegment(directory, ordinal, first, queues, damage);
        segment.queue = queue;
        segment.next = claimed;
        segment.readableEnd = readable;
        segment.sizeBytes = bytes;
        segment.newestIngestTime = newest;
        segment.sealed = true;
        if (claimed > readable || problem != null) {
            damage.lost(readable, claimed > readable ? claimed - 1 : -1,
                    "segment " + directory + " is damaged after the last intact record"
                            + (problem == null ? " (file truncated or zeroed)" : ": " + problem));
        }
        segment.writeMetaQuietly(SegmentMeta.State.SEALED);
        LOG.info("recovered segment {} after an unclean shutdown: messages {}..{} intact", directory, first,
                readable - 1);
        return segment;
    }

    long ordinal() {
        return ordinal;
    }

    Path directory() {
        return directory;
    }

    @Override
    public long baseSequence() {
        return base;
    }

    @Override
    public long nextSequence() {
        return next;
    }

    @Override
    public long readableEnd() {
        return readableEnd;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public long newestIngestTimeMillis() {
        return newestIngestTime;
    }

    @Override
    public boolean isSealed() {
        return sealed;
    }

    private SingleChronicleQueue queue() {
        SingleChronicleQueue current = queue;
        if (current == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("segment " + directory + " is closed");
                }
                current = queue;
                if (current == null) {
                    current = queues.open(directory);
                    queue = current;
                }
            }
        }
        return current;
    }

    @Override
    public void append(long sequence, long ingestTimeMillis, ByteBuffer payload) {
        if (sealed) {
            throw new IllegalStateException("segment " + directory + " is sealed");
        }
        if (sequence != next) {
            throw new IllegalStateException("append of " + sequence + " to segment " + directory + " expecting " + next);
        }
        try {
            if (metaIsClean) {
                // From now on a crash must lead to a recovery scan; the CLEAN counts would soon be stale.
                SegmentMeta.active(base, next).write(directory);
                metaIsClean = false;
                checkpointed = next;
            }
            if (appender == null) {
                appender = queue().createAppender();
                appender.singleThreadedCheckDisabled(true);
            }
        } catch (IOException | RuntimeException e) {
            throw new StoreWriteException("cannot open segment " + directory + " for writing: " + e, e);
        }
        int crc = RecordFormat.checksum(sequence, ingestTimeMillis, payload);
        int length = payload.remaining();
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                Bytes<?> out = dc.wire().bytes();
                out.writeLong(sequence);
                out.writeLong(ingestTimeMillis);
                out.writeInt(crc);
                if (payload.hasArray()) {
                    out.write(payload.array(), payload.arrayOffset() + payload.position(), length);
                } else {
                    ByteBuffer source = payload.duplicate();
                    out.writeSome(source);
                    if (source.hasRemaining()) {
                        throw new IllegalStateException("Chronicle accepted only part of a " + length + "-byte payload");
                    }
                }
            } catch (RuntimeException | InternalError e) {
                dc.rollbackOnClose();
                throw e;
            }
        } catch (RuntimeException | InternalError e) {
            // InternalError: the JVM's report of a bus error on a mapped page (disk full under a sparse file).
            throw new StoreWriteException("cannot write message " + sequence + " to segment " + directory + ": " + e, e);
        }
        sizeBytes += RecordFormat.recordSize(length);
        newestIngestTime = ingestTimeMillis;
        next = sequence + 1;
        readableEnd = sequence + 1;
    }

    /**
     * fsyncs the segment's data file. Thread-safe, and independent of Chronicle's appender: the group-commit task
     * calls it while the writer keeps appending. Chronicle writes through a shared mapping, whose dirty pages are the
     * file's page cache, so {@code fdatasync} on our own descriptor makes them durable.
     */
    @Override
    public void flush() {
        FileChannel channel = syncChannel();
        if (channel == null) {
            return; // nothing written yet, or the segment was deleted meanwhile
        }
        try {
            channel.force(false);
        } catch (ClosedChannelException deleted) {
            // evicted while its sync was pending: there is nothing left to make durable
        } catch (IOException e) {
            throw new StoreWriteException("cannot sync segment " + directory + ": " + e, e);
        }
    }

    private synchronized FileChannel syncChannel() {
        if (closed) {
            return null;
        }
        if (syncChannel == null) {
            Path dataFile = ChronicleQueues.dataFile(directory);
            if (dataFile == null) {
                return null;
            }
            try {
                syncChannel = FileChannel.open(dataFile, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new StoreWriteException("cannot open " + dataFile + " to sync it: " + e, e);
            }
        }
        return syncChannel;
    }

    /**
     * Records how far the segment got, if it moved since the last checkpoint, so that after a crash that also damages
     * the file, or a power cut that takes what was not synced, the store still knows which sequence numbers were
     * handed out. Durable: one small file written and synced, at most once per retention interval.
     */
    @Override
    public void checkpoint() {
        if (sealed || metaIsClean || next == checkpointed) {
            return;
        }
        long reached = next;
        try {
            SegmentMeta.active(base, reached).write(directory, true);
            checkpointed = reached;
        } catch (IOException e) {
            LOG.warn("cannot checkpoint segment {}: {}", directory, e.toString());
        }
    }

    @Override
    public void seal() {
        if (sealed) {
            return;
        }
        sealed = true;
        closeAppender();
        writeMeta(SegmentMeta.State.SEALED);
    }

    @Override
    public void read(long from, long to, ReadBudget budget, List<Message> sink) {
        PooledTailer pooled = acquireTailer();
        boolean reusable = false;
        long sequence = from;
        try {
            if (pooled.nextSequence != from && !pooled.tailer.moveToIndex(toIndex(from))) {
                markDamaged(from, "Chronicle cannot find record " + from);
                return;
            }
            for (; sequence <= to; sequence++) {
                try (DocumentContext dc = pooled.tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        markDamaged(sequence, "record " + sequence + " is missing");
                        return;
                    }
                    Bytes<?> in = dc.wire().bytes();
                    long stored = in.readRemaining() >= RecordFormat.HEADER ? in.readLong() : -1;
                    if (stored != sequence) {
                        markDamaged(sequence, "record " + sequence + " is misplaced (found " + stored + ")");
                        return;
                    }
                    long ingestTime = in.readLong();
                    in.readInt(); // checksum: verified by recovery, not on every read
                    int length = (int) in.readRemaining();
                    if (!budget.take(length)) {
                        dc.rollbackOnClose();
                        pooled.nextSequence = -1; // re-position next time rather than trust the rollback
                        reusable = true;
                        return;
                    }
                    byte[] payload = new byte[length];
                    in.read(payload);
                    sink.add(new Message(sequence, ingestTime, payload));
                }
            }
            pooled.nextSequence = sequence;
            reusable = true;
        } catch (RuntimeException | AssertionError e) {
            if (closed) {
                throw new StoreReadException("segment " + directory + " was closed during a read", e);
            }
            markDamaged(sequence, "reading record " + sequence + " failed: " + e);
        } finally {
            releaseTailer(pooled, reusable);
        }
    }

    private long toIndex(long sequence) {
        return queue().rollCycle().toIndex(ChronicleQueues.CYCLE, sequence - base);
    }

    private PooledTailer acquireTailer() {
        PooledTailer pooled = tailers.pollFirst();
        if (pooled != null) {
            return pooled;
        }
        ExcerptTailer tailer = queue().createTailer();
        tailer.singleThreadedCheckDisabled(true);
        return new PooledTailer(tailer);
    }

    private void releaseTailer(PooledTailer pooled, boolean reusable) {
        if (reusable && !closed && tailers.size() < MAX_POOLED_TAILERS) {
            tailers.addFirst(pooled);
        } else {
            pooled.tailer.close();
        }
    }

    /** A read found damage at {@code sequence}: nothing from there on is readable. Reported once per new damage. */
    private synchronized void markDamaged(long sequence, String cause) {
        if (sequence >= readableEnd) {
            return;
        }
        readableEnd = sequence;
        damage.lost(sequence, next - 1, "segment " + directory + ": " + cause);
        if (sealed) {
            writeMetaQuietly(SegmentMeta.State.SEALED);
        }
    }

    /** Clean shutdown: records the counts so the next open trusts them, then releases the files. */
    void closeCleanly() {
        closeAppender();
        closeQueue();
        writeMetaQuietly(sealed ? SegmentMeta.State.SEALED : SegmentMeta.State.CLEAN);
    }

    /** Releases files and mappings without recording anything (the segment is being deleted). */
    void release() {
        closeAppender();
        closeQueue();
    }

    private void closeAppender() {
        closeQuietly(appender, "appender");
        appender = null;
    }

    private synchronized void closeQueue() {
        closed = true;
        PooledTailer pooled;
        while ((pooled = tailers.pollFirst()) != null) {
            closeQuietly(pooled.tailer, "tailer");
        }
        closeQuietly(queue, "Chronicle queue");
        queue = null;
        closeQuietly(syncChannel, "sync channel");
        syncChannel = null;
    }

    private void closeQuietly(AutoCloseable closeable, String what) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("closing the {} of {} failed", what, directory, e);
            }
        }
    }

    private void writeMeta(SegmentMeta.State state) {
        try {
            new SegmentMeta(base, state, next, readableEnd, sizeBytes, newestIngestTime,
                    ChronicleQueues.dataFileLength(directory)).write(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metadata of segment " + directory, e);
        }
    }

    private void writeMetaQuietly(SegmentMeta.State state) {
        try {
            writeMeta(state);
        } catch (UncheckedIOException e) {
            LOG.warn("{}; the next open will scan the segment instead", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ChronicleSegment[" + directory.getFileName() + ": " + base + ".." + (next - 1)
                + (sealed ? ", sealed" : "") + (readableEnd < next ? ", readable to " + (readableEnd - 1) : "") + "]";
    }
}
