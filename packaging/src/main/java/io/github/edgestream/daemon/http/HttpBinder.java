package io.github.edgestream.daemon.http;

import io.github.edgestream.core.time.Scheduler;
import io.github.edgestream.http.HttpServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams come first: if the HTTP port cannot be bound (another process has it), the daemon serves the Greengrass
 * protocol anyway, logs the error once, and retries the bind in the background (after 1 s, doubling up to 1 min)
 * until it succeeds or the daemon stops. Thread-safe.
 */
public final class HttpBinder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpBinder.class);
    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofMinutes(1);

    private final HttpServer server;
    private final Scheduler scheduler;
    private Duration delay = FIRST;
    private int failures;
    private boolean closed;
    private Scheduler.Cancellable retry;

    private HttpBinder(HttpServer server, Scheduler scheduler) {
        this.server = server;
        this.scheduler = scheduler;
    }

    /** Binds now, or keeps trying in the background. Never throws for a port that cannot be bound. */
    public static HttpBinder start(HttpServer server, Scheduler scheduler) {
        HttpBinder binder = new HttpBinder(server, scheduler);
        binder.bind();
        return binder;
    }

    private synchronized void bind() {
        if (closed) {
            return;
        }
        try {
            server.start();
            if (failures > 0) {
                LOG.info("HTTP APIs served on port {} after {} failed attempts", server.port(), failures);
            }
        } catch (UncheckedIOException e) {
            failures++;
            if (failures == 1) {
                LOG.error("{}; streams are served anyway; retrying in the background", e.getMessage());
            } else {
                LOG.debug("HTTP bind attempt {} failed: {}", failures, e.getMessage());
            }
            retry = scheduler.schedule(delay, this::bind);
            delay = delay.multipliedBy(2).compareTo(LONGEST) > 0 ? LONGEST : delay.multipliedBy(2);
        }
    }

    /** Failed attempts so far. */
    public synchronized int failures() {
        return failures;
    }

    /** The bound port, or -1 while not bound. */
    public int port() {
        return server.port();
    }

    public HttpServer server() {
        return server;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (retry != null) {
            retry.cancel();
        }
        server.close();
    }
}
