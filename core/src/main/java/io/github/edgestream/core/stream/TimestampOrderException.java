package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;
import java.time.Instant;

/**
 * A producer's record timestamp is earlier than the stream's newest one (or equal to it, where timestamps must
 * increase strictly). Records of a stream are ordered by time as well as by sequence number; that is what makes
 * seeking by time a binary search. Nothing was written.
 */
public final class TimestampOrderException extends StreamStoreException {

    private final long suppliedMicros;
    private final long newestMicros;

    public TimestampOrderException(StreamName stream, int index, long suppliedMicros, long newestMicros,
            boolean strict) {
        super("record " + index + " of the append to stream \"" + stream + "\" has timestamp " + suppliedMicros
                + " µs (" + instant(suppliedMicros) + "), " + (strict ? "not later than" : "earlier than")
                + " the stream's newest record, " + newestMicros + " µs (" + instant(newestMicros) + "); timestamps "
                + (strict ? "must increase" : "must not decrease") + "; nothing was written");
        this.suppliedMicros = suppliedMicros;
        this.newestMicros = newestMicros;
    }

    public long suppliedMicros() {
        return suppliedMicros;
    }

    public long newestMicros() {
        return newestMicros;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }
}
