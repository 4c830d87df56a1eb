package io.github.edgestream.ipc.wire;

/**
 * The operation byte of a frame (protocol section 6). Requests are client to server; every request has a response
 * operation, which also carries its errors. The codes never change.
 *
 * <p>Codes 64 and up are edgestream's extensions (see {@code ipc/EXTENSIONS.md}): operations the official SDKs never
 * send, for the store's capabilities beyond Greengrass (batches, conditional appends, fencing, trim, seek by time,
 * cursors). Each request code is even and its response the next odd code.
 */
public enum Operation {
    UNKNOWN(0),
    CONNECT(1),
    CREATE_MESSAGE_STREAM(2),
    DELETE_MESSAGE_STREAM(3),
    APPEND_MESSAGE(4),
    READ_MESSAGES(5),
    CONNECT_RESPONSE(6),
    CREATE_MESSAGE_STREAM_RESPONSE(7),
    DELETE_MESSAGE_STREAM_RESPONSE(8),
    APPEND_MESSAGE_RESPONSE(9),
    READ_MESSAGES_RESPONSE(10),
    LIST_STREAMS(11),
    LIST_STREAMS_RESPONSE(12),
    DESCRIBE_MESSAGE_STREAM(13),
    DESCRIBE_MESSAGE_STREAM_RESPONSE(14),
    UPDATE_MESSAGE_STREAM(15),
    UPDATE_MESSAGE_STREAM_RESPONSE(16),
    UNKNOWN_OPERATION_ERROR(17),
    APPEND_BATCH(64),
    APPEND_BATCH_RESPONSE(65),
    FENCE(66),
    FENCE_RESPONSE(67),
    TRIM(68),
    TRIM_RESPONSE(69),
    SEEK_TIME(70),
    SEEK_TIME_RESPONSE(71),
    COMMIT_CURSOR(72),
    COMMIT_CURSOR_RESPONSE(73),
    RESET_CURSOR(74),
    RESET_CURSOR_RESPONSE(75),
    LIST_CURSORS(76),
    LIST_CURSORS_RESPONSE(77),
    READ_RECORDS(78),
    READ_RECORDS_RESPONSE(79),
    /** DescribeMessageStream (13) of a stream of another namespace: same request and response fields. */
    DESCRIBE_IN_NAMESPACE(80),
    DESCRIBE_IN_NAMESPACE_RESPONSE(81),
    /** UpdateMessageStream (15) of a stream of another namespace: same request and response fields. */
    UPDATE_IN_NAMESPACE(82),
    UPDATE_IN_NAMESPACE_RESPONSE(83),
    /** ListStreams (11) of another namespace: same request and response fields. */
    LIST_IN_NAMESPACE(84),
    LIST_IN_NAMESPACE_RESPONSE(85);

    /** The first extension code. */
    public static final int FIRST_EXTENSION = 64;

    private static final Operation[] BY_CODE = new Operation[128];

    static {
        for (Operation operation : values()) {
            BY_CODE[operation.code] = operation;
        }
    }

    private final int code;

    Operation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The operation with this code, or empty for a byte the protocol does not define. */
    public static java.util.Optional<Operation> fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? java.util.Optional.ofNullable(BY_CODE[code])
                : java.util.Optional.empty();
    }

    /**
     * For the extensions that are one of the protocol's own operations on another namespace (their payloads are that
     * operation's, plus {@code namespace}): the protocol's operation, request or response; else empty.
     */
    public java.util.Optional<Operation> inDefaultNamespace() {
        return java.util.Optional.ofNullable(switch (this) {
            case DESCRIBE_IN_NAMESPACE -> DESCRIBE_MESSAGE_STREAM;
            case DESCRIBE_IN_NAMESPACE_RESPONSE -> DESCRIBE_MESSAGE_STREAM_RESPONSE;
            case UPDATE_IN_NAMESPACE -> UPDATE_MESSAGE_STREAM;
            case UPDATE_IN_NAMESPACE_RESPONSE -> UPDATE_MESSAGE_STREAM_RESPONSE;
            case LIST_IN_NAMESPACE -> LIST_STREAMS;
            case LIST_IN_NAMESPACE_RESPONSE -> LIST_STREAMS_RESPONSE;
            default -> null;
        });
    }

    /** An edgestream extension (request or response), never sent by the official SDKs. */
    public boolean isExtension() {
        return code >= FIRST_EXTENSION;
    }

    /** Whether a client may send this operation after the handshake. */
    public boolean isRequest() {
        return switch (this) {
            case CREATE_MESSAGE_STREAM, DELETE_MESSAGE_STREAM, APPEND_MESSAGE, READ_MESSAGES, LIST_STREAMS,
                    DESCRIBE_MESSAGE_STREAM, UPDATE_MESSAGE_STREAM -> true;
            default -> isExtension() && code % 2 == 0;
        };
    }

    /** The largest payload a list, describe, delete or read request, or a handshake, can need (a few texts). */
    public static final int MAX_SMALL_REQUEST_PAYLOAD = 64 << 10;
    /** The largest payload a create or update request can need (a definition with many exports). */
    public static final int MAX_DEFINITION_PAYLOAD = 1 << 20;

    /**
     * The largest payload a frame of this operation byte may carry, given the server's frame limit (which appends,
     * with their message payloads, use to the full). Other requests are small by nature: a longer frame of theirs
     * is refused before it is buffered, so hostile texts cost no memory. Unknown bytes get the small limit.
     */
    public static int maxPayload(int operationByte, int frameLimit) {
        Operation operation = fromCode(operationByte).orElse(UNKNOWN);
        int limit = switch (operation) {
            case APPEND_MESSAGE, APPEND_BATCH -> frameLimit;
            case CREATE_MESSAGE_STREAM, UPDATE_MESSAGE_STREAM, UPDATE_IN_NAMESPACE -> MAX_DEFINITION_PAYLOAD;
            default -> MAX_SMALL_REQUEST_PAYLOAD;
        };
        return Math.min(limit, frameLimit);
    }

    /** The operation that answers this request. */
    public Operation response() {
        return switch (this) {
            case CONNECT -> CONNECT_RESPONSE;
            case CREATE_MESSAGE_STREAM -> CREATE_MESSAGE_STREAM_RESPONSE;
            case DELETE_MESSAGE_STREAM -> DELETE_MESSAGE_STREAM_RESPONSE;
            case APPEND_MESSAGE -> APPEND_MESSAGE_RESPONSE;
            case READ_MESSAGES -> READ_MESSAGES_RESPONSE;
            case LIST_STREAMS -> LIST_STREAMS_RESPONSE;
            case DESCRIBE_MESSAGE_STREAM -> DESCRIBE_MESSAGE_STREAM_RESPONSE;
            case UPDATE_MESSAGE_STREAM -> UPDATE_MESSAGE_STREAM_RESPONSE;
            default -> isRequest() && isExtension() ? BY_CODE[code + 1] : UNKNOWN_OPERATION_ERROR;
        };
    }
}
