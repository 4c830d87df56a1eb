package io.github.edgestream.http;


import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An h2c client with prior knowledge that streams a request body frame by frame and sees the response frame by frame
 * as it arrives (unlike {@link H2Client}, which sends and receives whole messages): one connection, any number of
 * {@link Stream}s on it.
 */
public final class H2Streams implements AutoCloseable {

    private final H2Connection connection;
    private final Channel channel;

    public H2Streams(int port) {
        this.connection = new H2Connection(port);
        this.channel = connection.channel();
    }

    /** The connection (to close it, or to see whether the server closed it). */
    public Channel connection() {
        return channel;
    }

    /** Opens a POST stream and sends its headers without ending it (the body follows with {@link Stream#send}). */
    public Stream open(String path, String... headers) {
        return open(path, false, headers);
    }

    /** Opens a POST stream and sends its headers; {@code endStream}: a request without a body. */
    public Stream open(String path, boolean endStream, String... headers) {
        Http2Headers head = new DefaultHttp2Headers().method("POST").path(path).scheme("http")
                .authority(connection.authority());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.add(headers[i], headers[i + 1]);
        }
        Stream stream = new Stream();
        Http2StreamChannel child = new Http2StreamChannelBootstrap(channel).handler(stream.handler()).open()
                .syncUninterruptibly().getNow();
        stream.channel = child;
        child.writeAndFlush(new DefaultHttp2HeadersFrame(head, endStream)).syncUninterruptibly();
        return stream;
    }

    @Override
    public void close() {
        connection.close();
    }

    /** One request/response exchange: what was sent and what has arrived so far. */
    public static final class Stream {
        volatile Http2StreamChannel channel;
        /** The response's headers (the first HEADERS frame). */
        public final CompletableFuture<Http2Headers> head = new CompletableFuture<>();
        /** The response's DATA frames' payloads, one entry per frame, in order. */
        public final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        /** Completes when the server ends the response (END_STREAM). */
        public final CompletableFuture<Void> ended = new CompletableFuture<>();
        /** Completes with the error code when the server resets the stream. */
        public final CompletableFuture<Long> reset = new CompletableFuture<>();
        /** Bytes of the body whose writes completed: handed to the socket, flow control permitting. */
        public final AtomicLong written = new AtomicLong();

        ChannelInboundHandlerAdapter handler() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof Http2HeadersFrame headers) {
                        head.complete(headers.headers());
                        if (headers.isEndStream()) {
                            ended.complete(null);
                        }
                    } else if (msg instanceof Http2DataFrame data) {
                        try {
                            byte[] bytes = ByteBufUtil.getBytes(data.content());
                            synchronized (body) {
                                body.writeBytes(bytes);
                            }
                            if (bytes.length > 0) {
                                frames.add(bytes);
                            }
                            if (data.isEndStream()) {
                                ended.complete(null);
                            }
                        } finally {
                            data.release();
                        }
                    } else if (msg instanceof Http2ResetFrame rst) {
                        reset.complete(rst.errorCode());
                    } else {
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof Http2ResetFrame rst) {
                        reset.complete(rst.errorCode());
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    ctx.close();
                }
            };
        }

        /** The stream's channel: writable while the server's flow-control window lets it send. */
        public Http2StreamChannel channel() {
            return channel;
        }

        /** The response status. */
        public int status(Duration within) throws Exception {
            return Integer.parseInt(head.get(within.toMillis(), TimeUnit.MILLISECONDS).status().toString());
        }

        public ChannelFuture send(String text) {
            return send(text.getBytes(StandardCharsets.UTF_8), false);
        }

        /** Sends a DATA frame (the flow controller splits it as needed); {@link #written} counts it once written. */
        public ChannelFuture send(byte[] bytes, boolean endStream) {
            ByteBuf content = Unpooled.wrappedBuffer(bytes);
            ChannelFuture future = channel.writeAndFlush(new DefaultHttp2DataFrame(content, endStream));
            future.addListener(done -> {
                if (done.isSuccess()) {
                    written.addAndGet(bytes.length);
                }
            });
            return future;
        }

        /** Ends the request body (an empty DATA frame with END_STREAM): the client half-closes. */
        public ChannelFuture end() {
            return channel.writeAndFlush(new DefaultHttp2DataFrame(true));
        }

        /** Resets the stream (RST_STREAM CANCEL). */
        public ChannelFuture cancel() {
            return channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
        }

        /** The next DATA frame's payload as text, waiting up to the time; fails if none arrives. */
        public String next(Duration within) throws InterruptedException {
            byte[] frame = frames.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no DATA frame within " + within);
            }
            return new String(frame, StandardCharsets.UTF_8);
        }

        /** Everything received so far. */
        public byte[] body() {
            synchronized (body) {
                return body.toByteArray();
            }
        }

        public String text() {
            return new String(body(), StandardCharsets.UTF_8);
        }
    }
}
