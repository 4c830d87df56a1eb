package io.github.edgestream.core.cursor;

import java.util.OptionalLong;

/**
 * A compare-and-set commit expected a generation the cursor no longer has: another writer committed (or reset) it
 * in between. Nothing was written. The caller re-reads the cursor ({@link CursorStore#get}) and decides again.
 */
public final class CursorConflictException extends RuntimeException {

    private final String cursor;
    private final long expectedGeneration;
    private final long actualGeneration;
    private final OptionalLong actualPosition;

    public CursorConflictException(String cursor, long expectedGeneration, long actualGeneration,
            OptionalLong actualPosition) {
        super("cursor \"" + cursor + "\": expected generation " + expectedGeneration + " but it is at generation "
                + actualGeneration + (actualPosition.isPresent()
                        ? ", position " + actualPosition.getAsLong()
                        : " (it does not exist; generation 0 creates it)")
                + "; re-read it and commit again");
        this.cursor = cursor;
        this.expectedGeneration = expectedGeneration;
        this.actualGeneration = actualGeneration;
        this.actualPosition = actualPosition;
    }

    public String cursor() {
        return cursor;
    }

    public long expectedGeneration() {
        return expectedGeneration;
    }

    public long actualGeneration() {
        return actualGeneration;
    }

    /** The cursor's position now; empty if it does not exist. */
    public OptionalLong actualPosition() {
        return actualPosition;
    }
}
