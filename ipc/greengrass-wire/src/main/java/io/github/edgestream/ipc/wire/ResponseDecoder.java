package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.edgestream.core.export.ExportStatus;
import io.github.edgestream.core.model.ValidationProblem;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes the server's responses, for our client and for tests that check what the server sends. Strict where the
 * official clients are strict: a response with a problem (a wrong type, a status outside section 9, a missing
 * {@code requestId}) is rejected as malformed, as the JavaScript and Python clients would crash on it. Stateless and
 * thread-safe.
 */
public final class ResponseDecoder {

    private ResponseDecoder() {
    }

    /** @throws MalformedRequestException if the payload is not a response the official clients could read */
    public static Response decode(Operation operation, byte[] payload) throws MalformedRequestException {
        if (operation.inDefaultNamespace().isPresent()) {
            // the protocol's own response fields, under the extension's code
            Response standard = decode(operation.inDefaultNamespace().get(), payload);
            return standard instanceof Response.Status status
                    ? new Response.Status(operation, status.requestId(), status.status(), status.errorMessage())
                    : standard;
        }
        if (operation.isExtension()) {
            return extension(operation, payload);
        }
        List<ValidationProblem> problems = new ArrayList<>();
        Fields f = new Fields();
        try (JsonParser parser = Cbor.FACTORY.createParser(payload)) {
            CborIn in = new CborIn(parser, problems);
            if (!in.start() || parser.currentToken() != JsonToken.START_OBJECT) {
                throw new MalformedRequestException(operation + " payload is not a CBOR map");
            }
            in.map("", (field, path) -> read(in, operation, field, path, f));
        } catch (IOException e) {
            throw new MalformedRequestException("cannot decode a " + operation + " payload: " + e.getMessage(), e);
        }
        if (f.requestId == null) {
            problems.add(ValidationProblem.missing("requestId"));
        }
        ResponseStatus status = f.status == null ? null : ResponseStatus.fromCode(f.status).orElse(null);
        if (status == null) {
            problems.add(ValidationProblem.of("status", f.status, "be one of the codes of protocol section 9"));
        }
        if (!problems.isEmpty()) {
            throw new MalformedRequestException("malformed " + operation + ": " + problems);
        }
        return switch (operation) {
            case CONNECT_RESPONSE -> new Response.Connect(f.requestId, status, f.errorMessage, f.protocolVersion,
                    f.strings, f.serverVersion, f.clientIdentifier);
            case APPEND_MESSAGE_RESPONSE -> new Response.Appended(f.requestId, status, f.errorMessage, f.sequence);
            case READ_MESSAGES_RESPONSE -> new Response.Messages(f.requestId, status, f.errorMessage,
                    f.messages == null ? null : List.copyOf(f.messages));
            case LIST_STREAMS_RESPONSE -> new Response.Streams(f.requestId, status, f.errorMessage, f.strings);
            case DESCRIBE_MESSAGE_STREAM_RESPONSE -> new Response.Description(f.requestId, status, f.errorMessage,
                    f.description);
            default -> new Response.Status(operation, f.requestId, status, f.errorMessage);
        };
    }

    private static final class Fields {
        String requestId;
        Long status;
        String errorMessage;
        String protocolVersion;
        String serverVersion;
        String clientIdentifier;
        List<String> strings;
        Long sequence;
        List<Response.WireMessage> messages;
        Response.StreamDescription description;
    }

    private static void read(CborIn in, Operation operation, String field, String path, Fields f) throws IOException {
        switch (field) {
            case "requestId" -> f.requestId = in.text(path);
            case "status" -> f.status = in.integer(path);
            case "errorMessage" -> f.errorMessage = in.text(path);
            case "protocolVersion" -> f.protocolVersion = in.text(path);
            case "serverVersion" -> f.serverVersion = in.text(path);
            case "clientIdentifier" -> f.clientIdentifier = in.text(path);
            case "supportedProtocolVersions", "streams" -> f.strings = in.textList(path);
            case "sequenceNumber" -> f.sequence = in.integer(path);
            case "messages" -> {
                f.messages = new ArrayList<>();
                in.array(path, (index, elementPath) -> f.messages.add(message(in, elementPath)));
            }
            case "messageStreamInfo" -> f.description = description(in, path);
            default -> in.skip();
        }
    }

    private static Response.WireMessage message(CborIn in, String path) throws IOException {
        String[] name = new String[1];
        long[] numbers = new long[2];
        byte[][] payload = new byte[1][];
        in.map(path, (field, fieldPath) -> {
            switch (field) {
                case "streamName" -> name[0] = in.text(fieldPath);
                case "sequenceNumber" -> numbers[0] = orZero(in.integer(fieldPath));
                case "ingestTime" -> numbers[1] = orZero(in.integer(fieldPath));
                case "payload" -> payload[0] = in.bytes(fieldPath);
                default -> in.skip();
            }
        });
        return new Response.WireMessage(name[0], numbers[0], numbers[1], payload[0]);
    }

    private static Response.StreamDescription description(CborIn in, String path) throws IOException {
        StreamDefinitionDraft[] definition = new StreamDefinitionDraft[1];
        long[] storage = {0, -1, 0};
        List<ExportStatus> exports = new ArrayList<>();
        in.map(path, (field, fieldPath) -> {
            switch (field) {
                case "definition" -> definition[0] = DefinitionCodec.read(in, fieldPath);
                case "storageStatus" -> in.map(fieldPath, (key, keyPath) -> {
                    switch (key) {
                        case "oldestSequenceNumber" -> storage[0] = orZero(in.integer(keyPath));
                        case "newestSequenceNumber" -> storage[1] = orZero(in.integer(keyPath));
                        case "totalBytes" -> storage[2] = orZero(in.integer(keyPath));
                        default -> in.skip();
                    }
                });
                case "exportStatuses" -> in.array(fieldPath, (index, elementPath) ->
                        exports.add(exportStatus(in, elementPath)));
                default -> in.skip();
            }
        });
        return new Response.StreamDescription(definition[0], storage[0], storage[1], storage[2], List.copyOf(exports));
    }

    private static ExportStatus exportStatus(CborIn in, String path) throws IOException {
        String[] texts = new String[2];
        Long[] numbers = new Long[4];
        in.map(path, (field, fieldPath) -> {
            switch (field) {
                case "exportConfigIdentifier" -> texts[0] = in.text(fieldPath);
                case "errorMessage" -> texts[1] = in.text(fieldPath);
                case "lastExportedSequenceNumber" -> numbers[0] = in.integer(fieldPath);
                case "lastExportTime" -> numbers[1] = in.integer(fieldPath);
                case "exportedBytesFromStream" -> numbers[2] = in.integer(fieldPath);
                case "exportedMessagesCount" -> numbers[3] = in.integer(fieldPath);
                default -> in.skip();
            }
        });
        return new ExportStatus(texts[0], orZero(numbers[0]),
                Optional.ofNullable(numbers[1]).map(Instant::ofEpochMilli), Optional.ofNullable(texts[1]),
                orZero(numbers[2]), orZero(numbers[3]));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper(Cbor.FACTORY);

    /** An extension response, decoded generically: the body as maps, lists, texts, numbers and byte arrays. */
    private static Response extension(Operation operation, byte[] payload) throws MalformedRequestException {
        java.util.Map<String, Object> body;
        try {
            body = MAPPER.readValue(payload, new com.fasterxml.jackson.core.type.TypeReference<
                    java.util.LinkedHashMap<String, Object>>() { });
        } catch (IOException | RuntimeException e) {
            throw new MalformedRequestException("cannot decode a " + operation + " payload: " + e.getMessage(), e);
        }
        Object requestId = body.remove("requestId");
        Object status = body.remove("status");
        Object errorMessage = body.remove("errorMessage");
        ResponseStatus code = status instanceof Number number ? ResponseStatus.fromCode(number.longValue())
                .orElse(null) : null;
        if (!(requestId instanceof String) || code == null) {
            throw new MalformedRequestException("malformed " + operation + ": requestId " + requestId + ", status "
                    + status);
        }
        return new Response.Extension(operation, (String) requestId, code,
                errorMessage == null ? null : errorMessage.toString(), java.util.Collections.unmodifiableMap(body));
    }
}
