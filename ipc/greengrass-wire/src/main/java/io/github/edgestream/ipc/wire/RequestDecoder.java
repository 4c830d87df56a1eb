package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.model.ValidationProblem;
import io.github.edgestream.ipc.codec.RequestIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decodes and checks the requests of protocol section 7.1 in every CBOR form the official clients emit. The server
 * trusts nothing: types, required fields, name patterns and every range of section 7 are checked here, and all
 * problems of a request are collected. Stateless and thread-safe.
 */
public final class RequestDecoder {

    static final long MAX_READ_TIMEOUT_MILLIS = 9_223_372_036_854L;

    private RequestDecoder() {
    }

    /**
     * @throws MalformedRequestException if the payload is not a CBOR map with a text {@code requestId} (then nobody
     *                                   can be answered)
     */
    public static DecodedRequest decode(Operation operation, byte[] payload) throws MalformedRequestException {
        if (operation != Operation.CONNECT && !operation.isRequest()) {
            throw new IllegalArgumentException(operation + " is not a request");
        }
        List<ValidationProblem> problems = new ArrayList<>();
        if (operation.inDefaultNamespace().isPresent()) {
            return decodeInNamespace(operation.inDefaultNamespace().get(), payload);
        }
        if (operation.isExtension()) {
            return decodeExtension(operation, payload, problems);
        }
        Request request;
        JsonParser parser;
        try {
            parser = Cbor.FACTORY.createParser(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: the parser reads an array in memory
        }
        try (parser) {
            CborIn in = new CborIn(parser, problems);
            if (!in.start() || parser.currentToken() != JsonToken.START_OBJECT) {
                throw new MalformedRequestException("the payload of a " + operation + " frame is not a CBOR map");
            }
            request = switch (operation) {
                case CONNECT -> connect(in);
                case CREATE_MESSAGE_STREAM -> {
                    Fields f = definitionRequest(in);
                    yield new Request.CreateMessageStream(f.requestId, f.definition);
                }
                case UPDATE_MESSAGE_STREAM -> {
                    Fields f = definitionRequest(in);
                    yield new Request.UpdateMessageStream(f.requestId, f.definition);
                }
                case DELETE_MESSAGE_STREAM -> {
                    Fields f = nameRequest(in, "name");
                    yield new Request.DeleteMessageStream(f.requestId, f.name);
                }
                case DESCRIBE_MESSAGE_STREAM -> {
                    Fields f = nameRequest(in, "name");
                    yield new Request.DescribeMessageStream(f.requestId, f.name);
                }
                case APPEND_MESSAGE -> append(in);
                case READ_MESSAGES -> read(in);
                case LIST_STREAMS -> new Request.ListStreams(requestIdOnly(in).requestId);
                default -> throw new AssertionError(operation);
            };
            if (parser.nextToken() != null) {
                problems.add(new ValidationProblem("payload", "more than one CBOR data item", "be one map"));
            }
        } catch (StreamConstraintsException e) {
            return tooLong(operation, payload, pathOf(parser.getParsingContext()), e);
        } catch (IOException | RuntimeException e) {
            return malformed(operation, payload, e);
        }
        return checked(operation, request, problems);
    }

    /**
     * One of the protocol's requests on another namespace: decoded as the protocol's own (which skips fields it does
     * not know), then its top-level {@code namespace} read, required and checked.
     */
    private static DecodedRequest decodeInNamespace(Operation standard, byte[] payload)
            throws MalformedRequestException {
        DecodedRequest decoded = decode(standard, payload);
        List<ValidationProblem> problems = new ArrayList<>(decoded.problems());
        String namespace = null;
        boolean seen = false;
        try (JsonParser parser = Cbor.FACTORY.createParser(payload)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals("namespace") && !seen) {
                        seen = true;
                        if (value == JsonToken.VALUE_STRING) {
                            namespace = parser.getText();
                        } else {
                            problems.add(ValidationProblem.of("namespace", String.valueOf(value), "be a text string"));
                        }
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException malformed) {
            // the protocol's decoder has reported the payload as malformed already
        }
        // a namespace's streams are named by the store's rule (an S2 stream may be "line-1/events"): the portable
        // rule's complaint about the name is dropped when the store's rule takes the name
        String name = decoded.request() instanceof Request.DescribeMessageStream d ? d.name()
                : decoded.request() instanceof Request.UpdateMessageStream u && u.definition() != null
                        ? u.definition().name() : null;
        if (name != null && StreamName.checkAny("name", name).isEmpty()) {
            problems.removeIf(p -> (p.field().equals("name") || p.field().equals("definition.name"))
                    && p.rule().equals(StreamName.RULE));
        }
        if (!seen) {
            problems.add(ValidationProblem.missing("namespace"));
        } else if (namespace != null) {
            io.github.edgestream.core.model.Namespace.check("namespace", namespace).ifPresent(problems::add);
        }
        return new DecodedRequest(new Request.InNamespace(namespace, decoded.request()), List.copyOf(problems));
    }

    /** A payload that is no well-formed CBOR map: answered as invalid if its request id can be read. */
    private static DecodedRequest malformed(Operation operation, byte[] payload, Exception e)
            throws MalformedRequestException {
        String requestId = RequestIds.find(payload).orElseThrow(() ->
                new MalformedRequestException("cannot decode a " + operation + " payload and find its requestId: "
                        + e.getMessage(), e));
        return new DecodedRequest(placeholder(operation, requestId),
                List.of(new ValidationProblem("payload", "malformed CBOR",
                        "be one well-formed CBOR map (" + firstLine(e.getMessage()) + ")")));
    }

    /** A decoded request with its problems, once it is known to carry a request id. */
    private static DecodedRequest checked(Operation operation, Request request, List<ValidationProblem> problems)
            throws MalformedRequestException {
        if (request.requestId() == null) {
            throw new MalformedRequestException("a " + operation + " request has no text requestId");
        }
        checkRequestId(request.requestId(), problems);
        return new DecodedRequest(request, List.copyOf(problems));
    }

    private static DecodedRequest decodeExtension(Operation operation, byte[] payload, List<ValidationProblem> problems)
            throws MalformedRequestException {
        Request request;
        try {
            request = ExtensionDecoder.decode(operation, ExtensionDecoder.tree(operation, payload), problems);
        } catch (ExtensionDecoder.TooManyItems e) {
            String requestId = RequestIds.find(payload).orElseThrow(() -> new MalformedRequestException(
                    "a " + operation + " request holds " + e.getMessage() + " and has no readable requestId", e));
            return new DecodedRequest(placeholder(operation, requestId), List.of(new ValidationProblem("payload",
                    e.getMessage(), "hold at most " + e.limit + " CBOR items (values, keys, array and map marks)")));
        } catch (StreamConstraintsException e) {
            String requestId = RequestIds.find(payload).orElseThrow(() -> new MalformedRequestException(
                    "a " + operation + " request breaks the parser's limits and has no readable requestId", e));
            return new DecodedRequest(placeholder(operation, requestId), List.of(new ValidationProblem("payload",
                    "a value past the parser's limits", "keep texts under " + Cbor.MAX_TEXT_LENGTH + " characters ("
                    + firstLine(e.getMessage()) + ")")));
        } catch (IOException | RuntimeException e) {
            return malformed(operation, payload, e);
        }
        return checked(operation, request, problems);
    }

    /**
     * A value beyond the parser's limits ({@link Cbor#FACTORY}): answered as an invalid request naming the field and
     * the limit, if the request id can be read; else nobody can be answered.
     */
    private static DecodedRequest tooLong(Operation operation, byte[] payload, String field,
            StreamConstraintsException e) throws MalformedRequestException {
        String requestId = RequestIds.find(payload).orElseThrow(() -> new MalformedRequestException(
                "a " + operation + " request whose " + field + " is beyond the limits (" + firstLine(e.getMessage())
                        + ") and whose requestId cannot be read", e));
        String rule = switch (field.substring(field.lastIndexOf('.') + 1)) {
            case "name", "streamName", "statusStreamName", "identifier" -> "be 1 to 255 characters";
            case "requestId" -> "be 1 to 512 characters";
            default -> "be at most " + Cbor.MAX_TEXT_LENGTH + " characters, the limit of every text in a request";
        };
        String message = String.valueOf(e.getMessage());
        String value;
        if (message.startsWith("String value length")) {
            value = "a text longer than " + Cbor.MAX_TEXT_LENGTH + " characters";
        } else if (message.startsWith("Name length")) {
            value = "a map key longer than 1024 bytes";
            rule = "use the protocol's field names";
        } else {
            value = "beyond the server's limits (" + firstLine(message).replaceAll(", from `.*", ")") + ")";
            rule = "stay within the protocol's shapes";
        }
        return new DecodedRequest(placeholder(operation, requestId), List.of(new ValidationProblem(field, value,
                rule)));
    }

    /** {@code definition.exportDefinition.kinesis[0].identifier}, from where the parser stopped. */
    private static String pathOf(JsonStreamContext context) {
        List<JsonStreamContext> chain = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.add(0, c);
        }
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                path.append('[').append(Math.max(0, c.getCurrentIndex())).append(']');
            } else if (c.getCurrentName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(c.getCurrentName());
            }
        }
        return path.length() == 0 ? "payload" : path.toString();
    }

    /** Fields common to requests, gathered while reading. */
    private static final class Fields {
        String requestId;
        String name;
        StreamDefinitionDraft definition;
        boolean definitionPresent;
    }

    private static Request.Connect connect(CborIn in) throws IOException {
        String[] texts = new String[4];
        List<String> others = new ArrayList<>();
        in.map("", (field, path) -> {
            switch (field) {
                case "requestId" -> texts[0] = in.text(path);
                case "protocolVersion" -> texts[1] = in.text(path);
                case "sdkVersion" -> texts[2] = in.text(path);
                case "authToken" -> texts[3] = in.text(path);
                case "otherSupportedProtocolVersions" -> others.addAll(in.textList(path));
                default -> in.skip();
            }
        });
        return new Request.Connect(texts[0], texts[1], List.copyOf(others), texts[2], texts[3]);
    }

    private static Fields requestIdOnly(CborIn in) throws IOException {
        Fields f = new Fields();
        in.map("", (field, path) -> {
            if (field.equals("requestId")) {
                f.requestId = in.text(path);
            } else {
                in.skip();
            }
        });
        return f;
    }

    private static Fields nameRequest(CborIn in, String nameField) throws IOException {
        Fields f = new Fields();
        in.map("", (field, path) -> {
            if (field.equals("requestId")) {
                f.requestId = in.text(path);
            } else if (field.equals(nameField)) {
                f.name = in.text(path);
            } else {
                in.skip();
            }
        });
        checkName(nameField, f.name, in.problems());
        return f;
    }

    private static Fields definitionRequest(CborIn in) throws IOException {
        Fields f = new Fields();
        in.map("", (field, path) -> {
            switch (field) {
                case "requestId" -> f.requestId = in.text(path);
                case "definition" -> {
                    f.definitionPresent = true;
                    f.definition = DefinitionCodec.read(in, path);
                }
                default -> in.skip();
            }
        });
        if (!f.definitionPresent) {
            in.problems().add(ValidationProblem.missing("definition"));
        } else if (f.definition != null) {
            // problems of values that already had the wrong type are not repeated as "missing"
            Set<String> seen = in.problems().stream().map(ValidationProblem::field).collect(Collectors.toSet());
            for (ValidationProblem p : DefinitionDrafts.validate(f.definition)) {
                String field = "definition." + p.field();
                if (!seen.contains(field)) {
                    in.problems().add(new ValidationProblem(field, p.value(), p.rule()));
                }
            }
        }
        return f;
    }

    private static Request.AppendMessage append(CborIn in) throws IOException {
        String[] texts = new String[2];
        byte[][] payload = new byte[1][];
        boolean[] payloadPresent = new boolean[1];
        in.map("", (field, path) -> {
            switch (field) {
                case "requestId" -> texts[0] = in.text(path);
                case "name" -> texts[1] = in.text(path);
                case "payload" -> {
                    payloadPresent[0] = true;
                    payload[0] = in.bytes(path);
                }
                default -> in.skip();
            }
        });
        checkName("name", texts[1], in.problems());
        if (!payloadPresent[0]) {
            in.problems().add(ValidationProblem.missing("payload"));
        } else if (payload[0] != null && payload[0].length == 0) {
            in.problems().add(new ValidationProblem("payload", "an empty byte string", "hold at least 1 byte"));
        }
        return new Request.AppendMessage(texts[0], texts[1],
                payload[0] == null ? null : java.nio.ByteBuffer.wrap(payload[0]));
    }

    private static Request.ReadMessages read(CborIn in) throws IOException {
        String[] texts = new String[2];
        Request.ReadMessagesOptions[] options = new Request.ReadMessagesOptions[1];
        in.map("", (field, path) -> {
            switch (field) {
                case "requestId" -> texts[0] = in.text(path);
                case "streamName" -> texts[1] = in.text(path);
                case "readMessagesOptions" -> options[0] = readOptions(in, path);
                default -> in.skip();
            }
        });
        checkName("streamName", texts[1], in.problems());
        if (options[0] != null) {
            checkOptions(options[0], in.problems());
        }
        return new Request.ReadMessages(texts[0], texts[1], options[0]);
    }

    private static Request.ReadMessagesOptions readOptions(CborIn in, String path) throws IOException {
        Long[] values = new Long[4];
        boolean isMap = in.map(path, (field, fieldPath) -> {
            switch (field) {
                case "desiredStartSequenceNumber" -> values[0] = in.integer(fieldPath);
                case "minMessageCount" -> values[1] = in.integer(fieldPath);
                case "maxMessageCount" -> values[2] = in.integer(fieldPath);
                case "readTimeoutMillis" -> values[3] = in.integer(fieldPath);
                default -> in.skip();
            }
        });
        return isMap ? new Request.ReadMessagesOptions(values[0], values[1], values[2], values[3]) : null;
    }

    private static void checkOptions(Request.ReadMessagesOptions o, List<ValidationProblem> problems) {
        String prefix = "readMessagesOptions.";
        range(problems, prefix + "desiredStartSequenceNumber", o.desiredStartSequenceNumber(), 0, Long.MAX_VALUE);
        range(problems, prefix + "minMessageCount", o.minMessageCount(), 1, Integer.MAX_VALUE);
        range(problems, prefix + "maxMessageCount", o.maxMessageCount(), 1, Integer.MAX_VALUE);
        range(problems, prefix + "readTimeoutMillis", o.readTimeoutMillis(), 0, MAX_READ_TIMEOUT_MILLIS);
        if (o.minMessageCount() != null && o.maxMessageCount() != null
                && o.maxMessageCount() < o.minMessageCount() && o.maxMessageCount() >= 1) {
            problems.add(ValidationProblem.of(prefix + "maxMessageCount", o.maxMessageCount(),
                    "be at least minMessageCount (" + o.minMessageCount() + ")"));
        }
    }

    private static void checkName(String field, String name, List<ValidationProblem> problems) {
        boolean typeProblem = problems.stream().anyMatch(p -> p.field().equals(field));
        if (!typeProblem) {
            StreamName.check(field, name).ifPresent(problems::add);
        }
    }

    /** The SDKs' pattern for request ids: {@code ^[\w ,.\-_]*$}, at least one character (a lone space is fine). */
    private static void checkRequestId(String requestId, List<ValidationProblem> problems) {
        boolean valid = !requestId.isEmpty() && requestId.length() <= 512;
        for (int i = 0; valid && i < requestId.length(); i++) {
            char c = requestId.charAt(i);
            valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == ',' || c == ' ';
        }
        if (!valid) {
            problems.add(ValidationProblem.of("requestId", requestId,
                    "be 1 to 512 characters from A-Z a-z 0-9 _ - . , and space"));
        }
    }

    private static void range(List<ValidationProblem> problems, String field, Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            problems.add(ValidationProblem.of(field, value, "be between " + min + " and " + max));
        }
    }

    private static Request placeholder(Operation operation, String requestId) {
        return switch (operation) {
            case CONNECT -> new Request.Connect(requestId, null, List.of(), null, null);
            case CREATE_MESSAGE_STREAM -> new Request.CreateMessageStream(requestId, null);
            case UPDATE_MESSAGE_STREAM -> new Request.UpdateMessageStream(requestId, null);
            case DELETE_MESSAGE_STREAM -> new Request.DeleteMessageStream(requestId, null);
            case DESCRIBE_MESSAGE_STREAM -> new Request.DescribeMessageStream(requestId, null);
            case APPEND_MESSAGE -> new Request.AppendMessage(requestId, null, null);
            case READ_MESSAGES -> new Request.ReadMessages(requestId, null, null);
            case APPEND_BATCH -> new Request.AppendBatch(requestId, null, null, List.of(), null, null, false);
            case FENCE -> new Request.Fence(requestId, null, null, null, null);
            case TRIM -> new Request.Trim(requestId, null, null, 0);
            case SEEK_TIME -> new Request.SeekTime(requestId, null, null, 0);
            case COMMIT_CURSOR -> new Request.CommitCursor(requestId, null, null, null, 0, 0);
            case RESET_CURSOR -> new Request.ResetCursor(requestId, null, null, null, 0);
            case LIST_CURSORS -> new Request.ListCursors(requestId, null, null);
            case READ_RECORDS -> new Request.ReadRecords(requestId, null, null, null, null);
            default -> new Request.ListStreams(requestId);
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
