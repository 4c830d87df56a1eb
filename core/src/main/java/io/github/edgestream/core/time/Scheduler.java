package io.github.edgestream.core.time;

import java.time.Duration;

/**
 * Runs tasks after a delay. The store uses it for read timeouts and its periodic retention pass, so that tests can
 * drive both with a manual clock instead of sleeping.
 *
 * <p>Implementations are thread-safe. Tasks run on a thread of the scheduler's choosing and must be short: they
 * should hand real work to an executor. A task that throws is logged by the implementation and not repeated.
 */
public interface Scheduler {

    /** Runs {@code task} once, {@code delay} from now; a zero or negative delay means as soon as possible. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task. */
    interface Cancellable {
        /** Prevents the task from running if it has not started yet; harmless if called more than once. */
        void cancel();
    }
}
