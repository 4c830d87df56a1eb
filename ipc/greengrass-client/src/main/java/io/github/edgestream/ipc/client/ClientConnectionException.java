package io.github.edgestream.ipc.client;

import java.util.Optional;

/**
 * The request did not get an answer: the daemon could not be reached, the handshake failed, the connection dropped,
 * or the request timed out. Whether the request took effect is unknown; the next request reconnects.
 *
 * <p>When the connection could not be opened, the message says so in plain words ({@code cannot connect to
 * 127.0.0.1:8088: connection refused}), {@link #address()} is the address as {@link ClientSettings#address()} shows
 * it and {@link #reason()} says why, for callers that want to advise their users.
 */
public final class ClientConnectionException extends RuntimeException {

    /** Why a connection could not be opened. */
    public enum Reason {
        /** Nothing listens there (TCP), or the file is not a listening socket (Unix). */
        CONNECTION_REFUSED("connection refused"),
        /** No answer to the connection attempt or to the handshake in time. */
        TIMED_OUT("timed out"),
        /** The Unix socket's path does not exist. */
        NO_SUCH_FILE("no such file"),
        /** The Unix socket (or its directory) may not be opened by this user. */
        PERMISSION_DENIED("permission denied"),
        /** The host name does not resolve. */
        UNKNOWN_HOST("unknown host"),
        /** No route to the host or its network. */
        UNREACHABLE("host or network unreachable"),
        /** The server answered, but not as a Stream Manager server (wrong handshake). */
        NOT_A_STREAM_MANAGER("the server does not speak the Stream Manager protocol"),
        /** The connection closed during the handshake. */
        CLOSED("the server closed the connection"),
        /** Anything else; the message carries the system's words. */
        OTHER("failed");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** The reason in plain lower-case words, as the message puts it. */
        public String words() {
            return words;
        }
    }

    private final String address;
    private final Reason reason;
    private final String detail;

    public ClientConnectionException(String message) {
        this(message, (Throwable) null);
    }

    public ClientConnectionException(String message, Throwable cause) {
        super(message, cause);
        this.address = null;
        this.reason = null;
        this.detail = null;
    }

    /**
     * The connection to {@code address} could not be opened or handshaken, for {@code reason}; {@code detail} says it
     * in words ({@code connection refused}, {@code timed out after 3000 ms}). The message is
     * {@code cannot connect to ADDRESS: DETAIL}, then {@code advice} if not empty.
     */
    public ClientConnectionException(String address, Reason reason, String detail, String advice, Throwable cause) {
        super("cannot connect to " + address + ": " + detail + (advice == null || advice.isEmpty() ? ""
                : " (" + advice + ")"), cause);
        this.address = address;
        this.reason = reason;
        this.detail = detail;
    }

    /** Where the client tried to connect, when the failure is about connecting: {@code host:port} or a path. */
    public Optional<String> address() {
        return Optional.ofNullable(address);
    }

    /** Why the connection could not be opened; empty when it opened and the failure came later. */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    /** The reason in words, without the address ({@code connection refused}); empty as {@link #reason()}. */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }
}
