package io.github.edgestream.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.github.edgestream.http.auth.Authentication;
import io.github.edgestream.http.auth.Principal;
import io.github.edgestream.net.InFlightRequests;
import io.github.edgestream.net.RequestObserver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request at a time through its life: head (route, size check) → body (bounded) → authentication → the API →
 * the reply (whole or streamed) → metrics and access log. One instance per HTTP/1.1 connection or HTTP/2 stream,
 * on its event loop, so no state here is shared.
 *
 * <p>HTTP/1.1 requests on one connection are served one after another: reading stops while a request is being
 * answered (a pipelining client simply waits). A body beyond the limit is never buffered: the request is answered
 * 413 and the connection closed (HTTP/1.1) or the stream ended (HTTP/2).
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeHandler.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.github.edgestream.http.access");

    private final List<HttpApi> apis;
    private final HttpAuthenticator authenticator;
    private final HttpSettings settings;
    private final RequestObserver observer;
    private final InFlightRequests inFlight;
    private final boolean http2;

    /** The request being received or answered; null between requests. */
    private Exchange current;
    /** Messages decoded while a request was being answered (HTTP/1.1 pipelining), in order; owned here. */
    private final java.util.ArrayDeque<Object> held = new java.util.ArrayDeque<>();

    ExchangeHandler(List<HttpApi> apis, HttpAuthenticator authenticator, HttpSettings settings,
            RequestObserver observer, InFlightRequests inFlight, boolean http2) {
        this.apis = apis;
        this.authenticator = authenticator;
        this.settings = settings;
        this.observer = observer;
        this.inFlight = inFlight;
        this.http2 = http2;
    }

    /** A request in progress. */
    private static final class Exchange {
        final HttpRequest head;
        final HttpApi api;
        final long started = System.nanoTime();
        ByteBuf body;
        boolean refused;
        /** The whole request, body included, has been read from the connection. */
        boolean requestComplete;
        boolean keepAlive;
        /** The request is complete (or refused) and being answered: what arrives now is the next request's. */
        boolean answering;
        /** The body of a session request, passed on as it arrives; null for a request answered once complete. */
        SessionBody session;

        Exchange(HttpRequest head, HttpApi api) {
            this.head = head;
            this.api = api;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (draining) {
            drained += msg instanceof HttpContent content ? content.content().readableBytes() : 0;
            ReferenceCountUtil.release(msg);
            if (drained > MAX_DRAINED) {
                ctx.close();
            }
            return;
        }
        if (current != null && current.session != null && !current.session.finished && held.isEmpty()
                && msg instanceof HttpContent content && !(msg instanceof HttpRequest)) {
            current.session.deliver(content);
            return;
        }
        if ((current != null && current.answering) || !held.isEmpty()) {
            // pipelined: the decoder had already decoded what followed the request being answered
            held.add(msg);
            return;
        }
        process(ctx, msg);
    }

    /**
     * Passes on the messages held while a request was answered, until one starts the next answer; a session being
     * answered still takes its body's held parts.
     */
    private void releaseHeld(ChannelHandlerContext ctx) {
        while (!held.isEmpty() && (current == null || !current.answering || (current.session != null
                && !current.session.finished && !(held.peek() instanceof HttpRequest)))) {
            process(ctx, held.poll());
        }
    }

    private void process(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof LastHttpContent && current != null) {
            current.requestComplete = true;
        }
        try {
            if (msg instanceof HttpRequest head) {
                onHead(ctx, head);
            }
            if (msg instanceof HttpContent content && current != null && !current.refused) {
                if (current.session != null) {
                    // a session's body (a FullHttpRequest's over HTTP/2, or content held while pipelining) goes to
                    // the session, never into a buffered body: that would answer the request a second time
                    if (!current.session.finished) {
                        current.session.deliver(content.retain());
                    }
                } else {
                    onContent(ctx, content);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpRequest head) {
        if (current != null) {
            // cannot happen while reading is paused; a broken peer: drop the connection
            ctx.close();
            return;
        }
        HttpApi api = route(head);
        current = new Exchange(head, api);
        current.keepAlive = HttpUtil.isKeepAlive(head);
        DecoderResult result = head.decoderResult();
        if (result.isFailure()) {
            current.keepAlive = false;
            refuse(ctx, malformed(result.cause()));
            return;
        }
        if (api == null) {
            refuse(ctx, new HttpProblem(HttpProblem.Kind.NOT_FOUND, "no API of this daemon serves " + head.method()
                    + " " + pathOf(head.uri()) + describeTarget(head)));
            return;
        }
        if (api.streamsRequestBody(head)) {
            // a session: answered now, its body passed on as it arrives
            current.session = new SessionBody(ctx);
            current.body = Unpooled.EMPTY_BUFFER;
            serve(ctx, current);
            return;
        }
        long declared = HttpUtil.getContentLength(head, -1L);
        if (declared > settings.maxBodySize()) {
            current.keepAlive = false;
            refuse(ctx, tooLarge(declared));
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        // sized by Content-Length (no copies while it arrives) up to 1 MiB: a header alone reserves no more than that
        current.body = ctx.alloc().buffer((int) Math.max(0, Math.min(declared, 1 << 20)));
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        Exchange exchange = current;
        ByteBuf chunk = content.content();
        if (exchange.body.readableBytes() + (long) chunk.readableBytes() > settings.maxBodySize()) {
            exchange.keepAlive = false;
            long seen = exchange.body.readableBytes() + (long) chunk.readableBytes();
            exchange.body.release();
            exchange.body = null;
            refuse(ctx, tooLarge(seen));
            return;
        }
        exchange.body.writeBytes(chunk);
        if (content instanceof LastHttpContent) {
            if (content.decoderResult().isFailure()) {
                exchange.keepAlive = false;
                exchange.body.release();
                exchange.body = null;
                refuse(ctx, malformed(content.decoderResult().cause()));
                return;
            }
            ctx.channel().config().setAutoRead(false);
            serve(ctx, exchange);
        }
    }

    private void serve(ChannelHandlerContext ctx, Exchange exchange) {
        exchange.answering = true;
        inFlight.requestStarted();
        HttpCall call = callOf(ctx, exchange, exchange.body);
        if (exchange.session != null) {
            call.requestBody(exchange.session);
        }
        CompletionStage<HttpReply> reply;
        if (inFlight.isStopping()) {
            reply = CompletableFuture.completedFuture(exchange.api.problem(
                    new HttpProblem(HttpProblem.Kind.UNAVAILABLE, "the daemon is shutting down"), call));
        } else {
            Authentication authentication = authenticator.authenticate(exchange.api.authScheme(call), call);
            if (authentication instanceof Authentication.Refused refused) {
                LOG.debug("{} refused: {}", ctx.channel().remoteAddress(), refused.problem().message());
                reply = CompletableFuture.completedFuture(exchange.api.problem(refused.problem(), call));
            } else {
                call.principal(((Authentication.Granted) authentication).principal());
                reply = invoke(exchange.api, call);
            }
        }
        reply.whenComplete((answer, failure) -> ctx.executor().execute(() -> {
            HttpReply toSend = answer;
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                LOG.error("{} {} {}: the {} API failed unexpectedly", exchange.head.method(), exchange.head.uri(),
                        call.operation(), exchange.api.name(), cause);
                toSend = exchange.api.problem(new HttpProblem(HttpProblem.Kind.INTERNAL,
                        "internal error (" + cause.getClass().getSimpleName() + "); see the daemon's log"), call);
            }
            exchange.body.release();
            exchange.body = null;
            send(ctx, exchange, call, toSend).addListener(done -> inFlight.requestFinished());
        }));
    }

    private static CompletionStage<HttpReply> invoke(HttpApi api, HttpCall call) {
        try {
            CompletionStage<HttpReply> stage = api.handle(call);
            return stage == null ? CompletableFuture.failedFuture(new NullPointerException("no reply")) : stage;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Answers a request the layer refused before its API ran; reading stops until the answer is written. */
    private void refuse(ChannelHandlerContext ctx, HttpProblem problem) {
        Exchange exchange = current;
        exchange.refused = true;
        exchange.answering = true;
        ctx.channel().config().setAutoRead(false);
        HttpCall call = callOf(ctx, exchange, Unpooled.EMPTY_BUFFER);
        HttpReply reply = exchange.api != null ? exchange.api.problem(problem, call) : plainProblem(problem);
        inFlight.requestStarted();
        send(ctx, exchange, call, reply).addListener(done -> inFlight.requestFinished());
    }

    private HttpCall callOf(ChannelHandlerContext ctx, Exchange exchange, ByteBuf body) {
        return new HttpCall(exchange.head.method(), exchange.head.uri(), exchange.head.headers(), body,
                http2 ? "HTTP/2" : "HTTP/1.1", ctx.channel().remoteAddress(), Principal.NOBODY);
    }

    /** Writes the reply, then reports it and gets ready for the next request (or closes). */
    private ChannelFuture send(ChannelHandlerContext ctx, Exchange exchange, HttpCall call, HttpReply reply) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(reply.status());
        ChannelFuture written;
        long[] bytes = {0};
        if (reply.streaming().isEmpty()) {
            ByteBuf body = reply.body().orElse(Unpooled.EMPTY_BUFFER);
            bytes[0] = body.readableBytes();
            boolean head = exchange.head.method().equals(io.netty.handler.codec.http.HttpMethod.HEAD);
            long length = head && bytes[0] == 0 && reply.headers().contains("content-length")
                    ? Long.parseLong(reply.headers().get("content-length")) : bytes[0];
            if (head) {
                // HEAD: the headers of the answer to a GET, its content-length included, and no body
                body.release();
                body = Unpooled.EMPTY_BUFFER;
                bytes[0] = 0;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            response.headers().set(reply.headers());
            HttpUtil.setContentLength(response, length);
            keepAlive(response, exchange);
            written = ctx.writeAndFlush(response);
            written.addListener(done -> finish(ctx, exchange, call, reply.status(), bytes[0], done.isSuccess()));
        } else {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            response.headers().set(reply.headers());
            HttpUtil.setTransferEncodingChunked(response, true);
            keepAlive(response, exchange);
            ctx.writeAndFlush(response);
            ChunkWriter out = new ChunkWriter(ctx);
            CompletableFuture<Void> ended = out.ended;
            written = ctx.newPromise();
            ChannelFuture promise = written;
            ended.whenComplete((ok, failure) -> ctx.executor().execute(() -> {
                finish(ctx, exchange, call, reply.status(), out.bytes, failure == null);
                ((io.netty.channel.ChannelPromise) promise).trySuccess();
            }));
            try {
                reply.streaming().get().start(out);
            } catch (RuntimeException e) {
                LOG.error("the {} API's streaming reply failed to start", exchange.api == null ? "-"
                        : exchange.api.name(), e);
                out.end();
            }
        }
        return written;
    }

    private void keepAlive(HttpResponse response, Exchange exchange) {
        if (!http2) {
            HttpUtil.setKeepAlive(response, exchange.keepAlive && !inFlight.isStopping());
        }
    }

    private void finish(ChannelHandlerContext ctx, Exchange exchange, HttpCall call, int status, long bytes,
            boolean written) {
        long nanos = System.nanoTime() - exchange.started;
        String api = exchange.api == null ? "none" : exchange.api.name();
        try {
            observer.requestCompleted(api, call.operation(), Integer.toString(status), nanos);
        } catch (RuntimeException e) {
            LOG.warn("request observer failed", e);
        }
        if (ACCESS.isDebugEnabled()) {
            ACCESS.debug("{} {} {} {} {} api={} op={} principal={} status={} bytes={} micros={}{}",
                    ctx.channel().remoteAddress(), call.protocol(), exchange.head.method(), pathOf(exchange.head.uri()),
                    describeTarget(exchange.head), api, call.operation(), call.principal().name(), status, bytes,
                    nanos / 1000, written ? "" : " (not delivered: the client went away)");
        }
        current = null;
        if (exchange.session != null && !exchange.session.finished) {
            // the reply ended before the client finished its body: nothing will read the rest
            exchange.session.abort(new java.nio.channels.ClosedChannelException());
            ctx.close();
            return;
        }
        if (exchange.session != null) {
            exchange.session.discardUnreceived(); // a refused session's body, or one its API never took
            exchange.session.forgetConnection();
        }
        if (http2) {
            return; // the stream ends with the reply; the child channel closes itself
        }
        if (!exchange.keepAlive || inFlight.isStopping() || !written) {
            if (written && exchange.refused && !exchange.requestComplete) {
                closeAfterDraining(ctx);
            } else {
                ctx.close();
            }
        } else {
            ctx.channel().config().setAutoRead(true);
            releaseHeld(ctx);
            ctx.read();
        }
    }

    /** Bytes of a refused request's body read and dropped before its connection closes; see closeAfterDraining. */
    private static final long MAX_DRAINED = 4L << 20;
    private boolean draining;
    private long drained;

    /**
     * Closes a connection whose refused request still has unread body: closing at once, with data unread in the
     * socket, makes the kernel reset the connection, and a client that is still sending loses the answer it was sent.
     * So: end our side (the client reads the answer, then end of stream), read and drop what the client still sends
     * (at most {@value #MAX_DRAINED} bytes, at most 2 seconds), then close.
     */
    private void closeAfterDraining(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof io.netty.channel.socket.DuplexChannel duplex)) {
            ctx.close();
            return;
        }
        draining = true;
        releaseHeldMessages();
        duplex.shutdownOutput().addListener(done -> {
            if (!done.isSuccess()) {
                ctx.close();
                return;
            }
            ctx.channel().config().setAutoRead(true);
            ctx.read();
            ctx.executor().schedule(() -> {
                ctx.close();
            }, 2, java.util.concurrent.TimeUnit.SECONDS);
        });
    }

    private HttpApi route(HttpRequest head) {
        for (HttpApi api : apis) {
            if (api.matches(head)) {
                return api;
            }
        }
        return null;
    }

    private HttpProblem tooLarge(long size) {
        return new HttpProblem(HttpProblem.Kind.BODY_TOO_LARGE, "the request body has " + size
                + (size >= settings.maxBodySize() ? " bytes or more" : " bytes") + " but http.maxBodySize is "
                + settings.maxBodySize() + " bytes");
    }

    private HttpProblem malformed(Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            return new HttpProblem(HttpProblem.Kind.MALFORMED, "the request headers are larger than"
                    + " http.maxHeaderSize (" + settings.maxHeaderSize() + " bytes)");
        }
        if (cause instanceof TooLongHttpLineException) {
            return new HttpProblem(HttpProblem.Kind.MALFORMED, "the request line is longer than"
                    + " http.maxInitialLine (" + settings.maxInitialLine() + " bytes)");
        }
        if (cause instanceof TooLongFrameException) {
            return new HttpProblem(HttpProblem.Kind.MALFORMED, "a request part exceeds a limit: " + cause.getMessage());
        }
        return new HttpProblem(HttpProblem.Kind.MALFORMED, "malformed HTTP request: " + cause.getMessage());
    }

    /** The answer when no API took the request: a small JSON document. */
    private static HttpReply plainProblem(HttpProblem problem) {
        String json = "{\"error\":\"" + problem.kind().name().toLowerCase(java.util.Locale.ROOT)
                + "\",\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(problem.message()))
                + "\"}";
        return HttpReply.text(problem.kind().status(), "application/json", json);
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }

    private static String describeTarget(HttpRequest head) {
        String target = head.headers().get("x-amz-target");
        return target == null ? "" : " (X-Amz-Target " + (target.length() > 100 ? target.substring(0, 100) : target)
                + ")";
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!http2 && (current == null || !current.answering)) {
                ctx.close(); // between requests, or the client stopped in the middle of one
            }
            return; // a request being answered keeps the connection; HTTP/2 streams do not see this event
        }
        if (evt instanceof Http2ResetFrame reset && current != null && current.session != null
                && !current.session.finished) {
            // a paused stream's channel stays open while unread frames wait in it, so the close that would abort
            // the session never comes: abort it now, and close the channel, which frees those frames
            current.session.abort(new java.io.IOException("the client reset the stream (error code "
                    + reset.errorCode() + ")"));
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Exchange exchange = current;
        if (exchange != null && exchange.session != null) {
            exchange.session.abort(new java.nio.channels.ClosedChannelException());
            exchange.session.forgetConnection();
        }
        if (exchange != null && exchange.body != null && !exchange.refused && ctx.channel().config().isAutoRead()) {
            // the client went away in the middle of a body: nothing will answer it
            exchange.body.release();
            exchange.body = null;
            current = null;
        }
        releaseHeldMessages();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (current != null && current.session != null) {
            current.session.abort(new java.nio.channels.ClosedChannelException());
        }
        releaseHeldMessages();
    }

    private void releaseHeldMessages() {
        for (Object msg = held.poll(); msg != null; msg = held.poll()) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /**
     * The body of a session request: chunks handed to the API's receiver in order (queued until it has set one),
     * reading paused and resumed at its word. Touched on the event loop only, except pause and resume, which hop to
     * it.
     */
    private static final class SessionBody implements RequestBodyStream {
        private final ChannelHandlerContext ctx;
        private final java.util.ArrayDeque<ByteBuf> early = new java.util.ArrayDeque<>();
        private Receiver receiver;
        /** The body ended or broke off: nothing more is delivered. */
        boolean finished;
        private boolean ended;
        private Throwable aborted;

        /**
         * HTTP/2: aborts the session when the connection closes. A paused stream's channel does not close with the
         * connection while unread frames wait in it; closing it frees them.
         */
        private final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<? super Void>>
                onConnectionClosed;

        SessionBody(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            io.netty.channel.Channel connection = ctx.channel().parent();
            if (connection == null) {
                onConnectionClosed = null;
            } else {
                onConnectionClosed = closed -> ctx.executor().execute(() -> {
                    abort(new java.nio.channels.ClosedChannelException());
                    ctx.close();
                });
                connection.closeFuture().addListener(onConnectionClosed);
            }
        }

        /** Stops watching the connection (the exchange is over; the connection may carry many more streams). */
        void forgetConnection() {
            if (onConnectionClosed != null) {
                ctx.channel().parent().closeFuture().removeListener(onConnectionClosed);
            }
        }

        void deliver(HttpContent content) {
            ByteBuf chunk = content.content().retain();
            boolean last = content instanceof LastHttpContent;
            ReferenceCountUtil.release(content);
            if (last && content.decoderResult().isFailure()) {
                chunk.release();
                abort(content.decoderResult().cause());
                return;
            }
            if (receiver == null) {
                early.add(chunk);
            } else if (chunk.isReadable()) {
                receiver.onChunk(chunk);
            } else {
                chunk.release();
            }
            if (last) {
                finished = true;
                ended = true;
                if (receiver != null) {
                    receiver.onEnd();
                }
            }
        }

        /** Releases chunks queued for a receiver that was never set (the body ended, the reply too). */
        void discardUnreceived() {
            if (receiver == null) {
                for (ByteBuf chunk = early.poll(); chunk != null; chunk = early.poll()) {
                    chunk.release();
                }
            }
        }

        void abort(Throwable cause) {
            if (finished && (ended || aborted != null)) {
                return;
            }
            finished = true;
            aborted = cause;
            for (ByteBuf chunk = early.poll(); chunk != null; chunk = early.poll()) {
                chunk.release();
            }
            if (receiver != null) {
                receiver.onAbort(cause);
            }
        }

        @Override
        public void receive(Receiver value) {
            java.util.Objects.requireNonNull(value, "receiver");
            ctx.executor().execute(() -> {
                if (receiver != null) {
                    throw new IllegalStateException("the body already has a receiver");
                }
                receiver = value;
                for (ByteBuf chunk = early.poll(); chunk != null; chunk = early.poll()) {
                    value.onChunk(chunk);
                }
                if (ended) {
                    value.onEnd();
                } else if (aborted != null) {
                    value.onAbort(aborted);
                }
            });
        }

        @Override
        public void pause() {
            ctx.executor().execute(() -> ctx.channel().config().setAutoRead(false));
        }

        @Override
        public void resume() {
            ctx.executor().execute(() -> {
                if (!ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(true);
                    ctx.read();
                }
            });
        }
    }

    /** The body of a streaming reply: chunks in order, each write completing once handed to the socket. */
    private static final class ChunkWriter implements ResponseStream {
        private final ChannelHandlerContext ctx;
        private final AtomicBoolean open = new AtomicBoolean(true);
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile long bytes;

        /** Fails the body when the client goes away first; removed once the body ends (keep-alive connections). */
        private final io.netty.util.concurrent.GenericFutureListener<io.netty.util.concurrent.Future<? super Void>>
                onChannelClosed;

        ChunkWriter(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.onChannelClosed = closed -> {
                open.set(false);
                ended.completeExceptionally(new java.nio.channels.ClosedChannelException());
            };
            ctx.channel().closeFuture().addListener(onChannelClosed);
            ended.whenComplete((ok, failure) -> ctx.channel().closeFuture().removeListener(onChannelClosed));
        }

        @Override
        public CompletionStage<Void> write(ByteBuf chunk) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (!open.get()) {
                chunk.release();
                done.completeExceptionally(new java.nio.channels.ClosedChannelException());
                return done;
            }
            bytes += chunk.readableBytes();
            // always through the event loop's task queue, even from the event loop itself: a write made there
            // directly would overtake the writes other threads queued before it
            try {
                ctx.executor().execute(() -> ctx.writeAndFlush(new DefaultHttpContent(chunk)).addListener(f -> {
                    if (f.isSuccess()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(f.cause());
                    }
                }));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                chunk.release();
                done.completeExceptionally(new java.nio.channels.ClosedChannelException());
            }
            return done;
        }

        @Override
        public void end() {
            if (open.compareAndSet(true, false)) {
                ctx.executor().execute(() -> ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
                    if (f.isSuccess()) {
                        ended.complete(null);
                    } else {
                        ended.completeExceptionally(f.cause());
                    }
                }));
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }

        @Override
        public void onClose(Runnable action) {
            ended.whenComplete((ok, failure) -> action.run());
        }
    }
}
