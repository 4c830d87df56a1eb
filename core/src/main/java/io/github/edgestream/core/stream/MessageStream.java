package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One message stream: an append-only sequence of messages numbered from 0, stored in segments under the policies
 * of its {@link StreamDefinition}.
 *
 * <p><b>Thread-safe.</b> Appends are serialised per stream (each gets the next sequence number, exactly one higher
 * than the previous); reads run concurrently with appends and with each other. A handle stays bound to the stream
 * it was obtained for: after that stream is deleted every call fails with {@link StreamNotFoundException}, even if
 * a new stream of the same name is created.
 *
 * <p><b>Visibility.</b> A message is visible to readers once its append has returned; with {@code flushOnWrite},
 * only once it is on disk, so a reader never sees a message that a crash could take back.
 */
public interface MessageStream {

    StreamName name();

    /** The current definition (updates replace it atomically). */
    StreamDefinition definition();

    /**
     * Named records kept with this stream, such as each export's progress; deleted with it.
     *
     * @throws StreamNotFoundException the stream was deleted
     */
    Checkpoints checkpoints();

    /**
     * Stores one message; the stage completes with its sequence number once the message is acknowledged: at once,
     * or with {@code flushOnWrite} (file streams) once it is durable on disk. Concurrent durable appends share one
     * sync (group commit), so many writers cost about one sync each round. Never blocks on the sync; the write itself
     * happens before this returns, so appends from one thread keep their order. May delete the oldest segments first
     * (OverwriteOldestData).
     *
     * <p>Reads the payload's remaining bytes without changing its position. The stage fails with:
     * {@link StreamFullException} (RejectNewData and the message does not fit under {@code maxSize}),
     * {@link PayloadTooLargeException} (the message alone exceeds {@code maxSize} or the store's max message size),
     * {@link IllegalArgumentException} (empty payload), {@link StoreWriteException} (disk full, below the free-space
     * reserve, or an I/O error: not stored; or stored but not flushed, as its message says),
     * {@link StreamNotFoundException} (deleted) or {@link StoreClosedException}.
     */
    CompletionStage<Long> appendAsync(ByteBuffer payload);

    /**
     * Stores a batch of records all-or-nothing, with consecutive sequence numbers, if its conditions hold (see
     * {@link AppendBatch}: expected next sequence number, fencing token, timestamp rule). Acknowledged like
     * {@link #appendAsync}: the whole batch shares one sync. Readers see all of it or none of it; after a crash it is
     * wholly there or not at all.
     *
     * <p><b>Timestamps.</b> Record timestamps never decrease along a stream. A producer's timestamp earlier than the
     * stream's newest fails the batch with {@link TimestampOrderException} naming both; a record without one gets its
     * ingest time, or the newest timestamp if the clock is behind it.
     *
     * <p>The stage fails with {@link InvalidRecordException} (a limit of {@link RecordLimits}),
     * {@link FencingTokenMismatchException}, {@link SequenceMismatchException} (naming the actual next number),
     * {@link TimestampOrderException}, and every failure of {@link #appendAsync}. Nothing is written when it fails,
     * except a {@link StoreWriteException} saying the batch was stored but not flushed.
     */
    CompletionStage<AppendResult> appendBatchAsync(AppendBatch batch);

    /** {@link #appendBatchAsync} that waits for the acknowledgement and throws its failure. */
    default AppendResult appendBatch(AppendBatch batch) {
        try {
            return appendBatchAsync(batch).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * Sets the stream's fencing token, which every later append carrying a token must match: the way a new writer
     * locks out a stale one. Durable when this returns (it blocks for one small sync); persists across restarts.
     *
     * @param expectedCurrent if present, the fence happens only if it equals the current token
     * @return the token it replaced ("" if none was set)
     * @throws FencingTokenMismatchException if {@code expectedCurrent} does not match
     * @throws InvalidRecordException        if the token is longer than {@link RecordLimits#MAX_FENCING_TOKEN_BYTES}
     */
    String fence(String token, java.util.Optional<String> expectedCurrent);

    /** The current fencing token; "" if none was ever set. */
    String fencingToken();

    /**
     * Deletes every message below {@code sequenceNumber} (all of them, if it is past the tail); readers see the new
     * oldest at once, and whole segments below it are deleted (the one holding the trim point keeps its bytes until
     * it goes as a whole). Durable when this returns; never moves the oldest backwards.
     *
     * @return the oldest sequence number after the trim
     */
    long trim(long sequenceNumber);

    /**
     * Deletes the oldest segment (its messages, whatever their age) to make room under a quota the stream does not
     * know of (a ReductStore bucket's FIFO quota spans its entries); reported as an eviction with reason
     * {@link EvictionReason#QUOTA}. The segment being written is never deleted: a stream of one segment frees nothing.
     *
     * @return the bytes freed; 0 if nothing could go
     */
    default long evictOldestSegment() {
        throw new UnsupportedOperationException("stream \"" + name() + "\" cannot evict segments");
    }

    /**
     * The first readable sequence number whose record timestamp is at or after {@code timestampMicros}; the next
     * sequence number to be appended if there is none. O(log segments + log records of one segment): never a scan.
     * A read from there gives the records from that time on.
     */
    long seekTime(long timestampMicros);

    /** The newest record timestamp (epoch µs), {@link Long#MIN_VALUE} if the stream never had a record. */
    long newestTimestampMicros();

    /**
     * {@link #appendAsync} that waits for the acknowledgement and throws its failure.
     *
     * @return the message's sequence number
     */
    default long append(ByteBuffer payload) {
        try {
            return appendAsync(payload).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** Same as {@link #append(ByteBuffer)}. */
    default long append(byte[] payload) {
        return append(ByteBuffer.wrap(payload));
    }

    /**
     * Reads consecutive messages from {@code max(request.desiredStart, oldest)}: all that are available up to
     * {@code maxMessageCount}, once at least {@code minMessageCount} are. If fewer are available and the request has
     * a timeout, the read waits for appends (it holds no thread while waiting); otherwise, or when the timeout ends,
     * it fails with {@link NotEnoughMessagesException}.
     *
     * <p>Never blocks the caller. The stage completes on a store thread, the appending thread's executor, or the
     * caller's thread (when data is already there).
     *
     * <p>Fails with {@link StreamNotFoundException} (deleted, also while waiting), {@link StoreClosedException},
     * {@link ResponseTooLargeException} (the minimum does not fit the request's byte budget) or
     * {@link StoreReadException}.
     */
    CompletionStage<List<Message>> read(ReadRequest request);

    /**
     * Makes every message up to {@code sequenceNumber} durable on disk, for a caller about to hand those messages on
     * (an export): what left the gateway must not be lost by the gateway in a power cut, or its sequence numbers would
     * be handed out again to other messages. For a {@code FILE} stream without {@code flushOnWrite}, syncs the
     * segments that hold them, unless an earlier call covered them already; for others (memory streams, flushOnWrite
     * streams, whose appends are durable when acknowledged) it returns at once.
     *
     * <p>Blocks for the sync (milliseconds): call it from a thread that may block, not an event loop. Thread-safe;
     * repeatable. Fails with {@link StoreWriteException} if the data cannot be synced, {@link StreamNotFoundException}
     * or {@link StoreClosedException}.
     */
    default void syncThrough(long sequenceNumber) {
    }

    /**
     * Oldest and newest sequence numbers and stored bytes, consistent with each other. Cheap: no I/O.
     *
     * @throws StreamNotFoundException the stream was deleted
     */
    StreamInfo info();
}
