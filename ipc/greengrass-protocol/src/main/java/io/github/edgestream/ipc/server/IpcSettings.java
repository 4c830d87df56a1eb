package io.github.edgestream.ipc.server;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.ipc.codec.Preamble;
import io.github.edgestream.net.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the IPC server.
 *
 * @param tcpEnabled               listen on TCP (what the official SDKs dial)
 * @param host                     TCP address; loopback by default, local programs only
 * @param port                     TCP port, 8088 by default ({@code STREAM_MANAGER_SERVER_PORT}); 0 picks a free one
 * @param unixSocket               also listen on this Unix domain socket, if present
 * @param unixSocketPermissions    POSIX permissions of the socket file, e.g. {@code rw-rw----}
 * @param authenticator            decides on the token of every handshake; empty: client authentication is off
 *                                 ({@code STREAM_MANAGER_AUTHENTICATE_CLIENT})
 * @param maxFrameSize             larger request frames are refused with RequestPayloadTooLarge, never buffered
 * @param maxResponseSize          a read returns fewer messages to stay under this (at least its minimum)
 * @param maxConnections           further connections are closed at once
 * @param maxRequestsInFlight      per connection; beyond it the server stops reading from that connection
 * @param idleTimeout              close a connection with no traffic and no request in flight for this long; zero never
 * @param frameTimeout             close a connection whose frame stops arriving midway for this long
 * @param ioThreads                event-loop threads; zero means one per processor
 * @param transport                native epoll or the JDK's NIO ({@link Transport#CURRENT} unless a test picks one)
 */
public record IpcSettings(
        boolean tcpEnabled,
        String host,
        int port,
        Optional<Path> unixSocket,
        String unixSocketPermissions,
        Optional<ClientAuthenticator> authenticator,
        DataSize maxFrameSize,
        DataSize maxResponseSize,
        int maxConnections,
        int maxRequestsInFlight,
        Duration idleTimeout,
        Duration frameTimeout,
        int ioThreads,
        Transport transport) {

    public static final int DEFAULT_PORT = Preamble.DEFAULT_PORT;

    public IpcSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(unixSocket, "unixSocket");
        Objects.requireNonNull(unixSocketPermissions, "unixSocketPermissions");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(maxFrameSize, "maxFrameSize");
        Objects.requireNonNull(maxResponseSize, "maxResponseSize");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(frameTimeout, "frameTimeout");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port is " + port + " but must be between 0 and 65535");
        }
        if (!tcpEnabled && unixSocket.isEmpty()) {
            throw new IllegalArgumentException("the server needs TCP or a Unix socket");
        }
        if (maxFrameSize.bytes() < 1024 || maxFrameSize.bytes() > (1L << 30)) {
            throw new IllegalArgumentException("maxFrameSize is " + maxFrameSize + " but must be between 1 KiB and 1 GiB");
        }
        if (maxResponseSize.bytes() < 64 * 1024 || maxResponseSize.bytes() > (1L << 30)) {
            throw new IllegalArgumentException("maxResponseSize is " + maxResponseSize
                    + " but must be between 64 KiB and 1 GiB");
        }
        if (maxConnections < 1 || maxRequestsInFlight < 1 || ioThreads < 0) {
            throw new IllegalArgumentException("maxConnections and maxRequestsInFlight must be at least 1,"
                    + " ioThreads at least 0");
        }
    }

    /** Loopback TCP on a free port, no authentication, no Unix socket: for tests and embedding. */
    public static IpcSettings loopbackForTests() {
        return new IpcSettings(true, "127.0.0.1", 0, Optional.empty(), "rw-rw----", Optional.empty(),
                DataSize.ofMebibytes(17), DataSize.ofMebibytes(64), 1024, 1024, Duration.ZERO, Duration.ofSeconds(30),
                1, Transport.CURRENT);
    }

    /** Client authentication on, accepting these tokens. */
    public IpcSettings withAuthentication(Set<String> tokens) {
        return withAuthenticator(new TokenAuthenticator(tokens, tokens.size() + " configured token(s)"));
    }

    public IpcSettings withAuthenticator(ClientAuthenticator authenticator) {
        return new IpcSettings(tcpEnabled, host, port, unixSocket, unixSocketPermissions, Optional.of(authenticator),
                maxFrameSize, maxResponseSize, maxConnections, maxRequestsInFlight, idleTimeout, frameTimeout,
                ioThreads, transport);
    }

    public IpcSettings withTransport(Transport transport) {
        return new IpcSettings(tcpEnabled, host, port, unixSocket, unixSocketPermissions, authenticator,
                maxFrameSize, maxResponseSize, maxConnections, maxRequestsInFlight, idleTimeout, frameTimeout,
                ioThreads, transport);
    }

    public IpcSettings withUnixSocket(Path path) {
        return new IpcSettings(tcpEnabled, host, port, Optional.of(path), unixSocketPermissions, authenticator,
                maxFrameSize, maxResponseSize, maxConnections, maxRequestsInFlight, idleTimeout, frameTimeout,
                ioThreads, transport);
    }

    public IpcSettings withLimits(DataSize frame, int connections, Duration idle, Duration frameStall) {
        return new IpcSettings(tcpEnabled, host, port, unixSocket, unixSocketPermissions, authenticator, frame,
                maxResponseSize, connections, maxRequestsInFlight, idle, frameStall, ioThreads, transport);
    }
}
