package io.github.edgestream.api.kinesis;

import java.util.Objects;

/**
 * A Kinesis error answered as AWS answers it: HTTP status, {@code __type} and message. The official clients turn
 * the type into their exception (JS {@code e.name}, Java {@code awsErrorDetails().errorCode()}, boto3
 * {@code Error.Code}), so producers back off and retry exactly as they do against AWS.
 */
final class KinesisException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;
    private final int status;

    KinesisException(String type, int status, String message) {
        super(message, null, false, false);
        this.type = Objects.requireNonNull(type, "type");
        this.status = status;
    }

    /** A 400 with this type. */
    KinesisException(String type, String message) {
        this(type, 400, message);
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }

    static KinesisException notFound(String message) {
        return new KinesisException(KinesisErrorTable.RESOURCE_NOT_FOUND, message);
    }

    static KinesisException invalid(String message) {
        return new KinesisException(KinesisErrorTable.INVALID_ARGUMENT, message);
    }

    /** A constraint of the request's shape (length, pattern, range), worded as AWS words them. */
    static KinesisException validation(String field, Object value, String constraint) {
        return new KinesisException(KinesisErrorTable.VALIDATION, "1 validation error detected: Value '"
                + abbreviate(String.valueOf(value)) + "' at '" + field + "' failed to satisfy constraint: "
                + constraint);
    }

    private static String abbreviate(String value) {
        return value.length() > 100 ? value.substring(0, 100) + "... (" + value.length() + " characters)" : value;
    }
}
