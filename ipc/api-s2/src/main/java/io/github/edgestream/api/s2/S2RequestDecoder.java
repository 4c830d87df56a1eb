package io.github.edgestream.api.s2;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.RecordLimits;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpCall;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads what S2 clients send: JSON bodies (appends in the {@code raw} or {@code base64} format, configurations),
 * protobuf appends ({@link S2Protobuf}), query parameters and the {@code s2-*} headers. Every refusal is an
 * {@link S2Exception} naming the field, the value and the rule.
 */
final class S2RequestDecoder {

    /** S2's limit on one batch, by its metering formula. */
    static final long MAX_BATCH_METERED_BYTES = 1024 * 1024;

    /** How bodies and header names and values travel in JSON. */
    enum Format {
        /** UTF-8 text (S2's default). */
        RAW,
        /** Base64. */
        BASE64
    }

    private S2RequestDecoder() {
    }

    /** The {@code s2-format} header: {@code raw} (the default) or {@code base64}. */
    static Format format(HttpCall call) {
        String value = call.headers().get("s2-format");
        if (value == null || value.equalsIgnoreCase("raw")) {
            return Format.RAW;
        }
        if (value.equalsIgnoreCase("base64")) {
            return Format.BASE64;
        }
        throw S2Exception.badHeader("s2-format is \"" + clip(value) + "\" but must be raw or base64");
    }

    /** Whether the request's body is protobuf ({@code content-type: application/protobuf}). */
    static boolean isProtobuf(HttpCall call) {
        String type = call.headers().get("content-type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/protobuf");
    }

    /** Whether the client wants protobuf back ({@code accept: application/protobuf}). */
    static boolean acceptsProtobuf(HttpCall call) {
        String accept = call.headers().get("accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/protobuf");
    }

    /**
     * JSON documents as S2 reads them: one document and nothing after it (Jackson's default ignores what follows
     * the first document, so {@code {"records":[...]} junk} would be taken).
     */
    private static final ObjectReader STRICT_JSON = BodyCodecs.json().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The body as one JSON tree; an empty body is an empty object. */
    static JsonNode json(HttpCall call) {
        if (call.bodyLength() == 0) {
            return BodyCodecs.json().createObjectNode();
        }
        ByteBuf body = call.body();
        if (!ByteBufUtil.isText(body, body.readerIndex(), body.readableBytes(), StandardCharsets.UTF_8)) {
            // Jackson takes some invalid UTF-8 (overlong forms: C0 AF is read as "/"); S2 refuses it
            throw S2Exception.badJson("the body is not valid UTF-8");
        }
        try (InputStream in = call.bodyStream()) {
            return STRICT_JSON.readTree(in);
        } catch (IOException e) {
            throw S2Exception.badJson("the body is not valid JSON: " + clip(e.getMessage()));
        }
    }

    /** Text (a header's value) as one JSON document with nothing after it. */
    static JsonNode json(String text) throws IOException {
        return STRICT_JSON.readTree(text);
    }

    /** An append from a JSON or protobuf body, checked against S2's batch limits. */
    static AppendInput append(HttpCall call) {
        AppendInput input;
        if (isProtobuf(call)) {
            try {
                input = S2Protobuf.decodeAppendInput(call.body());
            } catch (S2ProtobufException e) {
                throw new S2Exception(400, "bad_proto", e.getMessage());
            }
        } else {
            input = appendJson(json(call), format(call));
        }
        return checked(input);
    }

    /** S2's batch rules: 1 to 1,000 records, at most 1 MiB metered. */
    static AppendInput checked(AppendInput input) {
        if (input.records().isEmpty()) {
            throw S2Exception.invalid("records is empty but an append needs 1 to " + RecordLimits.MAX_BATCH_RECORDS
                    + " records");
        }
        if (input.meteredBytes() > MAX_BATCH_METERED_BYTES) {
            throw S2Exception.invalid("the batch is " + input.meteredBytes() + " metered bytes (8 per record + 2 per"
                    + " header + header names, values and bodies) but the limit is " + MAX_BATCH_METERED_BYTES);
        }
        return input;
    }

    /** An append in JSON: {@code {"records":[{"body","headers":[[n,v]],"timestamp"}],"match_seq_num","fencing_token"}}. */
    static AppendInput appendJson(JsonNode root, Format format) {
        if (!root.isObject()) {
            throw S2Exception.badJson("the body must be a JSON object with \"records\"");
        }
        JsonNode records = root.get("records");
        if (records == null || !records.isArray()) {
            throw S2Exception.badJson("records is " + describe(records) + " but must be an array of records");
        }
        if (records.size() > RecordLimits.MAX_BATCH_RECORDS) {
            throw S2Exception.invalid("records has " + records.size() + " records but an append may have at most "
                    + RecordLimits.MAX_BATCH_RECORDS);
        }
        List<AppendRecord> out = new ArrayList<>(records.size());
        long metered = 0;
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String path = "records[" + i + "]";
            if (!record.isObject()) {
                throw S2Exception.badJson(path + " is " + describe(record) + " but must be an object");
            }
            byte[] body = bytes(record.get("body"), path + ".body", format);
            List<Header> headers = headers(record.get("headers"), path + ".headers", format);
            long timestamp = AppendRecord.INGEST_TIME;
            JsonNode ts = record.get("timestamp");
            if (ts != null && !ts.isNull()) {
                timestamp = millisToMicros(u64(ts, path + ".timestamp"), path + ".timestamp");
            }
            metered += meteredBytes(headers, body.length);
            out.add(new AppendRecord(timestamp, Message.NO_KEY, headers, ByteBuffer.wrap(body)));
        }
        OptionalLong match = OptionalLong.empty();
        JsonNode matchNode = root.get("match_seq_num");
        if (matchNode != null && !matchNode.isNull()) {
            match = OptionalLong.of(u64(matchNode, "match_seq_num"));
        }
        Optional<String> token = Optional.empty();
        JsonNode tokenNode = root.get("fencing_token");
        if (tokenNode != null && !tokenNode.isNull()) {
            if (!tokenNode.isTextual()) {
                throw S2Exception.badJson("fencing_token is " + describe(tokenNode) + " but must be a string");
            }
            token = Optional.of(tokenNode.asText());
        }
        return new AppendInput(out, match, token, metered);
    }

    /** S2's metering of one record: 8 bytes, plus 2 and the name and value of each header, plus the body. */
    static long meteredBytes(List<Header> headers, int bodyLength) {
        long size = 8L + bodyLength;
        for (Header header : headers) {
            size += 2L + header.name().length + header.value().length;
        }
        return size;
    }

    private static byte[] bytes(JsonNode node, String path, Format format) {
        if (node == null || node.isNull()) {
            return new byte[0];
        }
        if (!node.isTextual()) {
            throw S2Exception.badJson(path + " is " + describe(node) + " but must be a string");
        }
        if (format == Format.RAW) {
            return node.asText().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw S2Exception.badJson(path + " is not valid base64 (s2-format: base64): " + e.getMessage());
        }
    }

    private static List<Header> headers(JsonNode node, String path, Format format) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw S2Exception.badJson(path + " is " + describe(node) + " but must be an array of [name, value]");
        }
        if (node.size() > S2Protobuf.MAX_HEADERS) {
            throw S2Exception.invalid(path + " has " + node.size() + " headers but a record may have at most "
                    + S2Protobuf.MAX_HEADERS);
        }
        List<Header> headers = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode pair = node.get(i);
            if (!pair.isArray() || pair.size() != 2) {
                throw S2Exception.badJson(path + "[" + i + "] is " + describe(pair) + " but must be [name, value]");
            }
            headers.add(new Header(bytes(pair.get(0), path + "[" + i + "][0]", format),
                    bytes(pair.get(1), path + "[" + i + "][1]", format)));
        }
        return headers;
    }

    /** A non-negative integer that fits a long (S2's u64; the SDK cannot send more than 2^53 anyway). */
    static long u64(JsonNode node, String path) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw S2Exception.badJson(path + " is " + describe(node) + " but must be an integer from 0 to "
                    + Long.MAX_VALUE);
        }
        return node.asLong();
    }

    static long millisToMicros(long millis, String path) {
        if (millis > RecordLimits.MAX_TIMESTAMP_MICROS / 1000) {
            throw S2Exception.invalid(path + " is " + millis + " ms but must be at most "
                    + RecordLimits.MAX_TIMESTAMP_MICROS / 1000 + " (the year 9999)");
        }
        return millis * 1000;
    }

    /**
     * The query's parameters, percent-decoded; 400 {@code bad_query} when an escape is broken ({@code %ZZ}, a cut
     * {@code %}), which Netty's decoder reports as an {@link IllegalArgumentException}.
     */
    static java.util.Map<String, List<String>> parameters(HttpCall call) {
        try {
            return call.parameters();
        } catch (IllegalArgumentException e) {
            throw S2Exception.badQuery("the query string is not validly percent-encoded: " + clip(e.getMessage()));
        }
    }

    /** An optional non-negative integer query parameter. */
    static OptionalLong queryLong(HttpCall call, String name, long max) {
        List<String> values = parameters(call).get(name);
        if (values == null || values.isEmpty()) {
            return OptionalLong.empty();
        }
        if (values.size() > 1) {
            throw S2Exception.badQuery(name + " is given " + values.size() + " times");
        }
        String value = values.get(0);
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0 || parsed > max) {
                throw S2Exception.badQuery(name + " is " + parsed + " but must be between 0 and " + max);
            }
            return OptionalLong.of(parsed);
        } catch (NumberFormatException e) {
            throw S2Exception.badQuery(name + " is \"" + clip(value) + "\" but must be a non-negative integer");
        }
    }

    /** An optional boolean query parameter. */
    static Optional<Boolean> queryBoolean(HttpCall call, String name) {
        Optional<String> value = queryString(call, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return switch (value.get()) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw S2Exception.badQuery(name + " is \"" + clip(value.get()) + "\" but must be true or"
                    + " false");
        };
    }

    static Optional<String> queryString(HttpCall call, String name) {
        List<String> values = parameters(call).get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw S2Exception.badQuery(name + " is given " + values.size() + " times");
        }
        return Optional.of(values.get(0));
    }

    static String describe(JsonNode node) {
        if (node == null) {
            return "missing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + clip(text);
    }

    static String clip(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
