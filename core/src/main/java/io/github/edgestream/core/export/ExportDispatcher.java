package io.github.edgestream.core.export;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export thread pool: a fixed number of threads shared by every export, serving ready batches by priority
 * without starving any.
 *
 * <p>Each task gets a virtual deadline when it is queued: its queueing time plus {@code (priority - 1) * step}. The
 * earliest deadline runs first. So among tasks queued at about the same time priority 1 goes first, but a priority
 * 10 task queued {@code 9 * step} ago beats a priority 1 task queued now: a flood of urgent data delays the rest by
 * a bounded amount instead of forever.
 *
 * <p>Thread-safe. Tasks must not throw; one that does is logged and the thread goes on.
 */
final class ExportDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportDispatcher.class);

    private record Task(long deadlineMillis, long order, Runnable runnable) {
    }

    private final Clock clock;
    private final long stepMillis;
    private final AtomicLong order = new AtomicLong();
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparingLong(Task::deadlineMillis).thenComparingLong(Task::order));
    private final Thread[] threads;
    private boolean closed;

    ExportDispatcher(int threadCount, Duration priorityStep, Clock clock) {
        this.clock = clock;
        this.stepMillis = priorityStep.toMillis();
        this.threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++) {
            threads[i] = new Thread(this::serve, "edgestream-export-" + (i + 1));
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Queues {@code task} to run on a pool thread; ignored after {@link #close()}. */
    void submit(int priority, Runnable task) {
        long deadline = clock.millis() + (priority - 1) * stepMillis;
        synchronized (queue) {
            if (closed) {
                return;
            }
            queue.add(new Task(deadline, order.getAndIncrement(), task));
            queue.notify();
        }
    }

    /** Tasks waiting for a thread. */
    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void serve() {
        while (true) {
            Task task;
            synchronized (queue) {
                while (queue.isEmpty() && !closed) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        // close() interrupts to stop calls in progress; the loop re-checks closed
                    }
                }
                if (closed) {
                    return;
                }
                task = queue.poll();
            }
            try {
                task.runnable().run();
            } catch (RuntimeException | Error e) {
                LOG.error("export task failed unexpectedly", e);
            }
            Thread.interrupted();
        }
    }

    /**
     * Drops queued tasks, interrupts calls in progress (exporters treat that as "stop") and waits up to
     * {@code grace} for the threads to end.
     */
    void close(Duration grace) {
        synchronized (queue) {
            closed = true;
            queue.clear();
            queue.notifyAll();
        }
        for (Thread thread : threads) {
            thread.interrupt();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                LOG.warn("export thread {} still busy after {}; leaving it", thread.getName(), grace);
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
