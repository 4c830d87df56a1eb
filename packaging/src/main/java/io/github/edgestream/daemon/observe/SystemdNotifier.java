package io.github.edgestream.daemon.observe;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd (a {@code Type=notify} unit) that the daemon is ready or stopping: one datagram such as
 * {@code READY=1} to the Unix socket named by {@code NOTIFY_SOCKET} (the sd_notify protocol). Without that variable,
 * nothing happens; if it cannot be sent (no epoll, an abstract socket name), the problem is logged and the daemon
 * carries on, since systemd then times out and restarts it, which is visible.
 *
 * <p>Thread-safe: each call opens and closes its own channel.
 */
public final class SystemdNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

    private final String socket;

    private SystemdNotifier(String socket) {
        this.socket = socket;
    }

    public static SystemdNotifier fromEnvironment(Map<String, String> environment) {
        return new SystemdNotifier(environment.get("NOTIFY_SOCKET"));
    }

    /** Sends {@code state} (e.g. {@code READY=1}, {@code STOPPING=1}); false if it was not sent. */
    public boolean notify(String state) {
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        if (socket.startsWith("@")) {
            LOG.warn("NOTIFY_SOCKET {} is an abstract socket, which edgestream cannot reach; not sending {}", socket,
                    state);
            return false;
        }
        if (!Epoll.isAvailable()) {
            LOG.warn("cannot tell systemd {}: native epoll is not available ({})", state, Epoll.unavailabilityCause());
            return false;
        }
        var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            // connected, so that the channel is active without binding a path of its own
            Channel channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(new DomainSocketAddress(socket)).sync()
                    .channel();
            channel.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8)).sync();
            channel.close().sync();
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("cannot tell systemd {} on {}: {}", state, socket, e.toString());
            return false;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
