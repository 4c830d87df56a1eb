package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;

/**
 * An update asked for a change the store does not allow: a different persistence, or a {@code maxSize} below what
 * the stream already stores or below its segment size. The stream is unchanged.
 */
public final class UpdateNotAllowedException extends StreamStoreException {

    private final String field;

    public UpdateNotAllowedException(StreamName stream, String field, String detail) {
        super("cannot update stream \"" + stream + "\": " + field + " " + detail);
        this.field = field;
    }

    /** The protocol name of the field whose new value is not allowed. */
    public String field() {
        return field;
    }
}
