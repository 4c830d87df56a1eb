package io.github.edgestream.ipc.dispatch;

/** A request that is well-formed but asks for something the server refuses; answered with InvalidRequest. */
public final class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
