package io.github.edgestream.fault;

import io.github.edgestream.ipc.client.StreamManagerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Appends to several streams over one connection with a window of requests in flight per stream, recording every
 * acknowledgement in the stream's {@link Ledger}, until stopped or until the connection fails (the daemon was
 * killed). Thread-safe; one thread per stream.
 */
final class PipelinedLoad implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private long acknowledged; // guarded by this
    private Throwable firstFailure; // guarded by this

    PipelinedLoad(StreamManagerClient client, List<Ledger> ledgers, int window) {
        for (Ledger ledger : ledgers) {
            Thread thread = new Thread(() -> pump(client, ledger, window), "load-" + ledger.stream());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void pump(StreamManagerClient client, Ledger ledger, int window) {
        Semaphore slots = new Semaphore(window);
        try {
            while (running) {
                if (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                Ledger.Payload payload = ledger.next();
                client.appendMessage(ledger.stream(), payload.bytes()).whenComplete((sequence, error) -> {
                    slots.release();
                    if (error == null) {
                        ledger.acknowledged(sequence, payload.id());
                        counted();
                    } else {
                        failed(error);
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // the client is closed under us
            failed(e);
        }
    }

    private synchronized void counted() {
        acknowledged++;
        notifyAll();
    }

    private synchronized void failed(Throwable error) {
        running = false;
        if (firstFailure == null) {
            firstFailure = error;
        }
        notifyAll();
    }

    /** Waits until {@code count} appends were acknowledged in all; false if the load failed or time ran out. */
    synchronized boolean awaitAcknowledged(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged < count && firstFailure == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return acknowledged >= count;
    }

    synchronized Throwable failure() {
        return firstFailure;
    }

    /** Stops the load and waits (10 s at most per thread) for its threads to end. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
