package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;

/**
 * A read found fewer than its {@code minMessageCount} messages from its start position, immediately (timeout 0) or
 * when its timeout ran out. Not an error of the store: the caller reads again later.
 */
public final class NotEnoughMessagesException extends StreamStoreException {

    public NotEnoughMessagesException(StreamName stream, long start, long available, int wanted) {
        super("stream \"" + stream + "\" has " + available + " message" + (available == 1 ? "" : "s")
                + " from sequence number " + start + ", fewer than the minMessageCount of " + wanted);
    }
}
