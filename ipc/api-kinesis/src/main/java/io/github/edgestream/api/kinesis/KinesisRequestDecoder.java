package io.github.edgestream.api.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Request bodies in both of the wire formats Kinesis clients send (parsed by the HTTP layer's bounded
 * {@link BodyCodecs}), into {@link Body} accessors that check types and
 * name the field of every problem:
 *
 * <ul>
 *   <li>AWS JSON 1.1 ({@code application/x-amz-json-1.1}; JS v3, boto3, the AWS CLI, Java with CBOR off):
 *       {@code Data} is base64 text, timestamps are epoch <b>seconds</b> (integers from boto3, fractions from
 *       Java);</li>
 *   <li>AWS CBOR 1.1 ({@code application/x-amz-cbor-1.1}; the Java v2 SDK's default): maps of indefinite length,
 *       {@code Data} a byte string, timestamps tag 1 with epoch <b>milliseconds</b>.</li>
 * </ul>
 *
 * Thread-safe.
 */
final class KinesisRequestDecoder {

    /** A body format, and the content type answers are sent with. */
    enum Format {
        JSON("application/x-amz-json-1.1"), CBOR("application/x-amz-cbor-1.1");

        final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }
    }

    private final ObjectMapper json = BodyCodecs.json();
    private final ObjectMapper cbor = BodyCodecs.cbor();

    /** The format of a request, by its content type; JSON when it has none. */
    static Format format(HttpCall call) {
        String type = call.headers().get("content-type");
        if (type == null) {
            return Format.JSON;
        }
        String base = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (base) {
            case "application/x-amz-cbor-1.1", "application/cbor" -> Format.CBOR;
            case "application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json" -> Format.JSON;
            default -> throw new KinesisException(KinesisErrorTable.SERIALIZATION, "Content-Type \"" + type
                    + "\" is not application/x-amz-json-1.1 or application/x-amz-cbor-1.1");
        };
    }

    /** One record of a PutRecords body as sent: the fields the tree path would read, not yet checked. */
    record RawRecord(String partitionKey, String explicitHashKey, byte[] data) {
    }

    /**
     * A PutRecords body, read straight from the parser: each record's {@code Data} is decoded from base64 (or taken
     * from the CBOR byte string) as it streams by, without building a tree of 500 strings of ~1.4 KB first. Only the
     * shape the SDKs send is taken this way; anything else (a wrong type, a null, more than 500 records, a body that
     * does not parse) goes the way of every other request, whose errors name the field.
     */
    Body decodePutRecords(HttpCall call, Format format) {
        Body fast = putRecordsFast(call, format);
        return fast != null ? fast : decode(call, format);
    }

    private Body putRecordsFast(HttpCall call, Format format) {
        ObjectMapper mapper = format == Format.CBOR ? cbor : json;
        com.fasterxml.jackson.databind.node.ObjectNode stream = json.createObjectNode();
        List<RawRecord> records = null;
        try (com.fasterxml.jackson.core.JsonParser parser = mapper.createParser(call.bodyStream())) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
                if (field.equals("Records")) {
                    if (value != com.fasterxml.jackson.core.JsonToken.START_ARRAY || records != null) {
                        return null;
                    }
                    records = new ArrayList<>();
                    while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                        RawRecord record = rawRecord(parser);
                        if (record == null || records.size() == RecordOperations.MAX_PUT_RECORDS) {
                            return null;
                        }
                        records.add(record);
                    }
                    if (parser.currentToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        return null;
                    }
                } else if (field.equals("StreamName") || field.equals("StreamARN")) {
                    if (value != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                        return null;
                    }
                    stream.put(field, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT
                    || parser.nextToken() != null || records == null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return new Body(format, stream, "", records);
    }

    /** One record object, the parser on its START_OBJECT; null if it is not the usual shape. */
    private static RawRecord rawRecord(com.fasterxml.jackson.core.JsonParser parser) throws IOException {
        String key = null;
        String hash = null;
        byte[] data = null;
        while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
            switch (field) {
                case "PartitionKey", "ExplicitHashKey" -> {
                    if (value != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                        return null;
                    }
                    if (field.equals("PartitionKey")) {
                        key = parser.getText();
                    } else {
                        hash = parser.getText();
                    }
                }
                case "Data" -> {
                    if (value != com.fasterxml.jackson.core.JsonToken.VALUE_STRING
                            && value != com.fasterxml.jackson.core.JsonToken.VALUE_EMBEDDED_OBJECT) {
                        return null;
                    }
                    if (value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                        try { // the JDK's decoder (vectorized on x86); anything it refuses goes the tree way
                            data = java.util.Base64.getDecoder().decode(parser.getText());
                        } catch (IllegalArgumentException notPlainBase64) {
                            return null;
                        }
                    } else {
                        data = parser.getBinaryValue();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return key == null || data == null ? null : new RawRecord(key, hash, data);
    }

    /**
     * @throws KinesisException SerializationException if the body is not one object in the format
     */
    Body decode(HttpCall call, Format format) {
        if (call.bodyLength() == 0) {
            return new Body(format, json.createObjectNode(), "");
        }
        JsonNode root;
        try {
            root = BodyCodecs.readTree(format == Format.CBOR ? cbor : json, call);
        } catch (IOException | RuntimeException e) {
            throw new KinesisException(KinesisErrorTable.SERIALIZATION, "the request body is not valid "
                    + format + ": " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new KinesisException(KinesisErrorTable.SERIALIZATION, "the request body must be one " + format
                    + " object");
        }
        return new Body(format, root, "");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.split("\n", 2)[0];
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** One object of a request, with typed accessors; {@code path} prefixes field names in errors. */
    static final class Body {
        private final Format format;
        private final JsonNode node;
        private final String path;
        private final List<RawRecord> rawRecords;

        Body(Format format, JsonNode node, String path) {
            this(format, node, path, null);
        }

        Body(Format format, JsonNode node, String path, List<RawRecord> rawRecords) {
            this.format = format;
            this.node = node;
            this.path = path;
            this.rawRecords = rawRecords;
        }

        /** The records of a PutRecords read by {@link #decodePutRecords}'s fast path; null if read as a tree. */
        List<RawRecord> rawRecords() {
            return rawRecords;
        }

        Format format() {
            return format;
        }

        private String field(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        private JsonNode value(String name) {
            JsonNode value = node.get(name);
            return value == null || value.isNull() ? null : value;
        }

        boolean has(String name) {
            return value(name) != null;
        }

        private KinesisException wrongType(String name, String expected) {
            return new KinesisException(KinesisErrorTable.SERIALIZATION, field(name) + " must be " + expected
                    + " but is " + value(name).getNodeType().name().toLowerCase(Locale.ROOT));
        }

        Optional<String> optString(String name) {
            JsonNode value = value(name);
            if (value == null) {
                return Optional.empty();
            }
            if (!value.isTextual()) {
                throw wrongType(name, "a string");
            }
            return Optional.of(value.textValue());
        }

        /** A required string of {@code min..max} characters. */
        String string(String name, int min, int max) {
            String value = optString(name).orElseThrow(() -> KinesisException.validation(field(name), "null",
                    "Member must not be null"));
            length(name, value, min, max);
            return value;
        }

        void length(String name, String value, int min, int max) {
            int length = value.codePointCount(0, value.length());
            if (length < min || length > max) {
                throw KinesisException.validation(field(name), value, "Member must have length "
                        + (min == max ? "equal to " + min : length < min ? "greater than or equal to " + min
                        : "less than or equal to " + max));
            }
        }

        /** An optional integer in {@code min..max}. */
        Optional<Integer> optInt(String name, int min, int max) {
            JsonNode value = value(name);
            if (value == null) {
                return Optional.empty();
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                if (value.isIntegralNumber()) {
                    throw KinesisException.validation(field(name), value.asText(), "Member must have value less"
                            + " than or equal to " + max);
                }
                throw wrongType(name, "an integer");
            }
            int number = value.intValue();
            if (number < min) {
                throw KinesisException.validation(field(name), number, "Member must have value greater than or"
                        + " equal to " + min);
            }
            if (number > max) {
                throw KinesisException.validation(field(name), number, "Member must have value less than or"
                        + " equal to " + max);
            }
            return Optional.of(number);
        }

        Optional<Boolean> optBoolean(String name) {
            JsonNode value = value(name);
            if (value == null) {
                return Optional.empty();
            }
            if (!value.isBoolean()) {
                throw wrongType(name, "a boolean");
            }
            return Optional.of(value.booleanValue());
        }

        /** A required blob: base64 text in JSON, a byte string in CBOR. */
        byte[] blob(String name) {
            JsonNode value = value(name);
            if (value == null) {
                throw KinesisException.validation(field(name), "null", "Member must not be null");
            }
            try {
                if (value.isBinary() || value.isTextual()) {
                    return value.binaryValue();
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new KinesisException(KinesisErrorTable.SERIALIZATION, field(name) + " is not valid base64");
            }
            throw wrongType(name, format == Format.JSON ? "base64 text" : "a byte string");
        }

        /** An optional timestamp in epoch microseconds: seconds in JSON, milliseconds (tag 1) in CBOR. */
        OptionalLong optTimestampMicros(String name) {
            JsonNode value = value(name);
            if (value == null) {
                return OptionalLong.empty();
            }
            if (!value.isNumber()) {
                throw wrongType(name, "a number (epoch " + (format == Format.JSON ? "seconds" : "milliseconds")
                        + ")");
            }
            double micros = format == Format.JSON ? value.doubleValue() * 1e6 : value.doubleValue() * 1e3;
            if (!(micros >= 0) || micros > 253_402_300_799_999_999d) {
                throw KinesisException.invalid(field(name) + " " + value.asText() + " is not a time between 1970"
                        + " and 9999");
            }
            return OptionalLong.of(format == Format.JSON && value.isIntegralNumber()
                    ? value.longValue() * 1_000_000L : Math.round(micros));
        }

        /**
         * A list or map of at most {@code max} entries (else the AWS constraint error); null if absent.
         *
         * @param list a list (JSON array) if true, else a map (JSON object)
         */
        private JsonNode container(String name, boolean list, int max) {
            JsonNode value = value(name);
            if (value == null) {
                return null;
            }
            if (list ? !value.isArray() : !value.isObject()) {
                throw wrongType(name, list ? "a list" : "a map");
            }
            if (value.size() > max) {
                throw KinesisException.validation(field(name), (list ? "list of " : "map of ") + value.size(),
                        "Member must have length less than or equal to " + max);
            }
            return value;
        }

        /** A list of objects (absent: empty). */
        List<Body> objects(String name, int max) {
            JsonNode value = container(name, true, max);
            if (value == null) {
                return List.of();
            }
            List<Body> items = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isObject()) {
                    throw new KinesisException(KinesisErrorTable.SERIALIZATION, field(name) + "[" + i
                            + "] must be an object");
                }
                items.add(new Body(format, item, field(name) + "." + (i + 1)));
            }
            return items;
        }

        Optional<Body> optObject(String name) {
            JsonNode value = value(name);
            if (value == null) {
                return Optional.empty();
            }
            if (!value.isObject()) {
                throw wrongType(name, "an object");
            }
            return Optional.of(new Body(format, value, field(name)));
        }

        /** A list of strings (absent: empty). */
        List<String> strings(String name, int max) {
            JsonNode value = container(name, true, max);
            List<String> items = new ArrayList<>();
            for (JsonNode item : value == null ? List.<JsonNode>of() : value) {
                if (!item.isTextual()) {
                    throw new KinesisException(KinesisErrorTable.SERIALIZATION, field(name) + " must hold strings");
                }
                items.add(item.textValue());
            }
            return items;
        }

        /** A map of strings (absent: empty), in the order received. */
        Map<String, String> stringMap(String name, int max) {
            JsonNode value = container(name, false, max);
            Map<String, String> items = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : value == null ? Map.<String, JsonNode>of().entrySet()
                    : value.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw new KinesisException(KinesisErrorTable.SERIALIZATION, field(name) + "." + entry.getKey()
                            + " must be a string");
                }
                items.put(entry.getKey(), entry.getValue().textValue());
            }
            return items;
        }
    }
}
