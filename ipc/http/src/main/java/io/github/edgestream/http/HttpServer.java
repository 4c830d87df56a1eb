package io.github.edgestream.http;

import io.github.edgestream.net.ConnectionLimiter;
import io.github.edgestream.net.InFlightRequests;
import io.github.edgestream.net.RequestObserver;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's local HTTP port: every HTTP API on one listener, HTTP/1.1 and HTTP/2 over cleartext with prior
 * knowledge told apart by a connection's first bytes (the AWS JS v3 and Java async clients speak h2c by default;
 * curl, boto3 and the Java sync clients speak HTTP/1.1).
 *
 * <pre>
 * per connection:  limiter -> [idle] -> detector -> HTTP/1.1: codec -> exchange
 *                                                 \-> HTTP/2: frame codec -> multiplexer -> per stream: frame/HTTP
 *                                                     object codec -> exchange
 * </pre>
 *
 * Both paths end in the same {@link ExchangeHandler}, which sees each request as HTTP objects whatever the version.
 *
 * <p>Lifecycle: {@link #start()} binds; {@link #stopAccepting()} closes the listener and answers new requests 503;
 * {@link #awaitRequests(Duration)} waits for requests in flight; {@link #close()} closes every connection. Thread-safe.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** How many streams' windows a connection's window covers (see the HTTP/2 set-up). */
    private static final int PAUSED_STREAMS_PER_CONNECTION = 16;

    private final HttpSettings settings;
    private final List<HttpApi> apis;
    private final HttpAuthenticator authenticator;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final ConnectionLimiter limiter;
    private volatile RequestObserver observer = RequestObserver.NONE;
    private EventLoopGroup loops;
    private Channel listener;
    private int port = -1;

    /**
     * @param apis          the APIs served, asked in this order which one takes a request
     * @param authenticator who is calling; {@link HttpAuthenticator#OPEN} when authentication is off
     */
    public HttpServer(HttpSettings settings, List<HttpApi> apis, HttpAuthenticator authenticator) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.apis = List.copyOf(apis);
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.limiter = new ConnectionLimiter(settings.maxConnections(), "http.maxConnections");
    }

    /** Who hears of every answered request (metrics); call before {@link #start()}. */
    public void observe(RequestObserver value) {
        this.observer = Objects.requireNonNull(value, "observer");
    }

    /**
     * Binds the port. If it cannot be bound, the server is left as before, and {@code start} may be tried again.
     *
     * @throws UncheckedIOException if it cannot be bound
     * @throws IllegalStateException if the server was stopped or already started
     */
    public synchronized void start() {
        if (inFlight.isStopping() || listener != null) {
            throw new IllegalStateException(listener != null ? "already started" : "stopped");
        }
        int threads = settings.ioThreads() > 0 ? settings.ioThreads() : Runtime.getRuntime().availableProcessors();
        loops = new MultiThreadIoEventLoopGroup(threads, settings.transport().ioHandlerFactory());
        try {
            listener = new ServerBootstrap()
                    .group(loops)
                    .channel(settings.transport().tcpServer())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            ChannelPipeline pipeline = channel.pipeline();
                            pipeline.addLast("limiter", limiter);
                            if (!settings.idleTimeout().isZero()) {
                                pipeline.addLast("idle", new IdleStateHandler(0, 0,
                                        settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                            }
                            pipeline.addLast("detector", new ProtocolDetector(HttpServer.this::http2,
                                    HttpServer.this::http1));
                            if (!settings.idleTimeout().isZero()) {
                                pipeline.addLast("idleCloser", new IdleCloser());
                            }
                        }
                    })
                    .bind(new InetSocketAddress(settings.host(), settings.port())).syncUninterruptibly().channel();
            port = ((InetSocketAddress) listener.localAddress()).getPort();
            LOG.info("HTTP APIs {} listening on http://{}:{} (HTTP/1.1 and h2c, {}, authentication {})",
                    apis.stream().map(HttpApi::name).toList(), settings.host(), port, settings.transport(),
                    settings.authenticate() ? "on" : "OFF");
        } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
            // the loops go, but the server is not stopping: start() may be called again (the port may free up)
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            loops = null;
            throw new UncheckedIOException("cannot listen on http://" + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e instanceof IOException io ? io
                    : e.getCause() instanceof IOException cause ? cause : new IOException(e));
        }
    }

    private void http1(ChannelHandlerContext ctx) {
        String at = ctx.name();
        ctx.pipeline().addAfter(at, "http1", new HttpServerCodec(settings.maxInitialLine(),
                settings.maxHeaderSize(), 64 << 10));
        ctx.pipeline().addAfter("http1", "exchange", exchange(false));
    }

    private void http2(ChannelHandlerContext ctx) {
        Http2Settings initial = Http2Settings.defaultSettings()
                .maxConcurrentStreams(settings.maxConcurrentStreams())
                .maxHeaderListSize(settings.maxHeaderSize());
        String at = ctx.name();
        ctx.pipeline().addAfter(at, "http2", Http2FrameCodecBuilder.forServer().initialSettings(initial)
                .validateHeaders(true).build());
        ctx.pipeline().addAfter("http2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("objects", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("exchange", exchange(true));
            }
        }));
        // A paused session (RequestBodyStream.pause) keeps the bytes of its stream's window unread, and unread bytes
        // count against the connection's window too: with the default connection window (one stream window), one
        // paused session would stall every other stream of the connection. The connection's window covers every
        // stream's instead, up to 16 streams' worth (1 MiB): enough that a few paused sessions leave the others
        // room, while a connection never holds more than that of unread data.
        long connectionWindow = (long) Http2CodecUtil.DEFAULT_WINDOW_SIZE
                * Math.min(PAUSED_STREAMS_PER_CONNECTION, settings.maxConcurrentStreams());
        int increment = (int) Math.min(Integer.MAX_VALUE - Http2CodecUtil.DEFAULT_WINDOW_SIZE,
                connectionWindow - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
        if (increment > 0) {
            ctx.pipeline().context("streams").writeAndFlush(new DefaultHttp2WindowUpdateFrame(increment));
        }
    }

    /**
     * Last in a connection's pipeline: closes the connection when the idle event gets this far, that is before the
     * protocol is known (nothing or part of the HTTP/2 preface received), or on HTTP/2 unless a stream is open. On
     * HTTP/1.1 the exchange handler decides (it does not pass the event on).
     */
    private static final class IdleCloser extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                Http2FrameCodec http2 = ctx.pipeline().get(Http2FrameCodec.class);
                if (http2 == null || http2.connection().numActiveStreams() == 0) {
                    ctx.close();
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    private ExchangeHandler exchange(boolean http2) {
        return new ExchangeHandler(apis, authenticator, settings, observer, inFlight, http2);
    }

    /** The bound port (useful with port 0); -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    public int connectionCount() {
        return limiter.open();
    }

    /** Closes the listener; requests still arriving on open connections are answered 503. */
    public synchronized void stopAccepting() {
        inFlight.stopping();
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
    }

    /** Waits for the requests in flight to be answered; true if none is left. */
    public boolean awaitRequests(Duration timeout) throws InterruptedException {
        return inFlight.awaitIdle(timeout, "the HTTP server");
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
        for (HttpApi api : apis) {
            try {
                api.close();
            } catch (RuntimeException e) {
                LOG.warn("the {} API failed to close", api.name(), e);
            }
        }
    }
}
