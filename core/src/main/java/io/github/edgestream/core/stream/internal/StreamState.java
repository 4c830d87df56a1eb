package io.github.edgestream.core.stream.internal;

import java.util.List;

/**
 * One stream's state as readers see it, published as a whole through a volatile field after each change (see
 * {@link LogStream}). Immutable.
 *
 * @param segments     oldest first, never empty while open; the last one takes appends
 * @param next         one past the newest readable message: every number below it is written and, for
 *                     {@code flushOnWrite} streams, durable
 * @param totalBytes   sum of the segments' accounted sizes
 * @param trimmedBelow a trim deleted every number below this one (the segment holding it still stores some of them
 *                     until it is deleted as a whole); 0 if never trimmed
 */
record StreamState(List<Segment> segments, long next, long totalBytes, long trimmedBelow) {

    /** The first readable sequence number. */
    long oldest() {
        return Math.max(segments.get(0).baseSequence(), trimmedBelow);
    }

    /** The segment taking appends. */
    Segment active() {
        return segments.get(segments.size() - 1);
    }
}
