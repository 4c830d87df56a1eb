package io.github.edgestream.core.model;

/** What a stream does when an append would take it past its {@code maxSize}. */
public enum StrategyOnFull {
    /** The append fails with {@link io.github.edgestream.core.stream.StreamFullException}; stored data is untouched. */
    REJECT_NEW_DATA,
    /** The oldest segments are deleted until the new message fits. */
    OVERWRITE_OLDEST_DATA
}
