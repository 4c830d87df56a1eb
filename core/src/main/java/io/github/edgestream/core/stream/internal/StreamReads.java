package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.ResponseTooLargeException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StreamStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * The reading side of one {@link LogStream}: reads by sequence number (answered at once, or waiting without a thread
 * for appends), seek by time, and the waiting reads themselves. It reads the stream's published {@link StreamState}
 * and takes only the segments read lock (lock 4 of {@code core/LOCKS.md}) and, through {@link ReadWaiters}, its
 * monitor (lock 5): never the append lock, so a read never waits for an append.
 *
 * <p>Thread-safe. The stream calls {@link #wake} after each append it publishes, and {@link #failAll} when it
 * closes or is deleted.
 */
final class StreamReads {

    private final LogStream stream;
    private final ReadWaiters waiters = new ReadWaiters();

    StreamReads(LogStream stream) {
        this.stream = stream;
    }

    /** See {@link io.github.edgestream.core.stream.MessageStream#seekTime}. */
    long seekTime(long timestampMicros) {
        stream.segmentsLock().readLock().lock();
        try {
            stream.checkOpen();
            return seekTime(stream.state(), timestampMicros);
        } finally {
            stream.segmentsLock().readLock().unlock();
        }
    }

    /**
     * The first readable sequence number whose timestamp is at or after {@code timestampMicros}, or {@code next} if
     * none is: a binary search over the segments' newest timestamps (no I/O), then one within a segment. Holds the
     * segments read lock.
     */
    static long seekTime(StreamState current, long timestampMicros) {
        List<Segment> segments = current.segments();
        int low = 0;
        int high = segments.size();
        while (low < high) { // the first segment whose newest timestamp reaches the target
            int middle = (low + high) >>> 1;
            Segment segment = segments.get(middle);
            if (segment.isEmpty() || segment.newestTimestampMicros() < timestampMicros) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        for (int i = low; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            long end = Math.min(segment.readableEnd(), current.next());
            if (end <= Math.max(segment.baseSequence(), current.oldest())) {
                continue; // nothing readable here (empty, damaged from its start, or trimmed)
            }
            long found = segment.seekTime(timestampMicros, end);
            if (found < end) {
                return Math.max(found, current.oldest());
            }
        }
        return current.next();
    }

    /** See {@link io.github.edgestream.core.stream.MessageStream#read}. */
    CompletionStage<List<Message>> read(ReadRequest request) {
        try {
            List<Message> messages = tryRead(request);
            if (messages != null) {
                return CompletableFuture.completedFuture(messages);
            }
            if (request.timeout().isZero()) {
                return CompletableFuture.failedFuture(notEnough(request));
            }
            return await(request);
        } catch (StreamStoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The messages the request asks for, or {@code null} if fewer than its minimum are readable now.
     *
     * @throws ResponseTooLargeException if the minimum is readable but does not fit the byte budget
     */
    private List<Message> tryRead(ReadRequest request) {
        stream.segmentsLock().readLock().lock();
        try {
            stream.checkOpen();
            StreamState current = stream.state();
            long start = Math.max(request.desiredStartSequenceNumber(), current.oldest());
            long last = current.next() - 1;
            int minimum = request.minMessageCount();
            if (request.stopBeforeMicros() != Long.MAX_VALUE) {
                long stop = seekTime(current, request.stopBeforeMicros());
                if (stop <= last) {
                    // the range ends before the tail: answer now with what lies in it, however few that is
                    last = stop - 1;
                    minimum = 0;
                }
            }
            if (readableCount(current, start, last, minimum) < minimum) {
                return null;
            }
            List<Message> out = new ArrayList<>(Math.min(request.maxMessageCount(), 1024));
            ReadBudget budget = new ReadBudget(request.maxResponseSize().bytes(), request.overheadPerMessage());
            for (Segment segment : current.segments()) {
                int wanted = request.maxMessageCount() - out.size();
                if (wanted == 0 || budget.exhausted()) {
                    break;
                }
                long from = Math.max(start, segment.baseSequence());
                long to = Math.min(Math.min(segment.readableEnd(), current.next()) - 1, last);
                if (from <= to) {
                    segment.read(from, Math.min(to, from + wanted - 1), budget, out);
                }
            }
            if (out.size() < minimum) {
                if (budget.exhausted()) {
                    throw new ResponseTooLargeException(stream.name(), request.minMessageCount(), start,
                            request.maxResponseSize());
                }
                return null; // damage found while reading: fewer readable than counted
            }
            return out;
        } finally {
            stream.segmentsLock().readLock().unlock();
        }
    }

    /** Readable messages in {@code [start, last]}, counting no further than {@code enough}. No I/O. */
    private static long readableCount(StreamState current, long start, long last, long enough) {
        long count = 0;
        for (Segment segment : current.segments()) {
            long from = Math.max(start, segment.baseSequence());
            long to = Math.min(Math.min(segment.readableEnd(), current.next()) - 1, last);
            if (from <= to) {
                count += to - from + 1;
                if (count >= enough) {
                    return count;
                }
            }
        }
        return count;
    }

    private NotEnoughMessagesException notEnough(ReadRequest request) {
        StreamState current = stream.state();
        long start = Math.max(request.desiredStartSequenceNumber(), current.oldest());
        long available = readableCount(current, start, current.next() - 1, Long.MAX_VALUE);
        return new NotEnoughMessagesException(stream.name(), start, available, request.minMessageCount());
    }

    private CompletionStage<List<Message>> await(ReadRequest request) {
        ReadWaiters.Waiter waiter = new ReadWaiters.Waiter(request, 0);
        waiters.add(waiter, threshold(request, stream.state()));
        waiter.timeout = stream.context().services().scheduler().schedule(request.timeout(), () -> expire(waiter));
        StreamStoreException closed = stream.closedBy();
        if (closed != null && waiters.remove(waiter)) {
            finish(waiter, closed);
        } else {
            wake(stream.state().next() - 1); // an append may have slipped in before the waiter was registered
        }
        return waiter.future;
    }

    private static long threshold(ReadRequest request, StreamState current) {
        long start = Math.max(request.desiredStartSequenceNumber(), current.oldest());
        if (request.stopBeforeMicros() != Long.MAX_VALUE) {
            return start; // any record may end the range: look at each
        }
        return start + request.minMessageCount() - 1;
    }

    /** Hands the waiting reads that {@code newest} satisfies to the executor. */
    void wake(long newest) {
        for (ReadWaiters.Waiter waiter : waiters.takeDue(newest)) {
            try {
                stream.context().services().executor().execute(() -> retry(waiter));
            } catch (RejectedExecutionException e) {
                finish(waiter, new StoreClosedException());
            }
        }
    }

    /** Runs on the executor: an append reached the waiter's threshold. */
    private void retry(ReadWaiters.Waiter waiter) {
        if (waiter.future.isDone() || tryComplete(waiter)) {
            return;
        }
        // Not enough after all: eviction moved the oldest up, or damage was found. Wait for at least one more append
        // so that a damaged stretch cannot make this loop.
        StreamState current = stream.state();
        waiters.add(waiter, Math.max(threshold(waiter.request, current), current.next()));
        if (waiter.future.isDone()) {
            waiters.remove(waiter);
        } else {
            wake(stream.state().next() - 1);
        }
    }

    /** Runs on the scheduler when a waiter's timeout ends: one last look, then NotEnoughMessages. */
    private void expire(ReadWaiters.Waiter waiter) {
        waiters.remove(waiter);
        if (!waiter.future.isDone() && !tryComplete(waiter)) {
            finish(waiter, notEnough(waiter.request));
        }
    }

    /** Completes the waiter with its messages, or with the failure of reading them; false if there are too few. */
    private boolean tryComplete(ReadWaiters.Waiter waiter) {
        try {
            List<Message> messages = tryRead(waiter.request);
            if (messages == null) {
                return false;
            }
            finish(waiter, messages);
        } catch (StreamStoreException e) {
            finish(waiter, e);
        }
        return true;
    }

    private static void finish(ReadWaiters.Waiter waiter, List<Message> messages) {
        if (waiter.future.complete(messages)) {
            cancelTimeout(waiter);
        }
    }

    private static void finish(ReadWaiters.Waiter waiter, Throwable failure) {
        if (waiter.future.completeExceptionally(failure)) {
            cancelTimeout(waiter);
        }
    }

    private static void cancelTimeout(ReadWaiters.Waiter waiter) {
        var timeout = waiter.timeout;
        if (timeout != null) {
            timeout.cancel();
        }
    }

    /** Number of reads currently waiting; for tests and metrics. */
    int waitingReads() {
        return waiters.size();
    }

    /** Fails every waiting read: the stream closed or was deleted. */
    void failAll(StreamStoreException cause) {
        for (ReadWaiters.Waiter waiter : waiters.takeAll()) {
            finish(waiter, cause);
        }
    }
}
