package io.github.edgestream.core.model;

/** How the HTTP exporter sends messages. Codes are those of the wire protocol. */
public enum ExportFormat implements ProtocolCode {
    /** One POST per message, the payload as the body. */
    RAW_NOT_BATCHED(0, "RAW_NOT_BATCHED"),
    /** One POST per batch, a JSON list of Message objects. */
    JSON_BATCHED(1, "JSON_BATCHED");

    private final int code;
    private final String protocolName;

    ExportFormat(int code, String protocolName) {
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
}
