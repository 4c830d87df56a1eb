package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;

/** A conditional append expected another next sequence number than the stream's; nothing was written. */
public final class SequenceMismatchException extends StreamStoreException {

    private final long expected;
    private final long actual;

    public SequenceMismatchException(StreamName stream, long expected, long actual) {
        super("append to stream \"" + stream + "\" expected the next sequence number to be " + expected
                + " but it is " + actual + "; nothing was written");
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    /** The stream's actual next sequence number (its tail) when the append was refused. */
    public long actual() {
        return actual;
    }
}
