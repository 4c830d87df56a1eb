package io.github.edgestream.api.s2;

import static org.assertj.core.api.Assertions.fail;

import io.github.edgestream.http.H2Connection;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;





import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;

import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An h2c (prior knowledge) client for S2S sessions at the frame level: one connection, a stream per session, the
 * request body written as the test chooses (any bytes, any DATA frame boundaries, a reset), the response body cut
 * into S2S frames as it arrives.
 */
final class S2sH2Client implements AutoCloseable {

    private final H2Connection connection;
    private final Channel channel;

    S2sH2Client(int port) {
        this.connection = new H2Connection(port);
        this.channel = connection.channel();
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Opens a POST stream (the request's body left open) with the headers given. */
    Session open(String method, String path, Map<String, String> headers) {
        Session session = new Session();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel).handler(session.inbound)
                .open().syncUninterruptibly().getNow();
        session.stream = stream;
        Http2Headers h2 = new DefaultHttp2Headers().method(method).path(path).scheme("http")
                .authority(connection.authority());
        headers.forEach(h2::add);
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(h2, false)).syncUninterruptibly();
        return session;
    }

    @Override
    public void close() {
        connection.close();
    }

    /** An S2S frame as received. */
    record Frame(int flags, byte[] body) {

        boolean terminal() {
            return (flags & S2sFraming.FLAG_TERMINAL) != 0;
        }

        int status() {
            return (body[0] & 0xFF) << 8 | (body[1] & 0xFF);
        }

        String json() {
            return new String(body, 2, body.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** A frame of {@code body} with {@code flags} (the length prefix counts the flag byte). */
    static byte[] frame(int flags, byte[] body) {
        int length = 1 + body.length;
        byte[] out = new byte[4 + body.length];
        out[0] = (byte) (length >>> 16);
        out[1] = (byte) (length >>> 8);
        out[2] = (byte) length;
        out[3] = (byte) flags;
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    private static final Object END = new Object();

    /** One session's stream. */
    static final class Session {

        private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Http2Headers> response = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private byte[] buffer = new byte[0];
        private boolean ended;
        volatile Http2Error resetByServer;
        Http2StreamChannel stream;

        final ChannelInboundHandlerAdapter inbound = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof Http2HeadersFrame headers) {
                        if (!response.isDone()) {
                            response.complete(headers.headers());
                        }
                        if (headers.isEndStream()) {
                            events.add(END);
                        }
                    } else if (msg instanceof Http2DataFrame data) {
                        events.add(ByteBufUtil.getBytes(data.content()));
                        if (data.isEndStream()) {
                            events.add(END);
                        }
                    } else if (msg instanceof Http2ResetFrame reset) {
                        resetByServer = Http2Error.valueOf(reset.errorCode());
                        events.add(END);
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof Http2ResetFrame reset) {
                    resetByServer = Http2Error.valueOf(reset.errorCode());
                    events.add(END);
                }
                ReferenceCountUtil.release(evt);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                events.add(END);
                response.completeExceptionally(new IllegalStateException("the stream closed before a response"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                events.add(cause);
            }
        };

        int status() {
            try {
                return Integer.parseInt(response.get(5, TimeUnit.SECONDS).status().toString());
            } catch (Exception e) {
                throw new AssertionError("no response headers within 5 s", e);
            }
        }

        String header(String name) {
            CharSequence value = response.join().get(name);
            return value == null ? null : value.toString();
        }

        boolean send(byte[] bytes) {
            return send(bytes, false);
        }

        /**
         * Writes the bytes as one DATA frame; false if the stream was closed first (the server may end a session,
         * and reset its stream, while the client is still writing).
         */
        boolean send(byte[] bytes, boolean endStream) {
            return stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(bytes), endStream))
                    .awaitUninterruptibly().isSuccess();
        }

        /** Half-closes the request (an empty DATA frame with END_STREAM). */
        void end() {
            send(new byte[0], true);
        }

        /** Resets the stream (RST_STREAM CANCEL), as a client that gives up does. */
        void reset() {
            stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL)).syncUninterruptibly();
        }

        /** The next S2S frame; null once the response has ended without one. Fails after {@code timeout}. */
        Frame next(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Frame frame = parse();
                if (frame != null) {
                    return frame;
                }
                if (ended) {
                    if (buffer.length > 0) {
                        fail("the response ended inside a frame (%d bytes left)", buffer.length);
                    }
                    return null;
                }
                Object event;
                try {
                    event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                if (event == null) {
                    fail("no S2S frame within %s (%d bytes buffered)", timeout, buffer.length);
                } else if (event == END) {
                    ended = true;
                } else if (event instanceof Throwable failure) {
                    throw new AssertionError("the session's stream failed", failure);
                } else {
                    byte[] bytes = (byte[]) event;
                    received.writeBytes(bytes);
                    byte[] joined = Arrays.copyOf(buffer, buffer.length + bytes.length);
                    System.arraycopy(bytes, 0, joined, buffer.length, bytes.length);
                    buffer = joined;
                }
            }
        }

        private Frame parse() {
            if (buffer.length < 3) {
                return null;
            }
            int length = (buffer[0] & 0xFF) << 16 | (buffer[1] & 0xFF) << 8 | (buffer[2] & 0xFF);
            if (length == 0) {
                fail("the server sent an S2S frame of length 0");
            }
            if (buffer.length < 3 + length) {
                return null;
            }
            Frame frame = new Frame(buffer[3] & 0xFF, Arrays.copyOfRange(buffer, 4, 3 + length));
            buffer = Arrays.copyOfRange(buffer, 3 + length, buffer.length);
            return frame;
        }

        /** Waits for the end of the response (END_STREAM or a reset); fails after {@code timeout}. */
        void awaitEnd(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ended) {
                Object event;
                try {
                    event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
                if (event == null) {
                    fail("the response did not end within %s", timeout);
                } else if (event == END) {
                    ended = true;
                } else if (event instanceof byte[] bytes) {
                    byte[] joined = Arrays.copyOf(buffer, buffer.length + bytes.length);
                    System.arraycopy(bytes, 0, joined, buffer.length, bytes.length);
                    buffer = joined;
                }
            }
        }
    }
}
