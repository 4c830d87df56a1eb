package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.github.edgestream.ipc.codec.FrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.List;

/**
 * Encodes requests the way the official JavaScript client does (definite maps, the SDK's key order, absent values
 * left out), for our Java client, the CLI, tests and load generators. Stateless and thread-safe.
 */
public final class RequestEncoder {

    public static final String SDK_VERSION = "1.1.0";

    private RequestEncoder() {
    }

    @FunctionalInterface
    private interface Body {
        void write(CBORGenerator out) throws IOException;
    }

    private static ByteBuf frame(ByteBufAllocator allocator, Operation operation, boolean preamble, Body body) {
        FrameWriter.PayloadWriter payload = stream -> {
            try (CBORGenerator out = Cbor.FACTORY.createGenerator(stream)) {
                body.write(out);
            }
        };
        return preamble ? FrameWriter.preambleAndFrame(allocator, operation.code(), payload)
                : FrameWriter.frame(allocator, operation.code(), payload);
    }

    /** The preamble byte and the Connect request, in one buffer. {@code authToken} may be null. */
    public static ByteBuf connect(ByteBufAllocator allocator, String requestId, String authToken) {
        return frame(allocator, Operation.CONNECT, true, out -> {
            out.writeStartObject(null, 4 + (authToken == null ? 0 : 1));
            out.writeStringField("requestId", requestId);
            out.writeStringField("protocolVersion", ResponseEncoder.PROTOCOL_VERSION);
            out.writeFieldName("otherSupportedProtocolVersions");
            out.writeStartArray(null, 1);
            out.writeString("1.0.0");
            out.writeEndArray();
            out.writeStringField("sdkVersion", SDK_VERSION);
            if (authToken != null) {
                out.writeStringField("authToken", authToken);
            }
            out.writeEndObject();
        });
    }

    public static ByteBuf createMessageStream(ByteBufAllocator allocator, String requestId,
            StreamDefinitionDraft definition) {
        return definitionRequest(allocator, Operation.CREATE_MESSAGE_STREAM, requestId, definition);
    }

    public static ByteBuf updateMessageStream(ByteBufAllocator allocator, String requestId,
            StreamDefinitionDraft definition) {
        return definitionRequest(allocator, Operation.UPDATE_MESSAGE_STREAM, requestId, definition);
    }

    private static ByteBuf definitionRequest(ByteBufAllocator allocator, Operation operation, String requestId,
            StreamDefinitionDraft definition) {
        return frame(allocator, operation, false, out -> {
            out.writeStartObject(null, 2);
            out.writeStringField("requestId", requestId);
            out.writeFieldName("definition");
            DefinitionCodec.write(out, definition);
            out.writeEndObject();
        });
    }

    /** UpdateMessageStream's fields plus {@code namespace} (op 82, {@code ipc/EXTENSIONS.md}). */
    public static ByteBuf updateInNamespace(ByteBufAllocator allocator, String requestId, String namespace,
            StreamDefinitionDraft definition) {
        return frame(allocator, Operation.UPDATE_IN_NAMESPACE, false, out -> {
            out.writeStartObject(null, 3);
            out.writeStringField("requestId", requestId);
            out.writeStringField("namespace", namespace);
            out.writeFieldName("definition");
            DefinitionCodec.write(out, definition);
            out.writeEndObject();
        });
    }

    /** DescribeMessageStream's fields plus {@code namespace} (op 80). */
    public static ByteBuf describeInNamespace(ByteBufAllocator allocator, String requestId, String namespace,
            String name) {
        return frame(allocator, Operation.DESCRIBE_IN_NAMESPACE, false, out -> {
            out.writeStartObject(null, 3);
            out.writeStringField("requestId", requestId);
            out.writeStringField("namespace", namespace);
            out.writeStringField("name", name);
            out.writeEndObject();
        });
    }

    /** ListStreams' fields plus {@code namespace} (op 84). */
    public static ByteBuf listInNamespace(ByteBufAllocator allocator, String requestId, String namespace) {
        return frame(allocator, Operation.LIST_IN_NAMESPACE, false, out -> {
            out.writeStartObject(null, 2);
            out.writeStringField("requestId", requestId);
            out.writeStringField("namespace", namespace);
            out.writeEndObject();
        });
    }

    public static ByteBuf deleteMessageStream(ByteBufAllocator allocator, String requestId, String name) {
        return nameRequest(allocator, Operation.DELETE_MESSAGE_STREAM, requestId, name);
    }

    public static ByteBuf describeMessageStream(ByteBufAllocator allocator, String requestId, String name) {
        return nameRequest(allocator, Operation.DESCRIBE_MESSAGE_STREAM, requestId, name);
    }

    private static ByteBuf nameRequest(ByteBufAllocator allocator, Operation operation, String requestId,
            String name) {
        return frame(allocator, operation, false, out -> {
            out.writeStartObject(null, 2);
            out.writeStringField("requestId", requestId);
            out.writeStringField("name", name);
            out.writeEndObject();
        });
    }

    public static ByteBuf appendMessage(ByteBufAllocator allocator, String requestId, String name, byte[] payload) {
        return frame(allocator, Operation.APPEND_MESSAGE, false, out -> {
            out.writeStartObject(null, 3);
            out.writeStringField("requestId", requestId);
            out.writeStringField("name", name);
            out.writeFieldName("payload");
            out.writeBinary(payload);
            out.writeEndObject();
        });
    }

    /** {@code options} null sends none (the server's defaults apply). */
    public static ByteBuf readMessages(ByteBufAllocator allocator, String requestId, String streamName,
            Request.ReadMessagesOptions options) {
        return frame(allocator, Operation.READ_MESSAGES, false, out -> {
            out.writeStartObject(null, options == null ? 2 : 3);
            out.writeStringField("requestId", requestId);
            out.writeStringField("streamName", streamName);
            if (options != null) {
                out.writeFieldName("readMessagesOptions");
                out.writeStartObject(options, DefinitionCodec.count(options.desiredStartSequenceNumber(),
                        options.minMessageCount(), options.maxMessageCount(), options.readTimeoutMillis()));
                DefinitionCodec.field(out, "desiredStartSequenceNumber", options.desiredStartSequenceNumber());
                DefinitionCodec.field(out, "minMessageCount", options.minMessageCount());
                DefinitionCodec.field(out, "maxMessageCount", options.maxMessageCount());
                DefinitionCodec.field(out, "readTimeoutMillis", options.readTimeoutMillis());
                out.writeEndObject();
            }
            out.writeEndObject();
        });
    }

    public static ByteBuf listStreams(ByteBufAllocator allocator, String requestId) {
        return frame(allocator, Operation.LIST_STREAMS, false, out -> {
            out.writeStartObject(null, 1);
            out.writeStringField("requestId", requestId);
            out.writeEndObject();
        });
    }

    /**
     * For tests and fuzzing: any fields, as given, in one definite map. Values may be strings, whole numbers,
     * doubles, booleans, byte arrays, lists and maps of those.
     */
    public static ByteBuf raw(ByteBufAllocator allocator, int operation, List<Object[]> fields) {
        return FrameWriter.frame(allocator, operation, stream -> {
            try (CBORGenerator out = Cbor.FACTORY.createGenerator(stream)) {
                out.writeStartObject(null, fields.size());
                for (Object[] field : fields) {
                    out.writeFieldName((String) field[0]);
                    writeValue(out, field[1]);
                }
                out.writeEndObject();
            }
        });
    }

    private static void writeValue(CBORGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Double || value instanceof Float) {
            out.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof java.math.BigInteger big) {
            out.writeNumber(big);
        } else if (value instanceof Number number) {
            out.writeNumber(number.longValue());
        } else if (value instanceof Boolean flag) {
            out.writeBoolean(flag);
        } else if (value instanceof byte[] bytes) {
            out.writeBinary(bytes);
        } else if (value instanceof List<?> list) {
            out.writeStartArray(list, list.size());
            for (Object element : list) {
                writeValue(out, element);
            }
            out.writeEndArray();
        } else if (value instanceof java.util.Map<?, ?> map) {
            out.writeStartObject(map, map.size());
            for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
                out.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(out, entry.getValue());
            }
            out.writeEndObject();
        } else {
            throw new IllegalArgumentException("cannot encode " + value.getClass());
        }
    }
}
