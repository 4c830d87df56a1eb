package io.github.edgestream.ipc.server;

import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.ipc.codec.FrameDecoder;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.RequestDispatcher;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.net.ConnectionLimiter;
import io.github.edgestream.net.InFlightRequests;
import io.github.edgestream.net.RequestObserver;
import io.github.edgestream.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Stream Manager protocol server: TCP (on loopback by default) and, optionally, a Unix domain socket, on Netty
 * (native epoll where it loads, else NIO; see {@link Transport}).
 *
 * <pre>
 * per connection:  [quick ACKs, TCP] -> limiter -> flush consolidation -> frames -> [idle] -> handshake -> requests
 * </pre>
 *
 * Lifecycle: {@link #start()} binds; {@link #stopAccepting()} closes the listening sockets and answers new requests
 * with "shutting down"; {@link #awaitRequests(Duration)} waits for requests in flight; {@link #close()} closes every
 * connection and the event loops. Thread-safe.
 */
public final class IpcServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IpcServer.class);

    private final IpcSettings settings;
    private final HandlerContext context;
    private final RequestDispatcher dispatcher = new RequestDispatcher();
    private final InFlightRequests state = new InFlightRequests();
    private final String serverVersion;
    private final List<Channel> listeners = new ArrayList<>();
    private final ConnectionLimiter limiter;
    private final QuickAckHandler quickAck;
    private EventLoopGroup loops;
    private int port = -1;

    /**
     * @param service       the stream commands; the caller owns the store and executor behind it
     * @param serverVersion reported in every ConnectResponse
     */
    public IpcServer(IpcSettings settings, StreamService service, String serverVersion) {
        this.settings = settings;
        this.serverVersion = serverVersion;
        this.context = new HandlerContext(service, settings.maxResponseSize(), ByteBufAllocator.DEFAULT);
        this.limiter = new ConnectionLimiter(settings.maxConnections(), "ipc.maxConnections");
        this.quickAck = new QuickAckHandler(settings.transport());
    }

    /**
     * Binds the configured sockets.
     *
     * @throws UncheckedIOException if a socket cannot be bound (port in use, socket path not writable)
     */
    public synchronized void start() {
        int threads = settings.ioThreads() > 0 ? settings.ioThreads() : Runtime.getRuntime().availableProcessors();
        loops = new MultiThreadIoEventLoopGroup(threads, settings.transport().ioHandlerFactory());
        try {
            if (settings.tcpEnabled()) {
                Channel tcp = bootstrap(settings.transport().tcpServer())
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .bind(new InetSocketAddress(settings.host(), settings.port())).syncUninterruptibly().channel();
                listeners.add(tcp);
                port = ((InetSocketAddress) tcp.localAddress()).getPort();
                LOG.info("listening on tcp://{}:{} ({})", settings.host(), port, settings.transport());
            }
            if (settings.unixSocket().isPresent()) {
                Path path = settings.unixSocket().get();
                Files.createDirectories(path.toAbsolutePath().getParent());
                Files.deleteIfExists(path); // a socket file left by a process that died
                Channel unix = bootstrap(settings.transport().unixServer())
                        .bind(settings.transport().unixAddress(path)).syncUninterruptibly().channel();
                listeners.add(unix);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(settings.unixSocketPermissions()));
                LOG.info("listening on unix://{} ({})", path, settings.unixSocketPermissions());
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot listen on " + describeSockets() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw new UncheckedIOException("cannot listen on " + describeSockets() + ": " + e.getMessage(),
                    e.getCause() instanceof IOException io ? io : new IOException(e));
        }
    }

    private String describeSockets() {
        List<String> sockets = new ArrayList<>();
        if (settings.tcpEnabled()) {
            sockets.add("tcp://" + settings.host() + ":" + settings.port());
        }
        settings.unixSocket().ifPresent(path -> sockets.add("unix://" + path));
        return String.join(" and ", sockets);
    }

    private ServerBootstrap bootstrap(Class<? extends io.netty.channel.ServerChannel> type) {
        return new ServerBootstrap()
                .group(loops)
                .channel(type)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        var pipeline = channel.pipeline();
                        if (channel instanceof SocketChannel) {
                            pipeline.addLast("quickack", quickAck);
                        }
                        pipeline.addLast("limiter", limiter);
                        pipeline.addLast("flushes", new FlushConsolidationHandler(256, true));
                        int frameLimit = (int) Math.min(Integer.MAX_VALUE - 8, settings.maxFrameSize().bytes() - 1);
                        pipeline.addLast("frames", new FrameDecoder(true,
                                operation -> Operation.maxPayload(operation, frameLimit), settings.frameTimeout()));
                        if (!settings.idleTimeout().isZero()) {
                            pipeline.addLast("idle", new IdleStateHandler(0, 0,
                                    settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        }
                        pipeline.addLast("handshake", new HandshakeHandler(settings.authenticator(),
                                serverVersion));
                        pipeline.addLast("requests", new RequestHandler(dispatcher, context, state,
                                settings.maxRequestsInFlight(), settings.maxFrameSize().bytes()));
                    }
                });
    }

    /** The bound TCP port (useful with port 0); -1 without TCP. */
    public int port() {
        return port;
    }

    public Optional<Path> unixSocket() {
        return settings.unixSocket();
    }

    /** Who hears of every answered request (metrics); call before {@link #start()}. */
    public void observe(RequestObserver observer) {
        dispatcher.observe(observer);
    }

    public int connectionCount() {
        return limiter.open();
    }

    /** Closes the listening sockets; requests on open connections are answered "shutting down" from now on. */
    public synchronized void stopAccepting() {
        state.stopping();
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        listeners.clear();
        settings.unixSocket().ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("cannot remove the socket file {}: {}", path, e.toString());
            }
        });
    }

    /**
     * Waits for the requests in flight to be answered.
     *
     * @return true if none is left
     */
    public boolean awaitRequests(Duration timeout) throws InterruptedException {
        return state.awaitIdle(timeout, "the Greengrass server");
    }

    /** Closes every connection and the event loops. Idempotent. */
    @Override
    public synchronized void close() {
        stopAccepting();
        limiter.closeAll(2, TimeUnit.SECONDS);
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            loops = null;
        }
    }
}
