package io.github.edgestream.ipc.wire;

import java.util.List;

/**
 * A request as the client sent it (protocol section 7.1), fields absent ({@code null}) where the client left them out.
 * Decoded and checked by {@link RequestDecoder}; a request that comes with no problems is fully valid.
 */
public sealed interface Request {

    /** Echoed verbatim in the response; never null in a decoded request. */
    String requestId();

    Operation operation();

    record Connect(String requestId, String protocolVersion, List<String> otherSupportedProtocolVersions,
            String sdkVersion, String authToken) implements Request {
        @Override
        public Operation operation() {
            return Operation.CONNECT;
        }
    }

    record CreateMessageStream(String requestId, StreamDefinitionDraft definition) implements Request {
        @Override
        public Operation operation() {
            return Operation.CREATE_MESSAGE_STREAM;
        }
    }

    record UpdateMessageStream(String requestId, StreamDefinitionDraft definition) implements Request {
        @Override
        public Operation operation() {
            return Operation.UPDATE_MESSAGE_STREAM;
        }
    }

    record DeleteMessageStream(String requestId, String name) implements Request {
        @Override
        public Operation operation() {
            return Operation.DELETE_MESSAGE_STREAM;
        }
    }

    record DescribeMessageStream(String requestId, String name) implements Request {
        @Override
        public Operation operation() {
            return Operation.DESCRIBE_MESSAGE_STREAM;
        }
    }

    /** {@code payload} is a read-only view; it may share the frame's bytes. */
    record AppendMessage(String requestId, String name, java.nio.ByteBuffer payload) implements Request {
        @Override
        public Operation operation() {
            return Operation.APPEND_MESSAGE;
        }
    }

    /** {@code options} is null when the client sent none (then start 0, min 1, max 1, no wait). */
    record ReadMessages(String requestId, String streamName, ReadMessagesOptions options) implements Request {
        @Override
        public Operation operation() {
            return Operation.READ_MESSAGES;
        }
    }

    record ListStreams(String requestId) implements Request {
        @Override
        public Operation operation() {
            return Operation.LIST_STREAMS;
        }
    }

    /** Protocol section 7.3; absent values take the defaults of section 12. */
    record ReadMessagesOptions(Long desiredStartSequenceNumber, Long minMessageCount, Long maxMessageCount,
            Long readTimeoutMillis) {

        public long start() {
            return desiredStartSequenceNumber == null ? 0 : desiredStartSequenceNumber;
        }

        public int min() {
            return minMessageCount == null ? 1 : minMessageCount.intValue();
        }

        /** Absent means the same as the minimum. */
        public int max() {
            return maxMessageCount == null ? min() : maxMessageCount.intValue();
        }

        public long timeoutMillis() {
            return readTimeoutMillis == null ? 0 : readTimeoutMillis;
        }
    }

    // ------------------------------------------------------------------ edgestream extensions (ipc/EXTENSIONS.md)

    /** A request of an extension operation: it names a stream, in the default namespace unless it names another. */
    sealed interface Extension extends Request {
        String streamName();

        /** Null for the default namespace. */
        String namespace();
    }

    /**
     * One of the protocol's own requests (DescribeMessageStream, UpdateMessageStream, ListStreams) on the streams of
     * another namespace: {@code request} decoded as the protocol's, {@code namespace} from the same map (null only in
     * an invalid request). Its operation is the extension's ({@link Operation#DESCRIBE_IN_NAMESPACE}, ...).
     */
    record InNamespace(String namespace, Request request) implements Request {
        public InNamespace {
            java.util.Objects.requireNonNull(request, "request");
        }

        @Override
        public String requestId() {
            return request.requestId();
        }

        @Override
        public Operation operation() {
            return switch (request.operation()) {
                case DESCRIBE_MESSAGE_STREAM -> Operation.DESCRIBE_IN_NAMESPACE;
                case UPDATE_MESSAGE_STREAM -> Operation.UPDATE_IN_NAMESPACE;
                case LIST_STREAMS -> Operation.LIST_IN_NAMESPACE;
                default -> throw new IllegalStateException(request.operation() + " has no namespaced form");
            };
        }
    }

    /** One record of an {@link AppendBatch}; {@code timestampMicros} null for ingest time. */
    record BatchRecord(byte[] payload, Long timestampMicros, byte[] key, List<io.github.edgestream.core.model.Header>
            headers) {
    }

    /** {@code expectedNextSequenceNumber} and {@code fencingToken} null when the client set no such condition. */
    record AppendBatch(String requestId, String streamName, String namespace, List<BatchRecord> records,
            Long expectedNextSequenceNumber, String fencingToken, boolean strictTimestamps) implements Extension {
        @Override
        public Operation operation() {
            return Operation.APPEND_BATCH;
        }
    }

    /** {@code expectedFencingToken} null for an unconditional fence. */
    record Fence(String requestId, String streamName, String namespace, String fencingToken,
            String expectedFencingToken) implements Extension {
        @Override
        public Operation operation() {
            return Operation.FENCE;
        }
    }

    record Trim(String requestId, String streamName, String namespace, long sequenceNumber) implements Extension {
        @Override
        public Operation operation() {
            return Operation.TRIM;
        }
    }

    record SeekTime(String requestId, String streamName, String namespace, long timestampMicros)
            implements Extension {
        @Override
        public Operation operation() {
            return Operation.SEEK_TIME;
        }
    }

    record CommitCursor(String requestId, String streamName, String namespace, String cursorName, long position,
            long expectedGeneration) implements Extension {
        @Override
        public Operation operation() {
            return Operation.COMMIT_CURSOR;
        }
    }

    record ResetCursor(String requestId, String streamName, String namespace, String cursorName, long position)
            implements Extension {
        @Override
        public Operation operation() {
            return Operation.RESET_CURSOR;
        }
    }

    record ListCursors(String requestId, String streamName, String namespace) implements Extension {
        @Override
        public Operation operation() {
            return Operation.LIST_CURSORS;
        }
    }

    /**
     * Records with their timestamp, key and headers: ReadMessages' options, plus an optional end time
     * ({@code stopBeforeMicros}, null for none).
     */
    record ReadRecords(String requestId, String streamName, String namespace, ReadMessagesOptions options,
            Long stopBeforeMicros) implements Extension {
        @Override
        public Operation operation() {
            return Operation.READ_RECORDS;
        }
    }
}
