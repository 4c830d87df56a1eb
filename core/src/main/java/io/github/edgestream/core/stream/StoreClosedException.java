package io.github.edgestream.core.stream;

/** The store is shutting down or closed; the operation was not performed. */
public final class StoreClosedException extends StreamStoreException {

    public StoreClosedException() {
        super("the stream store is closed (the daemon is shutting down)");
    }
}
