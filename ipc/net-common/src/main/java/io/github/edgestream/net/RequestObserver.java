package io.github.edgestream.net;

/**
 * Hears every request a server answered: which API, which operation, the outcome as that API names it (a
 * Greengrass response status, an HTTP status code) and how long it took from dispatch to response. The daemon's
 * metrics ({@code edgestream_requests_seconds{api,operation,status}}) are one.
 *
 * <p>Called on an event loop or a store thread, once per request; must be quick, thread-safe and never throw.
 */
@FunctionalInterface
public interface RequestObserver {

    RequestObserver NONE = (api, operation, status, nanos) -> { };

    void requestCompleted(String api, String operation, String status, long nanos);
}
