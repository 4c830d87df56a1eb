package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;

/**
 * An append or fence carried a fencing token other than the stream's: a writer that another one has fenced out.
 * Nothing was written.
 */
public final class FencingTokenMismatchException extends StreamStoreException {

    private final String supplied;
    private final String current;

    public FencingTokenMismatchException(StreamName stream, String supplied, String current) {
        super("fencing token \"" + supplied + "\" does not match stream \"" + stream + "\"'s fencing token \""
                + current + "\"; nothing was written");
        this.supplied = supplied;
        this.current = current;
    }

    public String supplied() {
        return supplied;
    }

    /** The stream's token when the request was refused ("" if none was ever set). */
    public String current() {
        return current;
    }
}
