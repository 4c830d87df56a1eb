package io.github.edgestream.core.model;

/**
 * What a stream does when an append would take it past its {@code maxSize}. The codes are the integers of the
 * Greengrass wire protocol and of our on-disk definitions; they never change.
 */
public enum StrategyOnFull implements ProtocolCode {
    /** The append fails with {@link io.github.edgestream.core.stream.StreamFullException}; stored data is untouched. */
    REJECT_NEW_DATA(0, "RejectNewData"),
    /** The oldest segments are deleted until the new message fits. */
    OVERWRITE_OLDEST_DATA(1, "OverwriteOldestData");

    private final int code;
    private final String protocolName;

    StrategyOnFull(int code, String protocolName) {
        this.code = code;
        this.protocolName = protocolName;
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String protocolName() {
        return protocolName;
    }

    /** @throws IllegalArgumentException for a code that is not 0 or 1 */
    public static StrategyOnFull fromCode(int code) {
        return ProtocolCode.fromCode(StrategyOnFull.class, code);
    }
}
