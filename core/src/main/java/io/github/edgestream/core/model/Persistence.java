package io.github.edgestream.core.model;

/**
 * Where a stream keeps its messages. The codes are the integers of the Greengrass wire protocol and of our on-disk
 * definitions; they never change.
 */
public enum Persistence implements ProtocolCode {
    /** Messages are written to disk (Chronicle Queue) and survive restarts. */
    FILE(0, "File"),
    /** Messages live in the heap only; after a restart the stream exists again, empty. */
    MEMORY(1, "Memory");

    private final int code;
    private final String protocolName;

    Persistence(int code, String protocolName) {
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
    public static Persistence fromCode(int code) {
        return ProtocolCode.fromCode(Persistence.class, code);
    }
}
