package io.github.edgestream.api.kinesis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Format;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpReply;
import java.io.IOException;
import java.util.UUID;

/**
 * Answers in the request's format: AWS JSON 1.1 (blobs as base64, timestamps as epoch seconds with milliseconds)
 * or AWS CBOR 1.1 (blobs as byte strings, timestamps as tag 1 with epoch milliseconds, which is what the Java v2
 * SDK's CBOR unmarshaller reads). Errors are {@code {"__type": ..., "message": ...}} with the type also in the
 * {@code x-amzn-ErrorType} header, as AWS sends them. Every answer carries an {@code x-amzn-RequestId}.
 *
 * <p>Thread-safe.
 */
final class KinesisResponseEncoder {

    private static final JsonFactory JSON = BodyCodecs.jsonFactory();
    private static final CBORFactory CBOR = BodyCodecs.cborFactory();

    /** Writes the fields of one response object; the encoder opens and closes the object. */
    @FunctionalInterface
    interface Fields {
        void write(Out out) throws IOException;
    }

    /** A generator with the two types whose encoding differs between the formats. */
    static final class Out {
        final JsonGenerator gen;
        private final Format format;

        Out(JsonGenerator gen, Format format) {
            this.gen = gen;
            this.format = format;
        }

        void timestampMillis(String field, long epochMillis) throws IOException {
            gen.writeFieldName(field);
            if (format == Format.CBOR) {
                ((CBORGenerator) gen).writeTag(1);
                gen.writeNumber(epochMillis);
            } else {
                gen.writeNumber(java.math.BigDecimal.valueOf(epochMillis, 3));
            }
        }

        void blob(String field, byte[] bytes) throws IOException {
            gen.writeFieldName(field);
            if (format == Format.CBOR) {
                gen.writeBinary(bytes);
            } else {
                // the JDK's encoder (vectorized on x86) then the ASCII as is: base64 needs no JSON escaping
                byte[] base64 = java.util.Base64.getEncoder().encode(bytes);
                gen.writeRawUTF8String(base64, 0, base64.length);
            }
        }

        void string(String field, String value) throws IOException {
            gen.writeStringField(field, value);
        }
    }

    private KinesisResponseEncoder() {
    }

    /**
     * A 200 answer. Answers are written into pooled chunks ({@link HttpReply#written}): a GetRecords answer of
     * 10,000 records (~14 MB in JSON) is never copied while it grows, nor allocated as one block.
     */
    static HttpReply ok(Format format, Fields fields) {
        return reply(200, format, fields);
    }


    static HttpReply error(Format format, KinesisException error) {
        HttpReply reply = reply(error.status(), format, out -> {
            out.string("__type", error.type());
            out.string("message", error.getMessage() == null ? error.type() : error.getMessage());
        });
        return reply.header("x-amzn-ErrorType", error.type() + ":");
    }

    private static HttpReply reply(int status, Format format, Fields fields) {
        return HttpReply.written(status, format.contentType, stream -> {
            try (JsonGenerator gen = format == Format.CBOR ? CBOR.createGenerator(stream)
                    : JSON.createGenerator(stream, JsonEncoding.UTF8)) {
                gen.writeStartObject();
                fields.write(new Out(gen, format));
                gen.writeEndObject();
            }
        }).header("x-amzn-RequestId", UUID.randomUUID());
    }
}
