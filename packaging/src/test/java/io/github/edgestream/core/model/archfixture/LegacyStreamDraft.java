package io.github.edgestream.core.model.archfixture;

/**
 * Deliberately breaks the rules: a client's request as sent, in protocol field names, inside core's model. Only the
 * architecture self-test loads it.
 */
public record LegacyStreamDraft(String name, Long streamSegmentSize, Long strategyOnFull) {
}
