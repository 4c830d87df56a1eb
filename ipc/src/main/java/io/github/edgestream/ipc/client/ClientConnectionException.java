package io.github.edgestream.ipc.client;

/**
 * The request did not get an answer: the daemon could not be reached, the handshake failed, the connection dropped,
 * or the request timed out. Whether the request took effect is unknown; the next request reconnects.
 */
public final class ClientConnectionException extends RuntimeException {

    public ClientConnectionException(String message) {
        super(message);
    }

    public ClientConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
