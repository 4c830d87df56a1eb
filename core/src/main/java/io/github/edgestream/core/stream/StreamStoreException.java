package io.github.edgestream.core.stream;

/**
 * Base of every failure the stream store reports. Each subclass is one protocol-visible condition; the IPC layer
 * maps subclasses to status codes in one table. Messages name the stream, the value and the limit involved.
 */
public abstract class StreamStoreException extends RuntimeException {

    protected StreamStoreException(String message) {
        super(message);
    }

    protected StreamStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
