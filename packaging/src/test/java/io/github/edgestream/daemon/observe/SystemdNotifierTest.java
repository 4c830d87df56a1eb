package io.github.edgestream.daemon.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify as systemd receives it: a datagram on the Unix socket named by NOTIFY_SOCKET. */
class SystemdNotifierTest {

    @TempDir
    Path root;

    @Test
    void sendsTheStateToTheNotifySocket() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "needs native epoll (Linux)");
        Path socket = root.resolve("notify");
        var received = new CompletableFuture<String>();
        var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel systemd = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                            received.complete(packet.content().toString(StandardCharsets.UTF_8));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toString())).sync().channel();

            boolean sent = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()))
                    .notify("READY=1");

            assertThat(sent).isTrue();
            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("READY=1");
            systemd.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        assertThat(SystemdNotifier.fromEnvironment(Map.of()).notify("READY=1")).isFalse();
    }
}
