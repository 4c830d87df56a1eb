package io.github.edgestream.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import java.util.concurrent.TimeUnit;

/**
 * One h2c connection with prior knowledge to a loopback port, on an event loop of its own, ready for
 * {@code Http2StreamChannelBootstrap}: what the tests' HTTP/2 clients ({@link H2Client}, {@link H2Streams}, the S2
 * API's S2S client) are built on. Closing it closes the connection and its event loop.
 */
public final class H2Connection implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final int port;

    public H2Connection(int port) {
        this.port = port;
        try {
            channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        }
                    }).connect("127.0.0.1", port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The connection's channel (streams are opened on it). */
    public Channel channel() {
        return channel;
    }

    /** {@code 127.0.0.1:<port>}, for {@code :authority} and {@code host}. */
    public String authority() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
