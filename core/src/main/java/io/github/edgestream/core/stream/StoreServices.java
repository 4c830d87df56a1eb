package io.github.edgestream.core.stream;

import io.github.edgestream.core.time.Scheduler;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What the store needs from its surroundings. The caller owns these services and shuts them down after closing the
 * store; tests pass a manual clock (which is also the scheduler) and a direct executor to make time and hand-offs
 * deterministic.
 *
 * @param clock     ingest times and TTL
 * @param scheduler read timeouts and the periodic retention pass
 * @param executor  completes reads that were waiting for appends, off the appending thread
 * @param listener  hears about evictions and data loss
 */
public record StoreServices(Clock clock, Scheduler scheduler, Executor executor, StoreListener listener) {

    public StoreServices {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(listener, "listener");
    }
}
