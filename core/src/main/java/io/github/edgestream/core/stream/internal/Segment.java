package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import java.util.List;

/**
 * A contiguous run of one stream's messages, the unit in which retention deletes data. A stream is a list of
 * segments, oldest first; only the last ("active") one takes appends. Two implementations: Chronicle Queue (one queue
 * directory per segment) and heap arrays.
 *
 * <p><b>Threading.</b> {@link #append} and {@link #seal} are called by one thread at a time, holding the stream's
 * append lock; {@link #flush} by the stream's one sync task, concurrently with appends. {@link #read} is called concurrently from any number of threads, also while an append
 * runs, but only for sequence numbers whose append has completed. The storage owner guarantees that no read is in
 * progress when the segment is closed or deleted.
 */
public interface Segment {

    /** Sequence number of the first message of this segment. */
    long baseSequence();

    /** One past the last message appended (or claimed, for a damaged segment); {@code baseSequence()} if empty. */
    long nextSequence();

    /**
     * The first sequence number that cannot be read because the segment is damaged there; equals
     * {@link #nextSequence()} for an intact segment. Moves down (never up) when a read finds damage.
     */
    long readableEnd();

    /** Accounted bytes of all messages in the segment ({@link RecordFormat#recordSize} each). */
    long sizeBytes();

    /** Ingest time (epoch ms) of the newest message; {@link Long#MIN_VALUE} when empty. */
    long newestIngestTimeMillis();

    /**
     * Record timestamp (epoch µs) of the newest message; {@link Long#MIN_VALUE} when empty. Timestamps never decrease
     * along a stream (segments written before record format 2 hold ingest times, which a clock step could reorder).
     */
    long newestTimestampMicros();

    /**
     * The first sequence number in {@code [baseSequence, end)} whose record timestamp is at or after
     * {@code timestampMicros}, or {@code end} if there is none. A binary search over the records' timestamps through
     * the storage's own index (Chronicle keeps one entry per few dozen records; the heap segment is an array):
     * O(log n) record reads, never a scan. {@code end} must not pass {@link #readableEnd()}.
     */
    long seekTime(long timestampMicros, long end);

    default boolean isEmpty() {
        return nextSequence() == baseSequence();
    }

    /** Whether the segment takes no more appends (rolled over, or found damaged). */
    boolean isSealed();

    /**
     * Appends one record with its resolved timestamp. On failure nothing of this record was stored (records of the
     * same batch written before it are undone with {@link #rollBack}).
     *
     * @param batchContinues more records of the same atomic batch follow (stored in the record: recovery drops a
     *                       batch that a crash cut short)
     * @throws io.github.edgestream.core.stream.StoreWriteException on an I/O failure
     */
    void append(long sequence, long ingestTimeMillis, long timestampMicros, AppendRecord record,
            boolean batchContinues);

    /** Where the segment stands now, to {@link #rollBack} to if a batch fails part-way. */
    default Mark mark() {
        return new Mark(nextSequence(), sizeBytes(), newestIngestTimeMillis(), newestTimestampMicros());
    }

    /**
     * A batch failed part-way: forgets the records appended since {@code mark} (no reader has seen them) and seals the
     * segment, because the storage may still hold their bytes; the next append goes to a new segment.
     */
    void rollBack(Mark mark);

    /** A segment's counters at one moment. */
    record Mark(long next, long sizeBytes, long newestIngestTimeMillis, long newestTimestampMicros) {
    }

    /**
     * Makes every message appended before the call durable. Unlike the other writer methods it may run concurrently
     * with {@link #append} (the group-commit task calls it); a flush of a deleted segment does nothing. No-op for
     * memory.
     */
    void flush();

    /**
     * Records progress (how far the sequence numbers went) where a crash cannot erase it together with the data.
     * Called now and then under the append lock; no-op for memory.
     */
    default void checkpoint() {
    }

    /** Takes no more appends from now on; records the final metadata. */
    void seal();

    /**
     * Appends messages {@code from..to} (inclusive, within {@code [baseSequence, readableEnd)}) to {@code sink}, in
     * order, stopping early before a message the budget cannot pay for, or where damage is found (then
     * {@link #readableEnd()} has moved down to that point and the loss has been reported).
     */
    void read(long from, long to, ReadBudget budget, List<Message> sink);
}
