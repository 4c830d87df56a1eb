package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamName;

/**
 * One message is larger than a limit it can never fit: the stream's {@code maxSize}, or the store's
 * {@code maxMessageSize}. Retrying the same message cannot succeed.
 */
public final class PayloadTooLargeException extends StreamStoreException {

    private final DataSize size;
    private final DataSize limit;

    /**
     * @param size      what the message occupies, as compared with the limit
     * @param what      how {@code size} was counted, e.g. "payload" or "stored size (payload + 24 bytes)"
     * @param limitName the limit, e.g. "maxSize of the stream"
     */
    public PayloadTooLargeException(StreamName stream, DataSize size, String what, String limitName, DataSize limit) {
        super("message for stream \"" + stream + "\" is too large: its " + what + " is " + size
                + ", more than the " + limitName + " of " + limit);
        this.size = size;
        this.limit = limit;
    }

    public DataSize size() {
        return size;
    }

    public DataSize limit() {
        return limit;
    }
}
