package io.github.edgestream.ipc.client;

import io.github.edgestream.ipc.wire.ResponseStatus;

/** The server answered a request with a failure status; the message is the server's {@code errorMessage}. */
public final class StreamManagerException extends RuntimeException {

    private final ResponseStatus status;

    public StreamManagerException(ResponseStatus status, String message) {
        super(status + ": " + message);
        this.status = status;
    }

    public ResponseStatus status() {
        return status;
    }
}
