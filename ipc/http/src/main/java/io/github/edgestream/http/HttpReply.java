package io.github.edgestream.http;

import io.github.edgestream.net.ChunkedOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * An API's answer: a status, headers and either a whole body (its content length is set by the layer) or a
 * {@link StreamingBody} written chunk by chunk (chunked transfer over HTTP/1.1, DATA frames over HTTP/2; for
 * server-sent events and long reads).
 *
 * <p>The layer takes ownership of the body buffer and releases it once written.
 */
public final class HttpReply {

    private final int status;
    private final HttpHeaders headers;
    private final ByteBuf body;
    private final StreamingBody streaming;

    private HttpReply(int status, HttpHeaders headers, ByteBuf body, StreamingBody streaming) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP status");
        }
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = body;
        this.streaming = streaming;
    }

    public static HttpReply of(int status, String contentType, ByteBuf body) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (contentType != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        return new HttpReply(status, headers, Objects.requireNonNull(body, "body"), null);
    }

    public static HttpReply of(int status, String contentType, byte[] body) {
        return of(status, contentType, Unpooled.wrappedBuffer(body));
    }

    public static HttpReply text(int status, String contentType, String body) {
        return of(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a whole body, as a stream. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(java.io.OutputStream out) throws java.io.IOException;
    }

    /**
     * A reply whose whole body the API writes as a stream, into pooled chunks ({@link ChunkedOutput}): a body of
     * any size is neither copied while it grows nor allocated as one block. If the writer fails, what it wrote is
     * released and the failure is thrown ({@link java.io.UncheckedIOException} for an {@code IOException}).
     */
    public static HttpReply written(int status, String contentType, BodyWriter writer) {
        ChunkedOutput out = new ChunkedOutput(io.netty.buffer.ByteBufAllocator.DEFAULT);
        try {
            writer.write(out);
        } catch (java.io.IOException e) {
            out.discard();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            out.discard();
            throw e;
        }
        return of(status, contentType, out.body());
    }

    /** A reply without a body. */
    public static HttpReply empty(int status) {
        return new HttpReply(status, new DefaultHttpHeaders(), Unpooled.EMPTY_BUFFER, null);
    }

    /** A reply whose body the API writes as it goes. */
    public static HttpReply streaming(int status, String contentType, StreamingBody body) {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return new HttpReply(status, headers, null, Objects.requireNonNull(body, "body"));
    }

    /** Adds a header; returns this. */
    public HttpReply header(CharSequence name, Object value) {
        headers.add(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The whole body, unless the reply streams. */
    public Optional<ByteBuf> body() {
        return Optional.ofNullable(body);
    }

    public Optional<StreamingBody> streaming() {
        return Optional.ofNullable(streaming);
    }

    /**
     * A body written after the head: the layer calls {@link #start} once the head is sent, on the event loop.
     */
    @FunctionalInterface
    public interface StreamingBody {
        void start(ResponseStream out);
    }
}
