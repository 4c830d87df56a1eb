package io.github.edgestream.api.reductstore;

/**
 * A {@code when} condition that cannot be parsed (unknown operator, wrong operand count, a value of the wrong shape,
 * too deep or too large), or that failed on a record in strict mode (a missing label, a type that does not fit an
 * operator). The message names the operator, label or value and, for limits, the limit. The HTTP API answers it with
 * 422 Unprocessable Entity, as ReductStore does; ReductStore answers a missing label in strict mode with 404, and
 * {@link #missingLabel()} lets the caller do the same.
 */
final class ConditionException extends RuntimeException {

    private final String missingLabel;

    ConditionException(String message) {
        this(message, null);
    }

    private ConditionException(String message, String missingLabel) {
        super(message);
        this.missingLabel = missingLabel;
    }

    /** A record lacks a label the condition reads: {@code "&sensor"} or a computed {@code "@score"}. */
    static ConditionException missingLabel(String reference) {
        return new ConditionException("label '" + reference + "' not found in the record", reference);
    }

    /** The reference that was missing ({@code &name} or {@code @name}), or {@code null} for any other error. */
    String missingLabel() {
        return missingLabel;
    }
}
