package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;

/** No stream has this name (it was never created, or it was deleted, possibly while a read waited on it). */
public final class StreamNotFoundException extends StreamStoreException {

    private final StreamName stream;

    public StreamNotFoundException(StreamName stream) {
        super("stream \"" + stream + "\" does not exist");
        this.stream = stream;
    }

    public StreamNotFoundException(StreamName stream, String detail) {
        super("stream \"" + stream + "\" does not exist: " + detail);
        this.stream = stream;
    }

    public StreamName stream() {
        return stream;
    }
}
