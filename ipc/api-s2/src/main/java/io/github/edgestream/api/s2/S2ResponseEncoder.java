package io.github.edgestream.api.s2;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Writes what S2 clients read: JSON (raw or base64 bodies) or protobuf, and errors as S2 shapes them. */
final class S2ResponseEncoder {

    static final String JSON = "application/json";
    static final String PROTOBUF = "application/protobuf";

    private S2ResponseEncoder() {
    }

    /** A JSON string literal. */
    static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    static HttpReply json(int status, JsonNode body) {
        try {
            return HttpReply.of(status, JSON, BodyCodecs.json().writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpReply error(S2Exception error) {
        return HttpReply.text(error.status(), JSON, error.json());
    }

    /** An append's acknowledgement. */
    static HttpReply ack(Position start, Position end, Position tail, boolean protobuf) {
        if (protobuf) {
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(48);
            S2Protobuf.encodeAppendAck(start, end, tail, out);
            return HttpReply.of(200, PROTOBUF, out);
        }
        return HttpReply.text(200, JSON, "{\"start\":" + position(start) + ",\"end\":" + position(end) + ",\"tail\":"
                + position(tail) + "}");
    }

    static String position(Position p) {
        return "{\"seq_num\":" + p.seqNum() + ",\"timestamp\":" + p.timestampMillis() + "}";
    }

    /** A read's batch, as protobuf or JSON. */
    static HttpReply batch(List<Message> records, Optional<Position> tail, boolean protobuf,
            S2RequestDecoder.Format format) {
        if (protobuf) {
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(64);
            try {
                S2Protobuf.encodeReadBatch(records, tail, out);
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
            return HttpReply.of(200, PROTOBUF, out);
        }
        return HttpReply.written(200, JSON, out -> writeBatch(out, records, tail, format));
    }

    /** A read batch in JSON: {@code {"records":[{"seq_num","timestamp","headers","body"}],"tail"?}}. */
    static void writeBatch(OutputStream out, List<Message> records, Optional<Position> tail,
            S2RequestDecoder.Format format) throws IOException {
        try (JsonGenerator json = BodyCodecs.jsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("records");
            for (Message record : records) {
                json.writeStartObject();
                json.writeNumberField("seq_num", record.sequenceNumber());
                json.writeNumberField("timestamp", record.timestampMicros() / 1000);
                if (!record.headers().isEmpty()) {
                    json.writeArrayFieldStart("headers");
                    for (Header header : record.headers()) {
                        json.writeStartArray();
                        json.writeString(text(header.name(), format));
                        json.writeString(text(header.value(), format));
                        json.writeEndArray();
                    }
                    json.writeEndArray();
                }
                json.writeStringField("body", text(record.payload(), format));
                json.writeEndObject();
            }
            json.writeEndArray();
            if (tail.isPresent()) {
                json.writeObjectFieldStart("tail");
                json.writeNumberField("seq_num", tail.get().seqNum());
                json.writeNumberField("timestamp", tail.get().timestampMillis());
                json.writeEndObject();
            }
            json.writeEndObject();
        }
    }

    /** Bytes as S2's JSON carries them: UTF-8 text ({@code raw}; invalid bytes become U+FFFD) or base64. */
    static String text(byte[] bytes, S2RequestDecoder.Format format) {
        return format == S2RequestDecoder.Format.BASE64 ? Base64.getEncoder().encodeToString(bytes)
                : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A batch as the JSON text of one SSE {@code batch} event. */
    static String batchJson(List<Message> records, Optional<Position> tail, S2RequestDecoder.Format format) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try {
            writeBatch(out, records, tail, format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
