package io.github.edgestream.ipc.wire;

/**
 * A payload that cannot be answered: not CBOR, not a map, or without a usable {@code requestId}. The server closes
 * the connection, because it cannot tell the client which request failed.
 */
public final class MalformedRequestException extends Exception {

    public MalformedRequestException(String message) {
        super(message);
    }

    public MalformedRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
