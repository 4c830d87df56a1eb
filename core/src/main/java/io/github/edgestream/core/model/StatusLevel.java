package io.github.edgestream.core.model;

/** Verbosity of a status stream; a status is written when its level is at most the configured one. */
public enum StatusLevel implements ProtocolCode {
    ERROR(0), WARN(1), INFO(2), DEBUG(3), TRACE(4);

    private final int code;

    StatusLevel(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String protocolName() {
        return name();
    }
}
