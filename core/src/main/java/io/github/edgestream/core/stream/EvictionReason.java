package io.github.edgestream.core.stream;

/** Why the store deleted a segment of messages that nobody asked it to delete. */
public enum EvictionReason {
    /** OverwriteOldestData made room for a new message under {@code maxSize}. */
    SIZE,
    /** Every message of the segment was older than the stream's time to live. */
    TTL,
    /** A quota of the stream's namespace made room (a ReductStore bucket's FIFO quota). */
    QUOTA
}
