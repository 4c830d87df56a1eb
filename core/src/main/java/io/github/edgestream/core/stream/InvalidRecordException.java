package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;

/** A record or batch breaks one of {@link RecordLimits}; the message names the field, its value and the limit. */
public final class InvalidRecordException extends StreamStoreException {

    private final String field;

    public InvalidRecordException(StreamName stream, String field, String problem) {
        super("append to stream \"" + stream + "\": " + field + " " + problem + "; nothing was written");
        this.field = field;
    }

    /** The offending field, e.g. {@code records[3].key}. */
    public String field() {
        return field;
    }
}
