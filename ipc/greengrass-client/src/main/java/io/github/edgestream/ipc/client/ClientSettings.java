package io.github.edgestream.ipc.client;

import io.github.edgestream.ipc.codec.Preamble;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the client connects.
 *
 * @param host           TCP host, 127.0.0.1 by default
 * @param port           TCP port, 8088 by default
 * @param unixSocket     connect to this Unix domain socket instead of TCP, if present
 * @param authToken      sent in the handshake; absent sends none
 * @param connectTimeout for the TCP connection and the handshake
 * @param requestTimeout for each request; reads that wait should use a timeout below it
 * @param maxFrameSize   the largest response accepted
 */
public record ClientSettings(String host, int port, Optional<Path> unixSocket, Optional<String> authToken,
        Duration connectTimeout, Duration requestTimeout, int maxFrameSize) {

    public ClientSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(unixSocket, "unixSocket");
        Objects.requireNonNull(authToken, "authToken");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** 127.0.0.1:8088, no token, the SDKs' timeouts (3 s to connect, 60 s per request). */
    public static ClientSettings defaults() {
        return new ClientSettings("127.0.0.1", Preamble.DEFAULT_PORT, Optional.empty(), Optional.empty(),
                Duration.ofSeconds(3), Duration.ofSeconds(60), 1 << 30);
    }

    /**
     * Where the client connects, as people write it: the Unix socket's path, else {@code host:port}
     * ({@code [::1]:8088} for an IPv6 literal).
     */
    public String address() {
        if (unixSocket.isPresent()) {
            return unixSocket.get().toString();
        }
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    public ClientSettings withPort(int value) {
        return new ClientSettings(host, value, unixSocket, authToken, connectTimeout, requestTimeout, maxFrameSize);
    }

    public ClientSettings withUnixSocket(Path value) {
        return new ClientSettings(host, port, Optional.of(value), authToken, connectTimeout, requestTimeout,
                maxFrameSize);
    }

    public ClientSettings withAuthToken(String value) {
        return new ClientSettings(host, port, unixSocket, Optional.ofNullable(value), connectTimeout, requestTimeout,
                maxFrameSize);
    }

    public ClientSettings withRequestTimeout(Duration value) {
        return new ClientSettings(host, port, unixSocket, authToken, connectTimeout, value, maxFrameSize);
    }
}
