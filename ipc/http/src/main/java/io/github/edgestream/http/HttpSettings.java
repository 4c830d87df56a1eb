package io.github.edgestream.http;

import io.github.edgestream.net.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The local HTTP port's settings (the daemon's {@code http.*} keys).
 *
 * @param host               address to listen on; loopback unless remote clients must connect
 * @param port               TCP port; 0 picks a free one
 * @param maxConnections     further connections are closed at once
 * @param maxBodySize        a request body larger than this is refused (413) without being buffered beyond it
 * @param maxHeaderSize      the request's headers together (HTTP/1.1 header block, HTTP/2 header list), bytes
 * @param maxInitialLine     the HTTP/1.1 request line (method, path and query), bytes
 * @param maxConcurrentStreams HTTP/2 streams open at once on one connection
 * @param idleTimeout        close connections idle this long; zero keeps them
 * @param ioThreads          event-loop threads; 0 means one per processor
 * @param authenticate       authenticate every request (SigV4 or Bearer, as the API expects); off: every request
 *                           acts with every permission
 * @param transport          epoll or NIO
 */
public record HttpSettings(String host, int port, int maxConnections, long maxBodySize, int maxHeaderSize,
        int maxInitialLine, int maxConcurrentStreams, Duration idleTimeout, int ioThreads, boolean authenticate,
        Transport transport) {

    public static final int DEFAULT_PORT = 8089;
    public static final long DEFAULT_MAX_BODY_SIZE = 16L << 20;
    public static final int DEFAULT_MAX_HEADER_SIZE = 64 << 10;
    public static final int DEFAULT_MAX_INITIAL_LINE = 16 << 10;
    /** Netty buffers a body in one buffer: keep it well below 2 GiB. */
    public static final long LARGEST_MAX_BODY_SIZE = 1L << 30;

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(transport, "transport");
        List<String> problems = new ArrayList<>();
        if (port < 0 || port > 65535) {
            problems.add("http.port is " + port + " but must be between 0 and 65535");
        }
        if (maxConnections < 1) {
            problems.add("http.maxConnections is " + maxConnections + " but must be at least 1");
        }
        if (maxBodySize < 1024 || maxBodySize > LARGEST_MAX_BODY_SIZE) {
            problems.add("http.maxBodySize is " + maxBodySize + " but must be between 1024 and " + LARGEST_MAX_BODY_SIZE);
        }
        if (maxHeaderSize < 1024 || maxHeaderSize > 1 << 20) {
            problems.add("http.maxHeaderSize is " + maxHeaderSize + " but must be between 1024 and 1048576");
        }
        if (maxInitialLine < 256 || maxInitialLine > 1 << 20) {
            problems.add("http.maxInitialLine is " + maxInitialLine + " but must be between 256 and 1048576");
        }
        if (maxConcurrentStreams < 1) {
            problems.add("http.maxConcurrentStreams is " + maxConcurrentStreams + " but must be at least 1");
        }
        if (idleTimeout.isNegative()) {
            problems.add("http.idleTimeout is " + idleTimeout + " but must not be negative");
        }
        if (ioThreads < 0) {
            problems.add("http.ioThreads is " + ioThreads + " but must not be negative");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** 127.0.0.1:8089, authenticated, the default limits. */
    public static HttpSettings defaults() {
        return new HttpSettings("127.0.0.1", DEFAULT_PORT, 1024, DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_HEADER_SIZE,
                DEFAULT_MAX_INITIAL_LINE, 128, Duration.ofMinutes(5), 0, true, Transport.CURRENT);
    }

    /** Loopback on a free port, authenticated (tests). */
    public static HttpSettings loopbackForTests() {
        return defaults().withPort(0).withIoThreads(2);
    }

    public HttpSettings withPort(int value) {
        return new HttpSettings(host, value, maxConnections, maxBodySize, maxHeaderSize, maxInitialLine,
                maxConcurrentStreams, idleTimeout, ioThreads, authenticate, transport);
    }

    public HttpSettings withIoThreads(int value) {
        return new HttpSettings(host, port, maxConnections, maxBodySize, maxHeaderSize, maxInitialLine,
                maxConcurrentStreams, idleTimeout, value, authenticate, transport);
    }

    public HttpSettings withAuthenticate(boolean value) {
        return new HttpSettings(host, port, maxConnections, maxBodySize, maxHeaderSize, maxInitialLine,
                maxConcurrentStreams, idleTimeout, ioThreads, value, transport);
    }

    public HttpSettings withMaxBodySize(long value) {
        return new HttpSettings(host, port, maxConnections, value, maxHeaderSize, maxInitialLine,
                maxConcurrentStreams, idleTimeout, ioThreads, authenticate, transport);
    }

    public HttpSettings withMaxHeaderSize(int value) {
        return new HttpSettings(host, port, maxConnections, maxBodySize, value, maxInitialLine,
                maxConcurrentStreams, idleTimeout, ioThreads, authenticate, transport);
    }

    public HttpSettings withMaxConnections(int value) {
        return new HttpSettings(host, port, value, maxBodySize, maxHeaderSize, maxInitialLine,
                maxConcurrentStreams, idleTimeout, ioThreads, authenticate, transport);
    }
}
