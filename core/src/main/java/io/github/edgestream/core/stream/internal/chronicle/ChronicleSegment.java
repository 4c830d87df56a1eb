package io.github.edgestream.core.stream.internal.chronicle;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.RecordLimits;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.internal.ReadBudget;
import io.github.edgestream.core.stream.internal.RecordFormat;
import io.github.edgestream.core.stream.internal.Segment;
import io.github.edgestream.core.stream.internal.SegmentStorage.DamageReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    private volatile long newestTimestamp;
    /** {@link RecordFormat#VERSION_1} or {@link RecordFormat#VERSION_2}; version 1 segments take no appends. */
    private final int recordFormat;
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

    private ChronicleSegment(Path directory, long ordinal, long base, int recordFormat, ChronicleQueues queues,
            DamageReport damage) {
        this.directory = directory;
        this.recordFormat = recordFormat;
        this.ordinal = ordinal;
        this.base = base;
        this.queues = queues;
        this.damage = damage;
        this.next = base;
        this.checkpointed = base;
        this.readableEnd = base;
        this.newestIngestTime = Long.MIN_VALUE;
        this.newestTimestamp = Long.MIN_VALUE;
    }

    /** A new, empty, writable segment; its directory and ACTIVE metadata are created now. */
    static ChronicleSegment create(Path directory, long ordinal, long base, ChronicleQueues queues,
            DamageReport damage) throws IOException {
        Files.createDirectories(directory);
        SegmentMeta.active(base, RecordFormat.VERSION_2).write(directory);
        return new ChronicleSegment(directory, ordinal, base, RecordFormat.VERSION_2, queues, damage);
    }

    /** A segment whose metadata is trusted: sealed, or the last one after a clean shutdown (appendable). */
    static ChronicleSegment fromMeta(Path directory, long ordinal, SegmentMeta meta, ChronicleQueues queues,
            DamageReport damage) {
        ChronicleSegment segment = new ChronicleSegment(directory, ordinal, meta.base(), meta.recordFormat(), queues,
                damage);
        segment.next = meta.next();
        segment.readableEnd = meta.readableEnd();
        segment.sizeBytes = meta.bytes();
        segment.newestIngestTime = meta.newestIngestTime();
        segment.newestTimestamp = meta.newestTimestamp();
        // a version 1 segment (written by an earlier release) is read, never appended to: a new segment follows it
        segment.sealed = meta.state() == SegmentMeta.State.SEALED || meta.readableEnd() < meta.next()
                || meta.recordFormat() == RecordFormat.VERSION_1;
        segment.metaIsClean = meta.state() == SegmentMeta.State.CLEAN;
        return segment;
    }

    /**
     * An empty segment whose writing never started (ACTIVE metadata, no data file): usable as is, in record format 2
     * (its metadata is rewritten if an earlier release created it).
     */
    static ChronicleSegment emptyActive(Path directory, long ordinal, long base, int recordFormat,
            ChronicleQueues queues, DamageReport damage) {
        if (recordFormat != RecordFormat.VERSION_2) {
            try {
                SegmentMeta.active(base, RecordFormat.VERSION_2).write(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rewrite the metadata of empty segment " + directory, e);
            }
        }
        return new ChronicleSegment(directory, ordinal, base, RecordFormat.VERSION_2, queues, damage);
    }

    /**
     * Rebuilds a segment that was not closed cleanly by reading every record and checking its sequence number and
     * checksum. The segment comes back sealed: after a crash nothing more is appended to a file whose Chronicle
     * bookkeeping may be stale. Damage (a record missing, misplaced or torn before the end the segment is known to
     * have reached) is reported, and the segment keeps the claimed end so that no sequence number is reused. A batch
     * that the crash cut short (its last records with {@link RecordFormat#BATCH_CONTINUES} set) was never
     * acknowledged: it is dropped, not reported.
     *
     * @param base         the segment's first sequence number (from its metadata), or -1 if unknown
     * @param claimedNext  the end recorded in metadata (exact after a clean close, a checkpoint otherwise), or -1
     * @param recordFormat the version its metadata gives, or 0 if unknown (then the first record's checksum decides)
     * @return the recovered segment, or {@code null} if the directory holds no record and its base is unknown
     */
    static ChronicleSegment recover(Path directory, long ordinal, long base, long claimedNext, int recordFormat,
            ChronicleQueues queues, DamageReport damage) {
        SingleChronicleQueue queue = queues.open(directory);
        Scan scan = new Scan(base, recordFormat);
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (scan.problem == null) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytesIn = dc.wire().bytes();
                    byte[] record = new byte[(int) bytesIn.readRemaining()];
                    bytesIn.read(record);
                    scan.accept(record);
                }
            }
        } catch (RuntimeException | AssertionError e) {
            // Chronicle asserts on some shapes of damage when assertions are on; either way the record is unreadable.
            scan.problem = "unreadable record: " + e;
        }
        if (scan.first < 0) {
            queue.close();
            return null;
        }
        long readable = scan.first + scan.complete;
        long claimed = Math.max(readable, claimedNext);
        ChronicleSegment segment = new ChronicleSegment(directory, ordinal, scan.first,
                scan.format == 0 ? RecordFormat.VERSION_2 : scan.format, queues, damage);
        segment.queue = queue;
        segment.next = claimed;
        segment.readableEnd = readable;
        segment.sizeBytes = scan.completeBytes;
        segment.newestIngestTime = scan.completeNewestIngest;
        segment.newestTimestamp = scan.completeNewestTimestamp;
        segment.sealed = true;
        if (scan.count > scan.complete && scan.problem == null && claimed == readable) {
            LOG.info("segment {}: dropped the last {} records, a batch that a crash cut short before it was"
                    + " acknowledged", directory, scan.count - scan.complete);
        }
        if (claimed > readable || scan.problem != null) {
            damage.lost(readable, claimed > readable ? claimed - 1 : -1,
                    "segment " + directory + " is damaged after the last intact record"
                            + (scan.problem == null ? " (file truncated or zeroed)" : ": " + scan.problem));
        }
        segment.writeMetaQuietly(SegmentMeta.State.SEALED);
        LOG.info("recovered segment {}: messages {}..{} intact", directory, scan.first, readable - 1);
        return segment;
    }

    /** The state of a recovery scan: what is intact so far, and where the last whole batch ended. */
    private static final class Scan {
        long first;
        int format;
        long count;
        long bytes;
        long newestIngest = Long.MIN_VALUE;
        long newestTimestamp = Long.MIN_VALUE;
        /** Records up to the end of the last whole batch, and their totals. */
        long complete;
        long completeBytes;
        long completeNewestIngest = Long.MIN_VALUE;
        long completeNewestTimestamp = Long.MIN_VALUE;
        String problem;

        Scan(long first, int format) {
            this.first = first;
            this.format = format;
        }

        void accept(byte[] record) {
            ByteBuffer in = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            if (in.remaining() < RecordFormat.HEADER) {
                problem = "record shorter than its header";
                return;
            }
            long sequence = in.getLong();
            long ingestTime = in.getLong();
            int crc = in.getInt();
            if (first < 0) {
                first = sequence;
            }
            if (sequence != first + count) {
                problem = "record " + (first + count) + " has sequence number " + sequence;
                return;
            }
            if (format == 0) {
                // No metadata says which version (both checksum the same bytes): version 2 if the first record parses
                // as one, with a plausible timestamp and no unknown flag.
                format = looksLikeVersion2(in.duplicate().order(ByteOrder.LITTLE_ENDIAN))
                        ? RecordFormat.VERSION_2 : RecordFormat.VERSION_1;
            }
            long timestamp;
            boolean continues = false;
            long size;
            if (format == RecordFormat.VERSION_1) {
                if (RecordFormat.checksum(sequence, ingestTime, in) != crc) {
                    problem = "record " + sequence + " fails its checksum (torn write)";
                    return;
                }
                timestamp = ingestTime * 1000;
                size = RecordFormat.recordSize(in.remaining());
            } else {
                if (checksumV2(sequence, ingestTime, in) != crc) {
                    problem = "record " + sequence + " fails its checksum (torn write)";
                    return;
                }
                RecordFormat.Extension extension;
                try {
                    extension = RecordFormat.readExtension(in);
                } catch (IllegalArgumentException e) {
                    problem = "record " + sequence + " is malformed: " + e.getMessage();
                    return;
                }
                timestamp = extension.timestampMicros();
                continues = extension.batchContinues();
                size = in.remaining() + RecordLimits.extraSize(extension.key(), extension.headers())
                        + RecordFormat.OVERHEAD;
            }
            count++;
            bytes += size;
            newestIngest = ingestTime;
            newestTimestamp = timestamp;
            if (!continues) {
                complete = count;
                completeBytes = bytes;
                completeNewestIngest = newestIngest;
                completeNewestTimestamp = newestTimestamp;
            }
        }

        private static boolean looksLikeVersion2(ByteBuffer afterCrc) {
            try {
                RecordFormat.Extension extension = RecordFormat.readExtension(afterCrc);
                return extension.flags() <= RecordFormat.BATCH_CONTINUES && extension.timestampMicros() >= 0
                        && extension.timestampMicros() <= RecordLimits.MAX_TIMESTAMP_MICROS;
            } catch (IllegalArgumentException notVersion2) {
                return false;
            }
        }

        /** Version 2's checksum over a record positioned after its crc field; leaves the position there. */
        private static int checksumV2(long sequence, long ingestTime, ByteBuffer afterCrc) {
            return RecordFormat.checksum(sequence, ingestTime, afterCrc, ByteBuffer.allocate(0));
        }
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
    public long newestTimestampMicros() {
        return newestTimestamp;
    }

    /** {@link RecordFormat#VERSION_1} or {@link RecordFormat#VERSION_2}. */
    int recordFormat() {
        return recordFormat;
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

    private static final ThreadLocal<ByteBuffer> EXTENSION_SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN));

    @Override
    public void append(long sequence, long ingestTimeMillis, long timestampMicros, AppendRecord record,
            boolean batchContinues) {
        if (sealed) {
            throw new IllegalStateException("segment " + directory + " is sealed");
        }
        if (recordFormat != RecordFormat.VERSION_2) {
            throw new IllegalStateException("segment " + directory + " holds record format " + recordFormat
                    + " and takes no appends");
        }
        if (sequence != next) {
            throw new IllegalStateException("append of " + sequence + " to segment " + directory + " expecting " + next);
        }
        try {
            if (metaIsClean) {
                // From now on a crash must lead to a recovery scan; the CLEAN counts would soon be stale.
                SegmentMeta.active(base, next, recordFormat).write(directory);
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
        ByteBuffer payload = record.payload();
        ByteBuffer extension = extension(timestampMicros, batchContinues, record);
        int crc = RecordFormat.checksum(sequence, ingestTimeMillis, extension, payload);
        int length = payload.remaining();
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                Bytes<?> out = dc.wire().bytes();
                out.writeLong(sequence);
                out.writeLong(ingestTimeMillis);
                out.writeInt(crc);
                out.write(extension.array(), 0, extension.limit());
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
        sizeBytes += length + RecordLimits.extraSize(record.key(), record.headers()) + RecordFormat.OVERHEAD;
        newestIngestTime = ingestTimeMillis;
        newestTimestamp = timestampMicros;
        next = sequence + 1;
        readableEnd = sequence + 1;
    }

    /** The record's version 2 extension in a per-thread buffer (array-backed, from 0 to its limit). */
    private static ByteBuffer extension(long timestampMicros, boolean batchContinues, AppendRecord record) {
        int length = RecordFormat.extensionLength(record.key(), record.headers());
        ByteBuffer scratch = EXTENSION_SCRATCH.get();
        if (scratch.capacity() < length) {
            scratch = ByteBuffer.allocate(Math.max(length, scratch.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
            if (length <= 1 << 20) {
                EXTENSION_SCRATCH.set(scratch);
            }
        }
        scratch.clear();
        RecordFormat.writeExtension(scratch, timestampMicros, batchContinues ? RecordFormat.BATCH_CONTINUES : 0,
                record.key(), record.headers());
        return scratch.flip();
    }

    @Override
    public void rollBack(Mark mark) {
        next = mark.next();
        readableEnd = mark.next();
        sizeBytes = mark.sizeBytes();
        newestIngestTime = mark.newestIngestTimeMillis();
        newestTimestamp = mark.newestTimestampMicros();
        // Chronicle may hold some of the batch's bytes: nothing more goes into this file, and the metadata (or, after
        // a crash, the recovery scan, which drops an unfinished batch) says where the segment ends
        sealed = true;
        closeAppender();
        writeMetaQuietly(SegmentMeta.State.SEALED);
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
            SegmentMeta.active(base, reached, recordFormat).write(directory, true);
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
                    Message message = recordFormat == RecordFormat.VERSION_1
                            ? readVersion1(in, sequence, ingestTime, budget)
                            : readVersion2(in, sequence, ingestTime, budget);
                    if (message == null) {
                        dc.rollbackOnClose();
                        pooled.nextSequence = -1; // re-position next time rather than trust the rollback
                        reusable = true;
                        return;
                    }
                    sink.add(message);
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

    /** The rest of a version 1 record, or null if the budget cannot pay for it. */
    private static Message readVersion1(Bytes<?> in, long sequence, long ingestTime, ReadBudget budget) {
        int length = (int) in.readRemaining();
        if (!budget.take(length)) {
            return null;
        }
        byte[] payload = new byte[length];
        in.read(payload);
        return new Message(sequence, ingestTime, payload);
    }

    /** The rest of a version 2 record (layout in {@link RecordFormat}), or null if the budget cannot pay for it. */
    private static Message readVersion2(Bytes<?> in, long sequence, long ingestTime, ReadBudget budget) {
        long timestamp = in.readLong();
        in.readUnsignedByte(); // flags: only recovery needs them
        int keyLength = in.readUnsignedShort();
        int headerCount = in.readUnsignedShort();
        byte[] key = keyLength == 0 ? Message.NO_KEY : new byte[keyLength];
        in.read(key);
        List<Header> headers = List.of();
        long headerBytes = 0;
        if (headerCount > 0) {
            Header[] read = new Header[headerCount];
            for (int i = 0; i < headerCount; i++) {
                byte[] name = new byte[in.readUnsignedShort()];
                byte[] value = new byte[in.readInt()];
                in.read(name);
                in.read(value);
                read[i] = new Header(name, value);
                headerBytes += RecordLimits.HEADER_OVERHEAD + name.length + value.length;
            }
            headers = List.of(read);
        }
        int length = (int) in.readRemaining();
        if (!budget.take((int) (length + keyLength + headerBytes))) {
            return null;
        }
        byte[] payload = new byte[length];
        in.read(payload);
        return new Message(sequence, ingestTime, timestamp, key, headers, payload);
    }

    @Override
    public long seekTime(long timestampMicros, long end) {
        long low = base;
        long high = Math.min(end, readableEnd);
        if (low >= high || timestampMicros > newestTimestamp && high == next) {
            return high;
        }
        PooledTailer pooled = acquireTailer();
        boolean reusable = false;
        try {
            while (low < high) {
                long middle = (low + high) >>> 1;
                if (timestampAt(pooled, middle) < timestampMicros) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            reusable = true;
            return low;
        } catch (RuntimeException | AssertionError e) {
            if (closed) {
                throw new StoreReadException("segment " + directory + " was closed during a seek", e);
            }
            throw new StoreReadException("seeking by time in segment " + directory + " failed: " + e, e);
        } finally {
            releaseTailer(pooled, reusable);
        }
    }

    /** The record timestamp of one record (its ingest time for version 1), leaving the tailer after it. */
    private long timestampAt(PooledTailer pooled, long sequence) {
        pooled.nextSequence = -1;
        if (!pooled.tailer.moveToIndex(toIndex(sequence))) {
            throw new StoreReadException("Chronicle cannot find record " + sequence + " of segment " + directory);
        }
        try (DocumentContext dc = pooled.tailer.readingDocument()) {
            Bytes<?> in = dc.wire().bytes();
            if (!dc.isPresent() || in.readRemaining() < RecordFormat.HEADER || in.readLong() != sequence) {
                throw new StoreReadException("record " + sequence + " of segment " + directory
                        + " is missing or misplaced");
            }
            long ingestTime = in.readLong();
            in.readInt();
            long timestamp = recordFormat == RecordFormat.VERSION_1 ? ingestTime * 1000 : in.readLong();
            pooled.nextSequence = sequence + 1;
            return timestamp;
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
                    ChronicleQueues.dataFileLength(directory), recordFormat, newestTimestamp).write(directory);
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
