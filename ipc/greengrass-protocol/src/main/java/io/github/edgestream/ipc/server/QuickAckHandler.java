package io.github.edgestream.ipc.server;

import io.github.edgestream.net.Transport;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges what a TCP client sent at once, by setting {@code TCP_QUICKACK} again after every read.
 *
 * <p>Why: the official JavaScript client writes each frame as two writes (the 5-byte header, then the payload) on a
 * socket that keeps Nagle's algorithm on, so its second write waits until the first is acknowledged. Linux delays
 * that acknowledgement by up to 40 ms, hoping to carry it on our answer, which cannot come before the payload: every
 * request would take 40 ms. Linux leaves quick-ACK mode again as soon as the connection looks interactive (as soon as
 * we answer), so setting the option once at accept is not enough; setting it after a read also sends an ACK that is
 * pending at that moment. The cost is one {@code setsockopt} per read batch, not per frame.
 *
 * <p>The other official clients do not depend on it: the Python client's asyncio transport sets TCP_NODELAY itself;
 * the Java client writes each frame in six writes (the length byte by byte, the operation, the payload) but sets
 * TCP_NODELAY after its handshake, and its handshake goes out while a new connection is still in quick-ACK mode.
 *
 * <p>Epoll sets it natively; NIO through the JDK's {@code jdk.net.ExtendedSocketOptions.TCP_QUICKACK} (Linux). Where
 * neither supports it (another OS), the handler says so once in the log and removes itself. Stateless and
 * {@link ChannelHandler.Sharable}: one instance serves every TCP connection of a server.
 */
@ChannelHandler.Sharable
final class QuickAckHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(QuickAckHandler.class);
    private static final AtomicBoolean UNSUPPORTED_LOGGED = new AtomicBoolean();

    private final ChannelOption<Boolean> option;

    QuickAckHandler(Transport transport) {
        this.option = transport == Transport.EPOLL ? EpollChannelOption.TCP_QUICKACK
                : NioChannelOption.of(ExtendedSocketOptions.TCP_QUICKACK);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        rearm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        rearm(ctx);
        ctx.fireChannelReadComplete();
    }

    private void rearm(ChannelHandlerContext ctx) {
        boolean set;
        try {
            set = ctx.channel().isOpen() && ctx.channel().config().setOption(option, true);
        } catch (RuntimeException e) { // a channel closing under us, or a JDK without the option
            set = false;
        }
        if (!set && ctx.channel().isOpen()) {
            if (UNSUPPORTED_LOGGED.compareAndSet(false, true)) {
                LOG.info("TCP_QUICKACK is not supported here; clients that write a frame in two parts without"
                        + " TCP_NODELAY (the official JavaScript SDK) may wait for delayed ACKs");
            }
            ctx.pipeline().remove(this);
        }
    }
}
