package io.github.edgestream.core.stream.internal;

/**
 * The bytes a read may still return. Segments take from it message by message and stop before a message that would
 * overdraw it. Not thread-safe: one per read.
 */
public final class ReadBudget {

    private final int overheadPerMessage;
    private long remaining;
    private boolean exhausted;

    ReadBudget(long bytes, int overheadPerMessage) {
        this.remaining = bytes;
        this.overheadPerMessage = overheadPerMessage;
    }

    /** A budget that never runs out (tests, internal scans). */
    public static ReadBudget unlimited() {
        return new ReadBudget(Long.MAX_VALUE, 0);
    }

    /** Takes the cost of a message with this payload length, or marks the budget exhausted and returns false. */
    public boolean take(int payloadLength) {
        long cost = (long) payloadLength + overheadPerMessage;
        if (cost > remaining) {
            exhausted = true;
            return false;
        }
        remaining -= cost;
        return true;
    }

    public boolean exhausted() {
        return exhausted;
    }
}
