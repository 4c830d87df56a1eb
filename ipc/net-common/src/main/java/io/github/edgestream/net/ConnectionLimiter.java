package io.github.edgestream.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts a server's connections and closes those beyond the limit as soon as they arrive; keeps the open ones in a
 * group so that the server can close them all on shutdown. One instance per server, shared by its connections (put
 * it first in each connection's pipeline).
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int max;
    private final String setting;
    private final ChannelGroup connections;
    private final AtomicInteger active = new AtomicInteger();

    /**
     * @param max     the most connections open at once
     * @param setting the configuration key of {@code max}, named in the log line of a refusal
     */
    public ConnectionLimiter(int max, String setting) {
        if (max < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + max);
        }
        this.max = max;
        this.setting = setting;
        this.connections = new DefaultChannelGroup(setting, GlobalEventExecutor.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (active.incrementAndGet() > max) {
            LOG.warn("{}: refused, already {} connections ({})", ctx.channel().remoteAddress(), max, setting);
            ctx.close();
            return;
        }
        connections.add(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        active.decrementAndGet();
        ctx.fireChannelInactive();
    }

    /** Connections open now (those accepted, not the refused ones). */
    public int open() {
        return connections.size();
    }

    /** Closes every open connection, waiting up to the timeout for them to close. */
    public void closeAll(long timeout, TimeUnit unit) {
        connections.close().awaitUninterruptibly(timeout, unit);
    }
}
