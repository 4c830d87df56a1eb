package io.github.edgestream.core.stream;

/** The store could not read stored data: an I/O error, or damage found in a file. Other streams are unaffected. */
public final class StoreReadException extends StreamStoreException {

    public StoreReadException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreReadException(String message) {
        super(message);
    }
}
