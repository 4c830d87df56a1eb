package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.model.ValidationProblem;
import io.github.edgestream.core.stream.RecordLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the requests of edgestream's extension operations (layouts in {@code ipc/EXTENSIONS.md}) into their
 * {@link Request} records, gathering every problem with the field's path, its value and the rule, as
 * {@link RequestDecoder} does for the protocol's own requests. Bounded: the frame's size limit applies before this
 * runs, and the parser's constraints ({@link Cbor#FACTORY}) bound every text.
 *
 * <p>Stateless and thread-safe.
 */
final class ExtensionDecoder {

    private static final ObjectMapper MAPPER = new ObjectMapper(Cbor.FACTORY);

    private ExtensionDecoder() {
    }

    /**
     * Most CBOR items (tokens) a request may hold before it is parsed into a tree: the tree costs tens of bytes per
     * item, so a frame of millions of tiny items must be refused before it is built. An AppendBatch of 1,000 records
     * with a few headers each needs tens of thousands; the others a handful.
     */
    static final int MAX_BATCH_ITEMS = 300_000;
    static final int MAX_OTHER_ITEMS = 1_000;

    /** A request with more CBOR items than its operation may need. */
    static final class TooManyItems extends IOException {
        final long limit;

        TooManyItems(long limit) {
            super("more than " + limit + " CBOR items");
            this.limit = limit;
        }
    }

    /**
     * Parses the payload into a tree, after counting its items in a streaming pass (no memory beyond the parser's):
     * a payload that is not one CBOR map, or holds more items than the operation may need, fails with an
     * IOException.
     */
    static JsonNode tree(Operation operation, byte[] payload) throws IOException {
        long limit = operation == Operation.APPEND_BATCH ? MAX_BATCH_ITEMS : MAX_OTHER_ITEMS;
        try (com.fasterxml.jackson.core.JsonParser counter = Cbor.FACTORY.createParser(payload)) {
            long items = 0;
            while (counter.nextToken() != null) {
                if (++items > limit) {
                    throw new TooManyItems(limit);
                }
            }
        }
        JsonNode root = MAPPER.readTree(payload);
        if (root == null || !root.isObject()) {
            throw new IOException("the payload is not a CBOR map");
        }
        return root;
    }

    static Request decode(Operation operation, JsonNode root, List<ValidationProblem> problems) {
        Fields in = new Fields(root, problems);
        String requestId = in.optionalText("requestId");
        String stream = in.streamName("streamName");
        String ns = in.namespace("namespace");
        if (ns != null && stream != null && StreamName.checkAny("streamName", stream).isEmpty()) {
            // a namespace's streams are named by the store's rule (an S2 stream may be "line-1/events")
            problems.removeIf(p -> p.field().equals("streamName") && p.rule().equals(StreamName.RULE));
        }
        return switch (operation) {
            case APPEND_BATCH -> new Request.AppendBatch(requestId, stream, ns, in.records("records"),
                    in.optionalLong("expectedNextSequenceNumber", 0), in.optionalText("fencingToken"),
                    in.flag("strictTimestamps"));
            case FENCE -> new Request.Fence(requestId, stream, ns, in.requiredText("fencingToken"),
                    in.optionalText("expectedFencingToken"));
            case TRIM -> new Request.Trim(requestId, stream, ns, in.requiredLong("sequenceNumber", 0));
            case SEEK_TIME -> new Request.SeekTime(requestId, stream, ns, in.requiredLong("timestampMicros", 0));
            case COMMIT_CURSOR -> new Request.CommitCursor(requestId, stream, ns, in.requiredText("cursorName"),
                    in.requiredLong("position", 0), in.requiredLong("expectedGeneration", 0));
            case RESET_CURSOR -> new Request.ResetCursor(requestId, stream, ns, in.requiredText("cursorName"),
                    in.requiredLong("position", 0));
            case LIST_CURSORS -> new Request.ListCursors(requestId, stream, ns);
            case READ_RECORDS -> new Request.ReadRecords(requestId, stream, ns, in.readOptions(),
                    in.optionalLong("stopBeforeMicros", 0));
            default -> throw new IllegalArgumentException(operation + " is not an extension request");
        };
    }

    /** Typed reads of one map's fields, each adding a problem (and returning null) when a value is wrong. */
    private static final class Fields {
        private final JsonNode root;
        private final List<ValidationProblem> problems;

        Fields(JsonNode root, List<ValidationProblem> problems) {
            this.root = root;
            this.problems = problems;
        }

        String optionalText(String field) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                problems.add(ValidationProblem.of(field, node.toString(), "be a text string"));
                return null;
            }
            return node.textValue();
        }

        String requiredText(String field) {
            String text = optionalText(field);
            if (text == null && !problems.stream().anyMatch(p -> p.field().equals(field))) {
                problems.add(ValidationProblem.missing(field));
            }
            return text;
        }

        String streamName(String field) {
            String name = requiredText(field);
            if (name != null) {
                StreamName.check(field, name).ifPresent(problems::add);
            }
            return name;
        }

        String namespace(String field) {
            String value = optionalText(field);
            if (value != null) {
                Namespace.check(field, value).ifPresent(problems::add);
            }
            return value;
        }

        /** ReadMessages' option fields, at the top level of a ReadRecords request, checked as ReadMessages checks. */
        Request.ReadMessagesOptions readOptions() {
            Long start = optionalLong("desiredStartSequenceNumber", 0);
            Long min = optionalLong("minMessageCount", 1);
            Long max = optionalLong("maxMessageCount", 1);
            Long timeout = optionalLong("readTimeoutMillis", 0);
            if (min != null && min > Integer.MAX_VALUE) {
                problems.add(ValidationProblem.of("minMessageCount", min, "be at most " + Integer.MAX_VALUE));
            }
            if (max != null && max > Integer.MAX_VALUE) {
                problems.add(ValidationProblem.of("maxMessageCount", max, "be at most " + Integer.MAX_VALUE));
            }
            if (timeout != null && timeout > RequestDecoder.MAX_READ_TIMEOUT_MILLIS) {
                problems.add(ValidationProblem.of("readTimeoutMillis", timeout, "be at most "
                        + RequestDecoder.MAX_READ_TIMEOUT_MILLIS));
            }
            if (min != null && max != null && max < min) {
                problems.add(ValidationProblem.of("maxMessageCount", max, "be at least minMessageCount (" + min
                        + ")"));
            }
            return new Request.ReadMessagesOptions(start, min, max, timeout);
        }

        Long optionalLong(String field, long min) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.longValue() < min) {
                problems.add(ValidationProblem.of(field, node.toString(), "be a whole number of at least " + min));
                return null;
            }
            return node.longValue();
        }

        long requiredLong(String field, long min) {
            Long value = optionalLong(field, min);
            if (value == null) {
                if (!problems.stream().anyMatch(p -> p.field().equals(field))) {
                    problems.add(ValidationProblem.missing(field));
                }
                return 0;
            }
            return value;
        }

        boolean flag(String field) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                return false;
            }
            if (!node.isBoolean()) {
                problems.add(ValidationProblem.of(field, node.toString(), "be true or false"));
                return false;
            }
            return node.booleanValue();
        }

        List<Request.BatchRecord> records(String field) {
            JsonNode list = root.get(field);
            if (list == null || !list.isArray()) {
                problems.add(list == null ? ValidationProblem.missing(field)
                        : ValidationProblem.of(field, list.getNodeType(), "be an array of records"));
                return List.of();
            }
            if (list.isEmpty() || list.size() > RecordLimits.MAX_BATCH_RECORDS) {
                problems.add(ValidationProblem.of(field, list.size() + " records",
                        "hold 1 to " + RecordLimits.MAX_BATCH_RECORDS + " records"));
                return List.of();
            }
            List<Request.BatchRecord> records = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                records.add(record(field + "[" + i + "]", list.get(i)));
            }
            return records;
        }

        private Request.BatchRecord record(String path, JsonNode node) {
            if (!node.isObject()) {
                problems.add(ValidationProblem.of(path, node.getNodeType(), "be a map"));
                return new Request.BatchRecord(new byte[0], null, new byte[0], List.of());
            }
            Fields record = new Fields(node, new ArrayList<>());
            byte[] payload = record.bytes("payload", true);
            Long timestamp = record.optionalLong("timestampMicros", 0);
            byte[] key = record.bytes("key", false);
            List<Header> headers = record.headers("headers");
            for (ValidationProblem problem : record.problems) {
                problems.add(new ValidationProblem(path + "." + problem.field(), problem.value(), problem.rule()));
            }
            return new Request.BatchRecord(payload, timestamp, key, headers);
        }

        byte[] bytes(String field, boolean required) {
            JsonNode node = root.get(field);
            if (node == null || node.isNull()) {
                if (required) {
                    problems.add(ValidationProblem.missing(field));
                }
                return new byte[0];
            }
            if (!node.isBinary()) {
                problems.add(ValidationProblem.of(field, node.getNodeType(), "be a byte string"));
                return new byte[0];
            }
            try {
                return node.binaryValue();
            } catch (IOException e) {
                throw new IllegalStateException("a binary node always has its bytes", e);
            }
        }

        List<Header> headers(String field) {
            JsonNode list = root.get(field);
            if (list == null || list.isNull()) {
                return List.of();
            }
            if (!list.isArray() || list.size() > RecordLimits.MAX_HEADERS) {
                problems.add(ValidationProblem.of(field, list.isArray() ? list.size() + " headers" : list.getNodeType(),
                        "be an array of at most " + RecordLimits.MAX_HEADERS + " {name, value} maps"));
                return List.of();
            }
            List<Header> headers = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Fields header = new Fields(list.get(i), problems);
                if (!list.get(i).isObject()) {
                    problems.add(ValidationProblem.of(field + "[" + i + "]", list.get(i).getNodeType(), "be a map"));
                    continue;
                }
                headers.add(new Header(header.bytes("name", true), header.bytes("value", true)));
            }
            return headers;
        }
    }
}
