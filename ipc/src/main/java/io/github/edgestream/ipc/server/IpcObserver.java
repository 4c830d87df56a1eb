package io.github.edgestream.ipc.server;

import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.ResponseStatus;

/**
 * Hears every request the server answered through its handlers: the operation, the response status and how long it
 * took from dispatch to response. The daemon's metrics are one.
 *
 * <p>Called on an event loop or a store thread, once per request; must be quick, thread-safe and never throw.
 */
@FunctionalInterface
public interface IpcObserver {

    IpcObserver NONE = (operation, status, nanos) -> { };

    void requestCompleted(Operation operation, ResponseStatus status, long nanos);
}
