package io.github.edgestream.core.stream;

/**
 * The store could not write: the disk is full (or below the configured free-space reserve), or an I/O error
 * occurred. The append that got this exception was not stored; data acknowledged before it is intact.
 */
public final class StoreWriteException extends StreamStoreException {

    public StoreWriteException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreWriteException(String message) {
        super(message);
    }
}
