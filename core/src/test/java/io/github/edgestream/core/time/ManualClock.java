package io.github.edgestream.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test says so, and the {@link Scheduler} that goes with it: tasks run on the test's
 * thread, in due order, while {@link #advance} passes their due time. Lets tests cross TTLs, read timeouts and
 * retention passes without sleeping.
 *
 * <p>Thread-safe: other threads may read the time and schedule tasks while the test advances.
 */
public final class ManualClock extends Clock implements Scheduler {

    private final ZoneId zone;
    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.dueMillis).thenComparingLong(t -> t.order));
    private long nowMillis;
    private long scheduled;

    private static final class Task implements Cancellable {
        final long dueMillis;
        final long order;
        final Runnable runnable;
        volatile boolean cancelled;

        Task(long dueMillis, long order, Runnable runnable) {
            this.dueMillis = dueMillis;
            this.order = order;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    public ManualClock(Instant start) {
        this(start.toEpochMilli(), ZoneOffset.UTC);
    }

    private ManualClock(long nowMillis, ZoneId zone) {
        this.nowMillis = nowMillis;
        this.zone = zone;
    }

    /** A clock at 2026-01-01T00:00:00Z. */
    public static ManualClock startingAt2026() {
        return new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized long millis() {
        return nowMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        throw new UnsupportedOperationException("a manual clock has one zone");
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        long delayMillis;
        try {
            delayMillis = Math.max(0, delay.toMillis());
        } catch (ArithmeticException tooLong) {
            delayMillis = Long.MAX_VALUE;
        }
        long due = nowMillis + delayMillis < nowMillis ? Long.MAX_VALUE : nowMillis + delayMillis;
        Task scheduledTask = new Task(due, scheduled++, task);
        tasks.add(scheduledTask);
        return scheduledTask;
    }

    /** Moves time forward by {@code duration}, running every task that falls due on the way, in order. */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nowMillis + duration.toMillis();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.dueMillis > target) {
                    nowMillis = target;
                    return;
                }
                tasks.poll();
                nowMillis = Math.max(nowMillis, next.dueMillis);
            }
            if (!next.cancelled) {
                next.runnable.run();
            }
        }
    }

    /** Runs the tasks due now (e.g. scheduled with a zero delay). */
    public void runDueTasks() {
        advance(Duration.ZERO);
    }

    /** Tasks scheduled and not yet run or cancelled. */
    public synchronized List<Duration> pendingDelays() {
        List<Duration> delays = new ArrayList<>();
        for (Task task : tasks) {
            if (!task.cancelled) {
                delays.add(Duration.ofMillis(task.dueMillis - nowMillis));
            }
        }
        delays.sort(null);
        return delays;
    }
}
