package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.Checkpoints;
import io.github.edgestream.core.stream.FencingTokenMismatchException;
import io.github.edgestream.core.stream.EvictionReason;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.RecordLimits;
import io.github.edgestream.core.stream.SequenceMismatchException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.StreamStoreException;
import io.github.edgestream.core.stream.TimestampOrderException;
import io.github.edgestream.core.stream.UpdateNotAllowedException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's policies over its {@link SegmentStorage}: sequence numbers, atomic and conditional batches, fencing,
 * trim, {@code maxSize} with RejectNewData or OverwriteOldestData, segment roll-over, TTL, group commit. Written once
 * for both persistences. Reads, waiting reads and seek by time are {@link StreamReads}'s, over the state published
 * here.
 *
 * <p>Thread-safe. Two locks, always taken in this order (see {@code core/LOCKS.md}):
 * <ol>
 *   <li>{@code appendLock} serialises everything that changes the stream: append, retention, update, close;</li>
 *   <li>{@code segmentsLock} is read-locked by readers while they touch segments, and write-locked only to remove
 *       segments from the list (and to close them), so that no segment is deleted under a reader.</li>
 * </ol>
 * The stream's state (segments, next sequence number, total size, trim point) is one immutable {@link StreamState}
 * published through a volatile field after each change: readers and {@link #info()} never take the append lock.
 *
 * <p><b>Group commit.</b> A {@code flushOnWrite} append writes its record under the append lock and returns a stage
 * that completes once a sync covers it. One sync task at a time (on the store's executor, under {@code syncLock})
 * takes every pending append, syncs the segments they touched, publishes them to readers and acknowledges them; the
 * appends that arrive meanwhile wait for the next round, so N concurrent writers share one sync instead of N. When
 * the previous round carried several appends, a round waits up to 200 µs for as many to gather (see
 * {@code gatherBatch}); a lone writer never waits.
 */
final class LogStream implements MessageStream {

    private static final Logger LOG = LoggerFactory.getLogger(LogStream.class);

    /** A durable append waiting for the sync that covers it. */
    private record PendingAppend(AppendResult result, CompletableFuture<AppendResult> acknowledged) {
    }

    private final StreamName name;
    private final SegmentStorage storage;
    private final StreamContext context;
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Since the store opened; written under appendLock, read without it (metrics may be a message behind). */
    private volatile long appendedMessages;
    private volatile long appendedBytes;
    private final ReentrantReadWriteLock segmentsLock = new ReentrantReadWriteLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final StreamReads reads = new StreamReads(this);
    /** The next sequence number to hand out; ahead of {@code state.next} while durable appends await their sync. */
    private long assignNext;
    /** Appends written but not yet durable, oldest first; guarded by appendLock. */
    private final List<PendingAppend> pending = new ArrayList<>();
    /** Segments holding writes that the next sync must cover; guarded by appendLock. */
    private final Set<Segment> unsynced = new LinkedHashSet<>();
    /** A sync task is queued or running; guarded by appendLock. */
    private boolean syncScheduled;
    /** Appends the previous sync carried; read and written by the sync task only (under syncLock). */
    private int lastBatchSize;
    private static final long MAX_LINGER_NANOS = 200_000;
    private static final long LINGER_STEP_NANOS = 20_000;
    private final Checkpoints checkpoints;
    private volatile StreamDefinition definition;
    private volatile StreamState state;
    /** Timestamp (µs) of the newest record written, pending ones included; written under appendLock. */
    private volatile long newestTimestamp = Long.MIN_VALUE;
    /** The stream's fencing token, "" until a fence sets one; written under appendLock, after it is saved. */
    private volatile String fencingToken = "";
    /** Checkpoint records of the stream's own state (names no export or cursor uses). */
    static final String FENCE_RECORD = "stream.fence";
    static final String TRIM_RECORD = "stream.trim";
    /** Null while open; then the exception every operation fails with. */
    private volatile StreamStoreException closedBy;

    private LogStream(StreamDefinition definition, SegmentStorage storage, Checkpoints checkpoints,
            StreamContext context) {
        this.name = definition.name();
        this.definition = definition;
        this.storage = storage;
        this.checkpoints = checkpoints;
        this.context = context;
    }

    /**
     * Opens a stream over its storage: recovers existing segments (reporting damage) and makes sure there is a
     * writable segment at the end.
     */
    static LogStream open(StreamDefinition definition, SegmentStorage storage, Checkpoints checkpoints,
            StreamContext context) {
        LogStream stream = new LogStream(definition, storage, checkpoints, context);
        List<Segment> segments = new ArrayList<>(storage.recover(stream::reportLoss));
        long next = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).nextSequence();
        long issued = highestIssued(checkpoints);
        if (issued > next) {
            // a power cut took messages that were never synced, but a durable record (an export's cursor) shows that
            // numbers up to issued - 1 were handed out: never hand them out again, a consumer would skip the new ones
            stream.reportLoss(next, issued - 1, "handed out but not on disk after an unclean shutdown (not yet"
                    + " synced when the power went); a durable checkpoint had seen them, so numbering goes on at "
                    + issued);
            Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (last != null && last.isEmpty() && acceptsAppends(last)) {
                storage.delete(last);
                segments.remove(segments.size() - 1);
            } else if (last != null && acceptsAppends(last)) {
                last.seal();
            }
            next = issued;
        }
        if (segments.isEmpty() || !acceptsAppends(segments.get(segments.size() - 1))) {
            segments.add(storage.create(next));
        }
        long total = segments.stream().mapToLong(Segment::sizeBytes).sum();
        stream.fencingToken = stream.loadFencingToken();
        stream.state = new StreamState(List.copyOf(segments), next, total, Math.min(stream.loadTrimPoint(), next));
        stream.newestTimestamp = newestTimestamp(segments);
        stream.assignNext = next;
        return stream;
    }

    /** The highest {@link Checkpoints#ISSUED} of the stream's checkpoint records; 0 if none says. */
    private static long highestIssued(Checkpoints checkpoints) {
        long highest = 0;
        for (String record : checkpoints.names()) {
            try {
                String issued = checkpoints.load(record).map(values -> values.get(Checkpoints.ISSUED)).orElse(null);
                if (issued != null) {
                    highest = Math.max(highest, Long.parseLong(issued));
                }
            } catch (RuntimeException unreadable) {
                LOG.warn("checkpoint {} cannot be read: {}", record, unreadable.toString());
            }
        }
        return highest;
    }

    @Override
    public StreamName name() {
        return name;
    }

    @Override
    public StreamDefinition definition() {
        return definition;
    }

    @Override
    public Checkpoints checkpoints() {
        checkOpen();
        return checkpoints;
    }

    @Override
    public StreamInfo info() {
        checkOpen();
        StreamState current = state;
        return new StreamInfo(definition, current.oldest(), current.next() - 1,
                DataSize.ofBytes(current.totalBytes()), current.segments().size(), appendedMessages, appendedBytes);
    }

    @Override
    public long newestTimestampMicros() {
        checkOpen();
        return newestTimestamp;
    }

    /** The newest record timestamp among the segments (the last non-empty one's). */
    private static long newestTimestamp(List<Segment> segments) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (!segments.get(i).isEmpty()) {
                return segments.get(i).newestTimestampMicros();
            }
        }
        return Long.MIN_VALUE;
    }

    // ------------------------------------------------------------------------------------------------ fence, trim

    @Override
    public String fencingToken() {
        checkOpen();
        return fencingToken;
    }

    @Override
    public String fence(String token, Optional<String> expectedCurrent) {
        RecordLimits.checkFencingToken(name, "fencingToken", token);
        appendLock.lock();
        try {
            checkOpen();
            String current = fencingToken;
            if (expectedCurrent.isPresent() && !expectedCurrent.get().equals(current)) {
                throw new FencingTokenMismatchException(name, expectedCurrent.get(), current);
            }
            if (!token.equals(current)) {
                checkpoints.save(FENCE_RECORD, Map.of("token", token)); // durable before anyone is refused by it
                fencingToken = token;
                LOG.info("stream \"{}\": fencing token set ({} bytes)", name, token.length());
            }
            return current;
        } finally {
            appendLock.unlock();
        }
    }

    private String loadFencingToken() {
        try {
            return checkpoints.load(FENCE_RECORD).map(values -> values.getOrDefault("token", "")).orElse("");
        } catch (RuntimeException unreadable) {
            throw new StoreReadException("stream \"" + name + "\": its fencing token cannot be read: " + unreadable,
                    unreadable);
        }
    }

    @Override
    public long trim(long below) {
        if (below < 0) {
            throw new IllegalArgumentException("trim point of stream \"" + name + "\" is " + below
                    + " but must be at least 0");
        }
        appendLock.lock();
        try {
            checkOpen();
            StreamState current = state;
            long point = Math.min(below, current.next()); // beyond the tail: everything readable goes
            if (point <= current.oldest()) {
                return current.oldest();
            }
            checkpoints.save(TRIM_RECORD, Map.of("below", Long.toString(point)));
            StreamState trimmed = new StreamState(current.segments(), current.next(), current.totalBytes(), point);
            state = trimmed;
            int whole = 0;
            for (Segment segment : trimmed.segments()) {
                if (segment == trimmed.active() || segment.nextSequence() > point) {
                    break;
                }
                whole++;
            }
            StreamState after = removeOldest(trimmed, whole, null);
            LOG.info("stream \"{}\": trimmed below {} (deleted {} whole segments)", name, point, whole);
            return after.oldest();
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public long evictOldestSegment() {
        appendLock.lock();
        try {
            checkOpen();
            StreamState current = state;
            if (current.segments().size() < 2 || current.segments().get(0) == current.active()) {
                return 0;
            }
            long before = current.totalBytes();
            StreamState after = removeOldest(current, 1, EvictionReason.QUOTA);
            return before - after.totalBytes();
        } finally {
            appendLock.unlock();
        }
    }

    private long loadTrimPoint() {
        try {
            return checkpoints.load(TRIM_RECORD).map(values -> Long.parseLong(values.get("below"))).orElse(0L);
        } catch (RuntimeException unreadable) {
            LOG.warn("stream \"{}\": its trim point cannot be read ({}); keeping every message", name,
                    unreadable.toString());
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------------ seek, read

    @Override
    public long seekTime(long timestampMicros) {
        return reads.seekTime(timestampMicros);
    }

    @Override
    public CompletionStage<List<Message>> read(ReadRequest request) {
        return reads.read(request);
    }

    // ------------------------------------------------------------------------------------------------ append

    @Override
    public CompletionStage<Long> appendAsync(ByteBuffer payload) {
        int length = payload.remaining();
        if (length == 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "payload of a message for stream \"" + name + "\" is empty"));
        }
        DataSize maxMessage = context.settings().maxMessageSize();
        if (length > maxMessage.bytes()) {
            return CompletableFuture.failedFuture(new PayloadTooLargeException(name, DataSize.ofBytes(length),
                    "payload", "store's maxMessageSize", maxMessage));
        }
        Written written;
        try {
            written = write(List.of(AppendRecord.of(payload)), null, RecordFormat.recordSize(length), length);
        } catch (StreamStoreException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return written.acknowledged() == null ? CompletableFuture.completedFuture(written.result().firstSequence())
                : written.acknowledged().thenApply(AppendResult::firstSequence);
    }

    @Override
    public CompletionStage<AppendResult> appendBatchAsync(AppendBatch batch) {
        Written written;
        try {
            long size = RecordLimits.check(name, batch, context.settings().maxMessageSize());
            long payloadBytes = 0;
            for (AppendRecord record : batch.records()) {
                payloadBytes += record.payload().remaining();
            }
            written = write(batch.records(), batch, size, payloadBytes);
        } catch (StreamStoreException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return written.acknowledged() == null ? CompletableFuture.completedFuture(written.result())
                : written.acknowledged();
    }

    /** What {@link #write} did: the result, and the stage that completes when it is durable (null: already). */
    private record Written(AppendResult result, CompletableFuture<AppendResult> acknowledged) {
    }

    /**
     * Writes records as one atomic batch: checks the batch's conditions and the stream's limits, makes room, then
     * writes every record into one segment with consecutive numbers; a failure part-way rolls the segment back, so
     * readers see all of the batch or none of it. Wakes readers or starts a sync after releasing the lock.
     *
     * @param conditions null for a plain append (no conditions, default timestamp rule)
     * @param size       the batch's accounted size ({@link RecordLimits#recordSize})
     */
    private Written write(List<AppendRecord> records, AppendBatch conditions, long size, long payloadBytes) {
        int count = records.size();
        Written written;
        boolean startSync = false;
        appendLock.lock();
        try {
            checkOpen();
            if (conditions != null) {
                checkConditions(conditions);
            }
            StreamDefinition def = definition;
            long maxSize = def.maxSize().bytes();
            if (size > maxSize) {
                throw new PayloadTooLargeException(name, DataSize.ofBytes(size),
                        count == 1 ? "stored size (payload + " + RecordFormat.OVERHEAD + " bytes)"
                                : "stored size (" + count + " records)",
                        "maxSize of the stream", def.maxSize());
            }
            long ingestTime = context.services().clock().millis();
            long[] timestamps = timestamps(records, ingestTime, conditions == null
                    ? AppendBatch.TimestampRule.NON_DECREASING : conditions.timestamps());
            if (def.isFile()) {
                context.disk().check(size);
            }
            StreamState current = state;
            if (current.totalBytes() + size > maxSize) {
                if (def.strategyOnFull() == StrategyOnFull.REJECT_NEW_DATA) {
                    throw new StreamFullException(name, DataSize.ofBytes(current.totalBytes()), def.maxSize(),
                            DataSize.ofBytes(size));
                }
                current = evictForSpace(current, size, maxSize);
            }
            Segment active = current.active();
            if (!acceptsAppends(active)
                    || (!active.isEmpty() && active.sizeBytes() + size > def.segmentSize().bytes())) {
                current = roll(current);
                active = current.active();
            }
            long first = assignNext;
            String replacedToken = conditions == null ? null : fenceWith(conditions);
            Segment.Mark mark = count > 1 ? active.mark() : null;
            for (int i = 0; i < count; i++) {
                try {
                    active.append(first + i, ingestTime, timestamps[i], records.get(i), i < count - 1);
                } catch (RuntimeException e) {
                    if (i > 0) {
                        active.rollBack(mark); // no reader saw them; the next append starts a new segment
                    }
                    if (replacedToken != null) {
                        unfence(replacedToken, e);
                    }
                    throw e;
                }
            }
            long next = first + count;
            assignNext = next;
            newestTimestamp = timestamps[count - 1];
            appendedMessages = appendedMessages + count;
            appendedBytes = appendedBytes + payloadBytes;
            long total = current.totalBytes() + size;
            AppendResult result = new AppendResult(first, next, timestamps[0], timestamps[count - 1]);
            if ((def.flushOnWrite() && def.isFile()) || !pending.isEmpty()) {
                // readers see it, and the writer hears back, once a sync covers it
                unsynced.add(active);
                CompletableFuture<AppendResult> acknowledged = new CompletableFuture<>();
                pending.add(new PendingAppend(result, acknowledged));
                state = new StreamState(current.segments(), current.next(), total, current.trimmedBelow());
                startSync = !syncScheduled;
                syncScheduled = true;
                written = new Written(result, acknowledged);
            } else {
                state = new StreamState(current.segments(), next, total, current.trimmedBelow());
                written = new Written(result, null);
            }
        } finally {
            appendLock.unlock();
        }
        if (written.acknowledged() == null) {
            reads.wake(written.result().nextSequence() - 1);
        } else if (startSync) {
            try {
                context.services().executor().execute(this::syncPending);
            } catch (RejectedExecutionException shuttingDown) {
                syncPending();
            }
        }
        return written;
    }

    /**
     * Sets the fencing token a batch carries as a command ({@link AppendBatch#fenceTo}), durably, before its records
     * are written: once anyone can see the batch, every later append is checked against the new token. Holds
     * appendLock.
     *
     * @return the token replaced, or null if the batch sets none (or the same one)
     */
    private String fenceWith(AppendBatch conditions) {
        if (conditions.fenceTo().isEmpty() || conditions.fenceTo().get().equals(fencingToken)) {
            return null;
        }
        String token = conditions.fenceTo().get();
        String replaced = fencingToken;
        checkpoints.save(FENCE_RECORD, Map.of("token", token));
        fencingToken = token;
        LOG.info("stream \"{}\": fencing token set by a command record ({} bytes)", name, token.length());
        return replaced;
    }

    /** Puts back the token a failed batch replaced; if even that fails, the new token stays (and is logged). */
    private void unfence(String replaced, RuntimeException cause) {
        try {
            checkpoints.save(FENCE_RECORD, Map.of("token", replaced));
            fencingToken = replaced;
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.error("stream \"{}\": a batch that set a new fencing token failed ({}), and the old token could not"
                    + " be put back: the new one stays in force", name, cause.toString(), e);
        }
    }

    /** The batch's fencing token and expected sequence number, checked in that order. Holds appendLock. */
    private void checkConditions(AppendBatch conditions) {
        if (conditions.fencingToken().isPresent() && !conditions.fencingToken().get().equals(fencingToken)) {
            throw new FencingTokenMismatchException(name, conditions.fencingToken().get(), fencingToken);
        }
        if (conditions.expectedNextSequence().isPresent()
                && conditions.expectedNextSequence().getAsLong() != assignNext) {
            throw new SequenceMismatchException(name, conditions.expectedNextSequence().getAsLong(), assignNext);
        }
    }

    /**
     * Each record's timestamp: the producer's, which must not be earlier than the one before it (nor equal, under
     * {@code INCREASING}), or else the ingest time, raised to the one before it if the clock is behind (so timestamps
     * never decrease along the stream). Holds appendLock.
     */
    private long[] timestamps(List<AppendRecord> records, long ingestTimeMillis, AppendBatch.TimestampRule rule) {
        boolean strict = rule == AppendBatch.TimestampRule.INCREASING;
        long[] timestamps = new long[records.size()];
        long previous = newestTimestamp;
        long now = ingestTimeMillis * 1000;
        for (int i = 0; i < timestamps.length; i++) {
            AppendRecord record = records.get(i);
            long timestamp;
            if (record.hasTimestamp()) {
                timestamp = record.timestampMicros();
                if (previous != Long.MIN_VALUE && (strict ? timestamp <= previous : timestamp < previous)) {
                    if (rule != AppendBatch.TimestampRule.RAISE) {
                        throw new TimestampOrderException(name, i, timestamp, previous, strict);
                    }
                    timestamp = previous;
                }
            } else {
                timestamp = previous == Long.MIN_VALUE ? now : Math.max(now, strict ? previous + 1 : previous);
            }
            timestamps[i] = timestamp;
            previous = timestamp;
        }
        return timestamps;
    }

    /**
     * One sync task: while appends are pending, takes them all, syncs the segments they touched, publishes them and
     * acknowledges them. Runs on the store's executor, one at a time per stream.
     */
    private void syncPending() {
        syncLock.lock();
        try {
            while (true) {
                gatherBatch();
                List<PendingAppend> batch;
                List<Segment> segments;
                long upTo;
                appendLock.lock();
                try {
                    if (pending.isEmpty() || closedBy != null) {
                        syncScheduled = false;
                        return;
                    }
                    batch = List.copyOf(pending);
                    lastBatchSize = batch.size();
                    segments = List.copyOf(unsynced);
                    pending.clear();
                    unsynced.clear();
                    upTo = assignNext; // every number below was written under the lock
                } finally {
                    appendLock.unlock();
                }
                StoreWriteException failure = flushAll(segments);
                publishUpTo(upTo);
                acknowledge(batch, failure);
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** Every message below this is durable (synced by {@link #syncThrough}, or a flushOnWrite append). */
    private volatile long durableBelow;

    @Override
    public void syncThrough(long sequenceNumber) {
        StreamDefinition def = definition;
        if (!def.isFile() || def.flushOnWrite() || sequenceNumber < durableBelow) {
            return;
        }
        syncLock.lock(); // one sync at a time, and none once the stream is closing (lock order: syncLock, appendLock)
        try {
            checkOpen();
            if (sequenceNumber < durableBelow) {
                return; // a concurrent call covered it meanwhile
            }
            long below = durableBelow;
            long upTo;
            List<Segment> toSync = new ArrayList<>();
            appendLock.lock();
            try {
                upTo = Math.min(sequenceNumber + 1, assignNext);
                for (Segment segment : state.segments()) {
                    if (segment.baseSequence() < upTo && segment.nextSequence() > below && !segment.isEmpty()) {
                        toSync.add(segment);
                    }
                }
            } finally {
                appendLock.unlock();
            }
            StoreWriteException failure = flushAll(toSync);
            if (failure != null) {
                throw failure;
            }
            durableBelow = Math.max(durableBelow, upTo);
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Adaptive group commit: when the last sync carried several appends, concurrent writers are active, and each of
     * them sends its next append only after its acknowledgement; so wait (at most {@link #MAX_LINGER_NANOS}) until
     * about as many are pending again before syncing, rather than syncing the first arrivals alone and making the
     * rest wait a whole sync more. A lone writer (last batch of one) never waits.
     */
    private void gatherBatch() {
        int target = lastBatchSize;
        if (target <= 1) {
            return;
        }
        long deadline = System.nanoTime() + MAX_LINGER_NANOS;
        while (pendingCount() < target && System.nanoTime() < deadline) {
            LockSupport.parkNanos(LINGER_STEP_NANOS);
        }
    }

    private int pendingCount() {
        appendLock.lock();
        try {
            return pending.size();
        } finally {
            appendLock.unlock();
        }
    }

    private static StoreWriteException flushAll(List<Segment> segments) {
        StoreWriteException failure = null;
        for (Segment segment : segments) {
            try {
                segment.flush();
            } catch (StoreWriteException e) {
                failure = e;
            }
        }
        return failure;
    }

    private void publishUpTo(long upTo) {
        appendLock.lock();
        try {
            StreamState current = state;
            if (upTo > current.next()) {
                state = new StreamState(current.segments(), upTo, current.totalBytes(), current.trimmedBelow());
            }
        } finally {
            appendLock.unlock();
        }
        reads.wake(upTo - 1);
    }

    private void acknowledge(List<PendingAppend> batch, StoreWriteException failure) {
        for (PendingAppend append : batch) {
            if (failure == null) {
                append.acknowledged().complete(append.result());
            } else {
                // The records are stored and readable; only their durability is in doubt.
                AppendResult result = append.result();
                String which = result.count() == 1 ? "message " + result.firstSequence()
                        : "messages " + result.firstSequence() + ".." + (result.nextSequence() - 1);
                append.acknowledged().completeExceptionally(new StoreWriteException(which + " of stream \"" + name
                        + "\" " + (result.count() == 1 ? "was" : "were") + " stored but could not be flushed to disk: "
                        + failure.getMessage(), failure));
            }
        }
    }

    /** A segment that was sealed, or in which a read found damage, takes no more appends. */
    private static boolean acceptsAppends(Segment segment) {
        return !segment.isSealed() && segment.readableEnd() == segment.nextSequence();
    }

    /** Drops the oldest segments until {@code recordSize} more bytes fit under {@code maxSize}. Holds appendLock. */
    private StreamState evictForSpace(StreamState current, long recordSize, long maxSize) {
        long total = current.totalBytes();
        int drop = 0;
        List<Segment> segments = current.segments();
        while (drop < segments.size() && total + recordSize > maxSize) {
            total -= segments.get(drop).sizeBytes();
            drop++;
        }
        return removeOldest(current, drop, EvictionReason.SIZE);
    }

    /** Seals the active segment and starts a new one at the next sequence number to hand out. Holds appendLock. */
    private StreamState roll(StreamState current) {
        Segment previous = current.active();
        Segment fresh = storage.create(assignNext);
        if (!previous.isSealed()) {
            try {
                previous.seal();
            } catch (RuntimeException e) {
                // The data is intact; only the metadata that speeds up the next open is missing.
                LOG.warn("stream \"{}\": could not record metadata of the segment from {}: {}", name,
                        previous.baseSequence(), e.toString());
            }
        }
        List<Segment> segments = new ArrayList<>(current.segments());
        if (previous.isEmpty()) {
            segments.remove(segments.size() - 1);
            storage.delete(previous);
        }
        segments.add(fresh);
        StreamState rolled = new StreamState(List.copyOf(segments), current.next(), current.totalBytes(), current.trimmedBelow());
        state = rolled;
        return rolled;
    }

    /**
     * Removes the {@code count} oldest segments (all of them if {@code count} is the list size, then starting a new
     * empty one), waiting for readers that use them. Holds appendLock.
     */
    private StreamState removeOldest(StreamState current, int count, EvictionReason reason) {
        if (count == 0) {
            return current;
        }
        List<Segment> segments = current.segments();
        List<Segment> removed = segments.subList(0, count);
        List<Segment> kept = new ArrayList<>(segments.subList(count, segments.size()));
        if (kept.isEmpty()) {
            kept.add(storage.create(assignNext));
        }
        long removedBytes = removed.stream().mapToLong(Segment::sizeBytes).sum();
        StreamState after = new StreamState(List.copyOf(kept), current.next(), current.totalBytes() - removedBytes,
                current.trimmedBelow());
        segmentsLock.writeLock().lock();
        try {
            state = after;
            for (Segment segment : removed) {
                storage.delete(segment);
            }
        } finally {
            segmentsLock.writeLock().unlock();
        }
        for (Segment segment : removed) {
            if (!segment.isEmpty() && reason != null) { // null: a trim, which someone asked for
                reportEviction(reason, segment);
            }
        }
        return after;
    }

    private void reportEviction(EvictionReason reason, Segment segment) {
        long first = segment.baseSequence();
        long last = segment.nextSequence() - 1;
        DataSize size = DataSize.ofBytes(segment.sizeBytes());
        LOG.info("stream \"{}\": deleted messages {}..{} ({}) by {} policy", name, first, last, size, reason);
        try {
            context.services().listener().onEvicted(name, reason, first, last, size);
        } catch (RuntimeException e) {
            LOG.warn("store listener failed on eviction", e);
        }
    }

    private void reportLoss(long first, long last, String cause) {
        LOG.error("stream \"{}\": messages {}..{} are lost: {}", name, first, last < 0 ? "(unknown end)" : last, cause);
        try {
            context.services().listener().onDataLoss(name, first, last, cause);
        } catch (RuntimeException e) {
            LOG.warn("store listener failed on data loss", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ admin

    /**
     * Replaces the definition, after checking the update rules; {@code persist} saves it first (if saving fails,
     * nothing changes). Applies a shorter TTL at once.
     */
    void update(StreamDefinition next, Consumer<StreamDefinition> persist) {
        appendLock.lock();
        try {
            checkOpen();
            StreamDefinition current = definition;
            if (next.persistence() != current.persistence()) {
                throw new UpdateNotAllowedException(name, "persistence", "cannot change (it is "
                        + label(current.persistence()) + ", the update asks for "
                        + label(next.persistence()) + "); create a new stream instead");
            }
            if (next.partitions() != current.partitions()) {
                throw new UpdateNotAllowedException(name, "partitions", "cannot change (it is "
                        + current.partitions() + ", the update asks for " + next.partitions()
                        + "); create a new stream instead");
            }
            long stored = state.totalBytes();
            if (next.maxSize().bytes() < stored) {
                throw new UpdateNotAllowedException(name, "maxSize", "is " + next.maxSize()
                        + " but must be at least the " + DataSize.ofBytes(stored) + " the stream stores now");
            }
            if (next.maxSize().compareTo(next.segmentSize()) < 0) {
                throw new UpdateNotAllowedException(name, "maxSize", "is " + next.maxSize()
                        + " but must be at least streamSegmentSize (" + next.segmentSize() + ")");
            }
            persist.accept(next);
            definition = next;
            LOG.info("stream \"{}\": definition updated to {}", name, next);
            enforceTimeToLive(context.services().clock().millis());
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * The store's periodic pass: deletes the segments whose newest message is older than the TTL, and checkpoints the
     * active segment's progress.
     */
    void enforceRetention(long nowMillis) {
        appendLock.lock();
        try {
            if (closedBy == null) {
                enforceTimeToLive(nowMillis);
                state.active().checkpoint();
            }
        } finally {
            appendLock.unlock();
        }
    }

    private void enforceTimeToLive(long nowMillis) {
        definition.timeToLive().ifPresent(ttl -> {
            long cutoff = nowMillis - ttl.toMillis();
            StreamState current = state;
            int expired = 0;
            for (Segment segment : current.segments()) {
                if (segment.isEmpty() || segment.newestIngestTimeMillis() > cutoff) {
                    break;
                }
                expired++;
            }
            removeOldest(current, expired, EvictionReason.TTL);
        });
    }

    /** Store shutdown: closes the storage cleanly and fails waiting reads. */
    void close() {
        shutDown(new StoreClosedException(), false);
    }

    /** The stream is being renamed: flushes and closes its files (the store moves them) and fails waiting reads. */
    void markRenamed(StreamName to) {
        goneBecause = "it was renamed to \"" + to + "\"";
        shutDown(new StreamNotFoundException(name, goneBecause), false);
    }

    /** The stream's namespace is being renamed: as {@link #markRenamed}, naming the new namespace. */
    void markRenamed(StreamName same, io.github.edgestream.core.model.Namespace to) {
        goneBecause = "its namespace was renamed to \"" + to + "\"";
        shutDown(new StreamNotFoundException(name, goneBecause), false);
    }

    /** Why a handle of this stream no longer works, once it was deleted or renamed. */
    private volatile String goneBecause = "it was deleted";

    /** The stream is being deleted: releases its files (the store removes them) and fails waiting reads. */
    void markDeleted() {
        shutDown(new StreamNotFoundException(name, "it was deleted"), true);
    }

    private void shutDown(StreamStoreException cause, boolean deleted) {
        syncLock.lock(); // lets a running sync finish first; lock order: syncLock, then appendLock
        try {
            shutDownSynced(cause, deleted);
        } finally {
            syncLock.unlock();
        }
        reads.failAll(cause);
    }

    private void shutDownSynced(StreamStoreException cause, boolean deleted) {
        appendLock.lock();
        try {
            if (closedBy != null) {
                return;
            }
            List<PendingAppend> batch = List.copyOf(pending);
            pending.clear();
            if (deleted) {
                batch.forEach(append -> append.acknowledged().completeExceptionally(cause));
            } else {
                acknowledge(batch, flushAll(List.copyOf(unsynced)));
            }
            unsynced.clear();
            segmentsLock.writeLock().lock();
            try {
                closedBy = cause;
                if (deleted) {
                    storage.release();
                } else {
                    storage.close();
                }
            } finally {
                segmentsLock.writeLock().unlock();
            }
        } finally {
            appendLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ for reads

    /** The published state (volatile read). */
    StreamState state() {
        return state;
    }

    /** Read-locked by readers while they touch segments; see {@link StreamReads}. */
    ReentrantReadWriteLock segmentsLock() {
        return segmentsLock;
    }

    /** Null while open; then what every operation fails with. */
    StreamStoreException closedBy() {
        return closedBy;
    }

    StreamContext context() {
        return context;
    }

    /** Number of reads currently waiting; for tests and metrics. */
    int waitingReads() {
        return reads.waitingReads();
    }

    void checkOpen() {
        StreamStoreException closed = closedBy;
        if (closed instanceof StreamNotFoundException) {
            throw new StreamNotFoundException(name, goneBecause);
        }
        if (closed != null) {
            throw new StoreClosedException();
        }
    }

    @Override
    public String toString() {
        return "LogStream[" + name + "]";
    }

    /** A persistence as this message has always named it (clients of every protocol read it). */
    private static String label(Persistence persistence) {
        return persistence == Persistence.FILE ? "File" : "Memory";
    }
}
