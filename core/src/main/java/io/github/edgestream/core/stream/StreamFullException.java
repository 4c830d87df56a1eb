package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamName;

/**
 * An append to a stream with strategy {@code RejectNewData} would take it past its {@code maxSize}. Nothing stored
 * was touched. Space comes back when retention (TTL) deletes segments, or when the stream's {@code maxSize} is
 * raised, or its strategy changed to {@code OverwriteOldestData}.
 */
public final class StreamFullException extends StreamStoreException {

    private final StreamName stream;
    private final DataSize stored;
    private final DataSize limit;

    public StreamFullException(StreamName stream, DataSize stored, DataSize limit, DataSize needed) {
        super("stream \"" + stream + "\" is full: it stores " + stored + " of its maxSize " + limit
                + " and the message needs " + needed + " (strategyOnFull RejectNewData); raise maxSize, set a TTL,"
                + " or use OverwriteOldestData");
        this.stream = stream;
        this.stored = stored;
        this.limit = limit;
    }

    public StreamName stream() {
        return stream;
    }

    public DataSize stored() {
        return stored;
    }

    public DataSize limit() {
        return limit;
    }
}
