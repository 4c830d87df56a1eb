package io.github.edgestream.core.model;

/** How the HTTP exporter sends messages. */
public enum ExportFormat {
    /** One POST per message, the payload as the body. */
    RAW_NOT_BATCHED,
    /** One POST per batch, a JSON list of Message objects. */
    JSON_BATCHED
}
