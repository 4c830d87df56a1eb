package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.time.Scheduler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * The reads of one stream that wait for appends. No thread per waiting read and no polling: each waiter sits in a
 * priority queue under the newest sequence number that could satisfy it ({@code start + minMessageCount - 1}); an
 * append hands over the waiters at the head of the queue whose number it reached, and costs one volatile read when
 * nobody waits.
 *
 * <p>Thread-safe. The queue is guarded by {@code this}; {@code size} mirrors its size for the lock-free fast path.
 * Lost wake-ups are impossible because a reader registers (volatile write of {@code size}) before it re-reads the
 * stream's state, and an appender publishes the state (volatile) before it reads {@code size}: one of the two always
 * sees the other.
 */
final class ReadWaiters {

    /** A read waiting for its minimum. Its future completes exactly once: data, timeout or failure. */
    static final class Waiter {
        final ReadRequest request;
        final CompletableFuture<List<Message>> future = new CompletableFuture<>();
        /** Guarded by the enclosing {@link ReadWaiters}. */
        long threshold;
        volatile Scheduler.Cancellable timeout;

        Waiter(ReadRequest request, long threshold) {
            this.request = request;
            this.threshold = threshold;
        }
    }

    private final PriorityQueue<Waiter> queue = new PriorityQueue<>(Comparator.comparingLong(w -> w.threshold));
    private volatile int size;

    void add(Waiter waiter, long threshold) {
        synchronized (this) {
            waiter.threshold = threshold;
            queue.add(waiter);
            size = queue.size();
        }
    }

    boolean remove(Waiter waiter) {
        synchronized (this) {
            boolean removed = queue.remove(waiter);
            size = queue.size();
            return removed;
        }
    }

    /** Removes and returns the waiters that {@code newest} could satisfy. */
    List<Waiter> takeDue(long newest) {
        if (size == 0) {
            return List.of();
        }
        synchronized (this) {
            List<Waiter> due = new ArrayList<>();
            while (!queue.isEmpty() && queue.peek().threshold <= newest) {
                due.add(queue.poll());
            }
            size = queue.size();
            return due;
        }
    }

    List<Waiter> takeAll() {
        synchronized (this) {
            List<Waiter> all = new ArrayList<>(queue);
            queue.clear();
            size = 0;
            return all;
        }
    }

    int size() {
        return size;
    }
}
