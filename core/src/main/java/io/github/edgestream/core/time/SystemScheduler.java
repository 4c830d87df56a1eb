package io.github.edgestream.core.time;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on one daemon thread, backed by {@link ScheduledThreadPoolExecutor}. Cancelled tasks are
 * removed at once, so thousands of short-lived read timeouts do not pile up. Thread-safe.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    public SystemScheduler(String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("scheduled task {} failed", task, e);
            }
        }, nanos(delay), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Delays of centuries (read timeouts may be up to 292 years) do not fit in nanoseconds; they saturate. */
    private static long nanos(Duration delay) {
        try {
            return Math.max(0, delay.toNanos());
        } catch (ArithmeticException overflow) {
            return delay.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
