package io.github.edgestream.ipc.wire;

/**
 * The {@code status} of every response (protocol section 9). The numbers are those of the SDKs'
 * {@code ResponseStatusCode}; {@code ResponseStatusTest} pins them. Never send any other value: the clients crash on
 * unknown enum values.
 */
public enum ResponseStatus {
    SUCCESS(0),
    UNKNOWN_FAILURE(1),
    UNAUTHORIZED(2),
    INVALID_REQUEST(3),
    REQUEST_PAYLOAD_TOO_LARGE(4),
    RESOURCE_NOT_FOUND(5),
    SERVER_TIMEOUT(6),
    RESPONSE_PAYLOAD_TOO_LARGE(7),
    UNSUPPORTED_CONNECT_VERSION(8),
    UNEXPECTED_OPERATION(9),
    UNSUPPORTED_PROTOCOL_VERSION(10),
    INVALID_PROTOCOL_VERSION(11),
    FAILED_TO_CONNECT(12),
    NOT_ENOUGH_MESSAGES(13),
    MESSAGE_STORE_READ_ERROR(14),
    OUT_OF_MEMORY_ERROR(15),
    UPDATE_FAILED(16),
    UPDATE_NOT_ALLOWED(17),
    UNKNOWN_OPERATION(18),
    /**
     * edgestream extension, sent only in answer to extension operations (the official SDKs never see it): a
     * condition of the request did not hold (expected sequence number, fencing token, cursor generation); the
     * message names the actual value.
     */
    CONFLICT(100);

    private static final ResponseStatus[] BY_CODE = new ResponseStatus[CONFLICT.code + 1];

    static {
        for (ResponseStatus status : values()) {
            BY_CODE[status.code] = status;
        }
    }

    private final int code;

    ResponseStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status with this code, or empty for a number the protocol does not define. */
    public static java.util.Optional<ResponseStatus> fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? java.util.Optional.ofNullable(BY_CODE[(int) code])
                : java.util.Optional.empty();
    }
}
