package io.github.edgestream.core.model;

/** Where a stream keeps its messages. */
public enum Persistence {
    /** Messages are written to disk (Chronicle Queue) and survive restarts. */
    FILE,
    /** Messages live in the heap only; after a restart the stream exists again, empty. */
    MEMORY
}
