package io.github.edgestream.core.cursor;

/** Who moves a {@link Cursor}. */
public enum CursorKind {

    /** A local consumer's cursor, moved by {@link CursorStore#commit} and {@link CursorStore#reset}. */
    CONSUMER,

    /**
     * A consumer group's committed positions, one per partition, moved only through {@link ConsumerGroups}. As a
     * {@link Cursor} its position is the lowest of them: everything below it was consumed on every partition.
     */
    GROUP,

    /** An export's progress ({@code export.<identifier>}), moved only by the export runtime; read-only here. */
    EXPORT
}
