package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;

/** A create named a stream that exists already. Use update to change its definition. */
public final class StreamAlreadyExistsException extends StreamStoreException {

    public StreamAlreadyExistsException(StreamName stream) {
        super("stream \"" + stream + "\" already exists; update it, or delete it first");
    }
}
