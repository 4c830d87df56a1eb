package io.github.edgestream.net;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Requests in flight across all connections of one server, and whether the server is stopping: what a graceful
 * shutdown waits on. Thread-safe.
 */
public final class InFlightRequests {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InFlightRequests.class);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean stopping;

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestFinished() {
        if (inFlight.decrementAndGet() == 0) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public void stopping() {
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    /**
     * Waits until no request is in flight or the time is up; true if none is, else logs how many are left.
     *
     * @param server names the server in the log line
     */
    public boolean awaitIdle(Duration timeout, String server) throws InterruptedException {
        boolean idle = awaitIdle(timeout);
        if (!idle) {
            LOG.warn("{}: {} requests still in flight after {} ms", server, inFlight(), timeout.toMillis());
        }
        return idle;
    }

    /** Waits until no request is in flight or the time is up; true if none is. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight.get() > 0 && remaining > 0) {
                remaining = idle.awaitNanos(remaining);
            }
            return inFlight.get() == 0;
        } finally {
            lock.unlock();
        }
    }
}
