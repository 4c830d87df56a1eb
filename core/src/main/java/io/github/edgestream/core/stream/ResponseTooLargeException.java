package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamName;

/**
 * The {@code minMessageCount} messages a read must return do not fit in its byte budget (the largest response frame).
 * Read fewer messages at a time.
 */
public final class ResponseTooLargeException extends StreamStoreException {

    public ResponseTooLargeException(StreamName stream, int wanted, long start, DataSize budget) {
        super("the " + wanted + " messages of stream \"" + stream + "\" from sequence number " + start
                + " are larger than the response limit of " + budget + "; lower minMessageCount");
    }
}
