package io.github.edgestream.ipc.wire;

import io.github.edgestream.core.export.ExportStatus;
import java.util.List;

/**
 * A response as a client receives it (protocol sections 4 and 7.1), decoded by {@link ResponseDecoder}. The body
 * fields are absent ({@code null}) unless {@code status} is {@link ResponseStatus#SUCCESS}.
 */
public sealed interface Response {

    String requestId();

    ResponseStatus status();

    /** Present when the request failed. */
    String errorMessage();

    record Connect(String requestId, ResponseStatus status, String errorMessage, String protocolVersion,
            List<String> supportedProtocolVersions, String serverVersion, String clientIdentifier)
            implements Response {
    }

    /** Create, update and delete, every failure, and the answer to an unknown operation. */
    record Status(Operation operation, String requestId, ResponseStatus status, String errorMessage)
            implements Response {
    }

    record Appended(String requestId, ResponseStatus status, String errorMessage, Long sequenceNumber)
            implements Response {
    }

    record Messages(String requestId, ResponseStatus status, String errorMessage, List<WireMessage> messages)
            implements Response {
    }

    record Streams(String requestId, ResponseStatus status, String errorMessage, List<String> streams)
            implements Response {
    }

    record Description(String requestId, ResponseStatus status, String errorMessage, StreamDescription info)
            implements Response {
    }

    /** A message as the wire carries it, with its stream's name. */
    record WireMessage(String streamName, long sequenceNumber, long ingestTime, byte[] payload) {
    }

    /** {@code MessageStreamInfo}: definition, storage status, export statuses. */
    record StreamDescription(StreamDefinitionDraft definition, long oldestSequenceNumber, long newestSequenceNumber,
            long totalBytes, List<ExportStatus> exportStatuses) {
    }

    /** The answer to an extension operation: its fields besides requestId, status and errorMessage, as decoded. */
    record Extension(Operation operation, String requestId, ResponseStatus status, String errorMessage,
            java.util.Map<String, Object> body) implements Response {

        public long longField(String name) {
            Object value = body.get(name);
            if (!(value instanceof Number number)) {
                throw new IllegalStateException(operation + " has no whole number " + name + ": " + value);
            }
            return number.longValue();
        }

        public String textField(String name) {
            Object value = body.get(name);
            return value == null ? null : value.toString();
        }
    }
}
