package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.github.edgestream.core.export.ExportStatus;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.ipc.codec.FrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes the server's responses (protocol sections 4 and 7.1) as whole frames, one buffer each.
 *
 * <p>Every map is definite-length and its keys come in the SDKs' order; absent values are omitted, never null;
 * lists on success are sent even when empty; integers use their shortest CBOR form; payloads are byte strings. With
 * that, a response to the JavaScript client is byte for byte what the protocol's worked examples show (section 16):
 * {@code {requestId:"req-1", status:0, sequenceNumber:0}} encodes to
 * {@code 0000002a 09 a3 69 72657175657374 4964 65 7265712d31 66 737461747573 00 6e 73657175656e63654e756d626572 00}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ResponseEncoder {

    public static final String PROTOCOL_VERSION = "1.1.0";
    public static final List<String> SUPPORTED_PROTOCOL_VERSIONS = List.of("1.1.0", "1.0.0");

    /** CBOR bytes a {@code Message} costs in a read response beyond its payload and stream name (generous). */
    public static final int MESSAGE_OVERHEAD = 80;

    private ResponseEncoder() {
    }

    @FunctionalInterface
    private interface Body {
        void write(CBORGenerator out) throws IOException;
    }

    private static FrameWriter.PayloadWriter cbor(Body body) {
        return (OutputStream stream) -> {
            try (CBORGenerator out = Cbor.FACTORY.createGenerator(stream)) {
                body.write(out);
            }
        };
    }

    /** The handshake's answer, preceded by the preamble byte. {@code protocolVersion} null on failure. */
    public static ByteBuf connectResponse(ByteBufAllocator allocator, String requestId, ResponseStatus status,
            String errorMessage, String protocolVersion, String serverVersion, String clientIdentifier) {
        return FrameWriter.preambleAndFrame(allocator, Operation.CONNECT_RESPONSE.code(), cbor(out -> {
            out.writeStartObject(null, 2 + DefinitionCodec.count(errorMessage, protocolVersion) + 3);
            out.writeStringField("requestId", requestId);
            status(out, status);
            DefinitionCodec.field(out, "errorMessage", errorMessage);
            DefinitionCodec.field(out, "protocolVersion", protocolVersion);
            out.writeFieldName("supportedProtocolVersions");
            out.writeStartArray(null, SUPPORTED_PROTOCOL_VERSIONS.size());
            for (String version : SUPPORTED_PROTOCOL_VERSIONS) {
                out.writeString(version);
            }
            out.writeEndArray();
            out.writeStringField("serverVersion", serverVersion);
            out.writeStringField("clientIdentifier", clientIdentifier);
            out.writeEndObject();
        }));
    }

    /**
     * A response with only a status: success of create, update and delete, and every failure ({@code errorMessage}
     * required then).
     */
    public static ByteBuf status(ByteBufAllocator allocator, Operation response, String requestId,
            ResponseStatus status, String errorMessage) {
        return FrameWriter.frame(allocator, response.code(), cbor(out -> {
            out.writeStartObject(null, 2 + DefinitionCodec.count(errorMessage));
            out.writeStringField("requestId", requestId);
            status(out, status);
            DefinitionCodec.field(out, "errorMessage", errorMessage);
            out.writeEndObject();
        }));
    }

    private static final byte[] REQUEST_ID = "requestId".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS = "status".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQUENCE_NUMBER = "sequenceNumber".getBytes(StandardCharsets.US_ASCII);

    /**
     * The most frequent response, written by hand (no generator): {@code a3 | 69 "requestId" | text | 66 "status" |
     * 00 | 6e "sequenceNumber" | uint}, the bytes of the protocol's worked example.
     */
    public static ByteBuf appended(ByteBufAllocator allocator, String requestId, long sequenceNumber) {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = allocator.buffer(48 + id.length);
        out.writeInt(0);
        out.writeByte(Operation.APPEND_MESSAGE_RESPONSE.code());
        out.writeByte(0xa3);
        head(out, 3, REQUEST_ID.length);
        out.writeBytes(REQUEST_ID);
        head(out, 3, id.length);
        out.writeBytes(id);
        head(out, 3, STATUS.length);
        out.writeBytes(STATUS);
        out.writeByte(0x00);
        head(out, 3, SEQUENCE_NUMBER.length);
        out.writeBytes(SEQUENCE_NUMBER);
        head(out, 0, sequenceNumber);
        out.setInt(0, out.writerIndex() - 4);
        return out;
    }

    /** A CBOR head: major type and its argument in the shortest form. */
    private static void head(ByteBuf out, int major, long value) {
        int type = major << 5;
        if (value < 24) {
            out.writeByte(type | (int) value);
        } else if (value < 0x100) {
            out.writeByte(type | 24).writeByte((int) value);
        } else if (value < 0x10000) {
            out.writeByte(type | 25).writeShort((int) value);
        } else if (value < 0x1_0000_0000L) {
            out.writeByte(type | 26).writeInt((int) value);
        } else {
            out.writeByte(type | 27).writeLong(value);
        }
    }

    public static ByteBuf messages(ByteBufAllocator allocator, String requestId, StreamName stream,
            List<Message> messages) {
        return FrameWriter.frame(allocator, Operation.READ_MESSAGES_RESPONSE.code(), cbor(out -> {
            out.writeStartObject(null, 3);
            out.writeStringField("requestId", requestId);
            out.writeFieldName("messages");
            out.writeStartArray(messages, messages.size());
            for (Message message : messages) {
                out.writeStartObject(message, 4);
                out.writeStringField("streamName", stream.value());
                out.writeFieldName("sequenceNumber");
                out.writeNumber(message.sequenceNumber());
                out.writeFieldName("ingestTime");
                out.writeNumber(message.ingestTimeEpochMillis());
                out.writeFieldName("payload");
                out.writeBinary(message.payload());
                out.writeEndObject();
            }
            out.writeEndArray();
            status(out, ResponseStatus.SUCCESS);
            out.writeEndObject();
        }));
    }

    public static ByteBuf streams(ByteBufAllocator allocator, String requestId, List<StreamName> names) {
        return streams(allocator, Operation.LIST_STREAMS_RESPONSE, requestId, names);
    }

    /** ListStreams' response fields, under {@code response} (op 12, or 85 for another namespace). */
    public static ByteBuf streams(ByteBufAllocator allocator, Operation response, String requestId,
            List<StreamName> names) {
        return FrameWriter.frame(allocator, response.code(), cbor(out -> {
            out.writeStartObject(null, 3);
            out.writeStringField("requestId", requestId);
            status(out, ResponseStatus.SUCCESS);
            out.writeFieldName("streams");
            out.writeStartArray(names, names.size());
            for (StreamName name : names) {
                out.writeString(name.value());
            }
            out.writeEndArray();
            out.writeEndObject();
        }));
    }

    /** {@code messageStreamInfo}: definition, storage status (all three numbers, even for an empty stream), exports. */
    public static ByteBuf description(ByteBufAllocator allocator, String requestId, StreamInfo info,
            List<ExportStatus> exportStatuses) {
        return description(allocator, Operation.DESCRIBE_MESSAGE_STREAM_RESPONSE, requestId, info, exportStatuses);
    }

    /** DescribeMessageStream's response fields, under {@code response} (op 14, or 81 for another namespace). */
    public static ByteBuf description(ByteBufAllocator allocator, Operation response, String requestId,
            StreamInfo info, List<ExportStatus> exportStatuses) {
        return FrameWriter.frame(allocator, response.code(), cbor(out -> {
            out.writeStartObject(null, 3);
            out.writeStringField("requestId", requestId);
            status(out, ResponseStatus.SUCCESS);
            out.writeFieldName("messageStreamInfo");
            out.writeStartObject(info, 3);
            out.writeFieldName("definition");
            DefinitionCodec.write(out, StreamDefinitionDraft.of(info.definition()));
            out.writeFieldName("storageStatus");
            out.writeStartObject(null, 3);
            out.writeFieldName("oldestSequenceNumber");
            out.writeNumber(info.oldestSequenceNumber());
            out.writeFieldName("newestSequenceNumber");
            out.writeNumber(info.newestSequenceNumber());
            out.writeFieldName("totalBytes");
            out.writeNumber(info.totalSize().bytes());
            out.writeEndObject();
            out.writeFieldName("exportStatuses");
            out.writeStartArray(exportStatuses, exportStatuses.size());
            for (ExportStatus status : exportStatuses) {
                exportStatus(out, status);
            }
            out.writeEndArray();
            out.writeEndObject();
            out.writeEndObject();
        }));
    }

    private static void exportStatus(CBORGenerator out, ExportStatus s) throws IOException {
        out.writeStartObject(s, 4 + (s.lastExportTime().isPresent() ? 1 : 0) + (s.errorMessage().isPresent() ? 1 : 0));
        out.writeStringField("exportConfigIdentifier", s.exportIdentifier());
        out.writeFieldName("lastExportedSequenceNumber");
        out.writeNumber(s.lastExportedSequenceNumber());
        if (s.lastExportTime().isPresent()) {
            out.writeFieldName("lastExportTime");
            out.writeNumber(s.lastExportTime().get().toEpochMilli());
        }
        if (s.errorMessage().isPresent()) {
            out.writeStringField("errorMessage", s.errorMessage().get());
        }
        out.writeFieldName("exportedBytesFromStream");
        out.writeNumber(s.exportedBytes());
        out.writeFieldName("exportedMessagesCount");
        out.writeNumber(s.exportedMessages());
        out.writeEndObject();
    }

    /** The answer to a frame whose operation is not a request: op 17, status 18. */
    public static ByteBuf unknownOperation(ByteBufAllocator allocator, String requestId, String errorMessage) {
        return status(allocator, Operation.UNKNOWN_OPERATION_ERROR, requestId, ResponseStatus.UNKNOWN_OPERATION,
                errorMessage);
    }

    private static void status(CBORGenerator out, ResponseStatus status) throws IOException {
        out.writeFieldName("status");
        out.writeNumber(status.code());
    }

    /**
     * The answer to an extension operation ({@code ipc/EXTENSIONS.md}): {@code requestId}, {@code status}, an
     * {@code errorMessage} if one is given, then the body's fields in their order (values as
     * {@link RequestEncoder#raw} takes them: texts, whole numbers, booleans, byte arrays, lists and maps).
     */
    public static ByteBuf extension(ByteBufAllocator allocator, Operation response, String requestId,
            ResponseStatus status, String errorMessage, java.util.Map<String, ?> body) {
        List<Object[]> fields = new java.util.ArrayList<>(body.size() + 3);
        fields.add(new Object[] {"requestId", requestId});
        fields.add(new Object[] {"status", (long) status.code()});
        if (errorMessage != null) {
            fields.add(new Object[] {"errorMessage", errorMessage});
        }
        body.forEach((name, value) -> fields.add(new Object[] {name, value}));
        return RequestEncoder.raw(allocator, response.code(), fields);
    }
}
