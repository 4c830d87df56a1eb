package io.github.edgestream.http;


import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;

import io.netty.channel.ChannelInitializer;


import io.netty.channel.SimpleChannelInboundHandler;


import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;


import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;


/** An h2c client with prior knowledge: one connection, one stream per request, each response aggregated. */
public final class H2Client implements AutoCloseable {

    private final H2Connection connection;
    private final Channel channel;

    public H2Client(int port) {
        this.connection = new H2Connection(port);
        this.channel = connection.channel();
    }

    public CompletableFuture<Reply> get(String path) {
        return send(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path));
    }

    public CompletableFuture<Reply> post(String path, String body, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** Opens a stream and sends the request on it; the future completes with the whole response. */
    public CompletableFuture<Reply> send(FullHttpRequest request) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        request.headers().set(HttpHeaderNames.HOST, connection.authority());
        if (request.content().isReadable()) {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        }
        new Http2StreamChannelBootstrap(channel).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                        new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                Map<String, List<String>> headers = new LinkedHashMap<>();
                                response.headers().forEach(h -> headers.computeIfAbsent(
                                        h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue()));
                                result.complete(new Reply(response.status().code(), headers,
                                        response.content().toString(StandardCharsets.UTF_8)));
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                result.completeExceptionally(new ClosedChannelException());
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                result.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
            }
        }).open().addListener(opened -> {
            if (opened.isSuccess()) {
                ((Http2StreamChannel) opened.getNow()).writeAndFlush(request).addListener(written -> {
                    if (!written.isSuccess()) {
                        result.completeExceptionally(written.cause());
                    }
                });
            } else {
                request.release();
                result.completeExceptionally(opened.cause());
            }
        });
        return result;
    }

    @Override
    public void close() {
        connection.close();
    }
}
