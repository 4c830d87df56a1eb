package io.github.edgestream.core.model;

/**
 * What a stream does when an append would take it past its {@code maxSize}. The codes are the integers of the
 * Greengrass wire protocol and of our on-disk definitions; they never change.
 */
public enum StrategyOnFull {
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

    public int code() {
        return code;
    }

    /** The name the Greengrass SDKs use, e.g. {@code RejectNewData}. */
    public String protocolName() {
        return protocolName;
    }

    /** @throws IllegalArgumentException for a code that is not 0 or 1 */
    public static StrategyOnFull fromCode(int code) {
        for (StrategyOnFull value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown strategyOnFull code " + code);
    }
}
