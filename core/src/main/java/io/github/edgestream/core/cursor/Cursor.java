package io.github.edgestream.core.cursor;

import java.time.Instant;
import java.util.Objects;

/**
 * A named position in one stream, as {@link CursorStore#get} and {@link CursorStore#list} report it.
 *
 * @param name       the cursor's name; for {@link CursorKind#EXPORT}, the export's identifier
 * @param kind       who moves it
 * @param position   the next sequence number to read (everything below it is consumed)
 * @param generation how many times it was written; 0 for exports, which have no compare-and-set
 * @param updatedAt  when it was last written (the store's clock); for exports the last export attempt, or
 *                   {@link Instant#EPOCH} before the first
 */
public record Cursor(String name, CursorKind kind, long position, long generation, Instant updatedAt) {

    public Cursor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (position < 0) {
            throw new IllegalArgumentException("cursor \"" + name + "\": position " + position + " is negative");
        }
        if (generation < 0) {
            throw new IllegalArgumentException("cursor \"" + name + "\": generation " + generation + " is negative");
        }
    }
}
