package io.github.edgestream.api.kinesis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Format;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
            gen.writeBinary(bytes);
        }

        void string(String field, String value) throws IOException {
            gen.writeStringField(field, value);
        }
    }

    private KinesisResponseEncoder() {
    }

    static HttpReply ok(Format format, Fields fields) {
        return reply(200, format, 256, fields);
    }

    /**
     * An answer of about {@code expectedBytes}: the buffer is allocated at that size once, instead of doubling its
     * way up (a GetRecords answer of 10,000 records is ~14 MB in JSON: a dozen copies otherwise).
     */
    static HttpReply ok(Format format, long expectedBytes, Fields fields) {
        return reply(200, format, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(256, expectedBytes)), fields);
    }

    /** What a blob of {@code length} bytes takes in an answer: base64 in JSON, itself in CBOR. */
    static long blobSize(Format format, int length) {
        return format == Format.JSON ? (length + 2L) / 3 * 4 + 2 : length + 5L;
    }

    static HttpReply error(Format format, KinesisException error) {
        HttpReply reply = reply(error.status(), format, 256, out -> {
            out.string("__type", error.type());
            out.string("message", error.getMessage() == null ? error.type() : error.getMessage());
        });
        return reply.header("x-amzn-ErrorType", error.type() + ":");
    }

    private static HttpReply reply(int status, Format format, int initialCapacity, Fields fields) {
        ByteBuf body = ByteBufAllocator.DEFAULT.buffer(initialCapacity);
        boolean done = false;
        try (ByteBufOutputStream stream = new ByteBufOutputStream(body);
                JsonGenerator gen = format == Format.CBOR ? CBOR.createGenerator((java.io.OutputStream) stream)
                        : JSON.createGenerator((java.io.OutputStream) stream, JsonEncoding.UTF8)) {
            gen.writeStartObject();
            fields.write(new Out(gen, format));
            gen.writeEndObject();
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!done) {
                body.release();
            }
        }
        return HttpReply.of(status, format.contentType, body).header("x-amzn-RequestId", UUID.randomUUID());
    }
}
