package io.github.edgestream.ipc.server;

import io.github.edgestream.ipc.codec.MessageFrame;
import io.github.edgestream.ipc.codec.OversizedFrame;
import io.github.edgestream.ipc.codec.Preamble;
import io.github.edgestream.ipc.codec.RequestIds;
import io.github.edgestream.ipc.wire.DecodedRequest;
import io.github.edgestream.ipc.wire.MalformedRequestException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.RequestDecoder;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake (protocol section 4): the preamble byte, then a Connect request. Negotiates the protocol version
 * (1.1.0, else 1.0.0), checks the auth token when client authentication is on, and answers with the preamble byte
 * and a ConnectResponse. On success it removes itself and lets requests through; on any failure it answers with the
 * status of section 4 and closes the connection:
 *
 * <ul>
 *   <li>first byte not 1: UnsupportedConnectVersion (8);</li>
 *   <li>first frame not Connect: UnexpectedOperation (9);</li>
 *   <li>no {@code protocolVersion}: InvalidProtocolVersion (11); neither 1.1.0 nor 1.0.0 offered:
 *       UnsupportedProtocolVersion (10);</li>
 *   <li>token refused by the {@link ClientAuthenticator}: Unauthorized (2) (a missing token and {@code ""} are the
 *       same); the authenticator unable to decide (the Greengrass nucleus unreachable): Unauthorized too, with its
 *       reason in the message.</li>
 * </ul>
 *
 * <p>The authenticator may answer later (it may ask the nucleus). Until it does, the connection is not read, and
 * frames that arrived with the Connect request (a client that does not wait for the ConnectResponse) are kept, up to
 * {@value #MAX_EARLY_FRAMES}, and handed on in order once the client is accepted; more than that closes the
 * connection.
 *
 * One instance per connection; all its state is confined to the event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);
    private static final AtomicLong CLIENTS = new AtomicLong();

    static final int MAX_EARLY_FRAMES = 64;

    private final Optional<ClientAuthenticator> authenticator;
    private final String serverVersion;
    private boolean preambleSeen;
    private boolean refused;
    /** Non-null while the authenticator decides: what arrived after the Connect request. */
    private List<Object> early;

    HandshakeHandler(Optional<ClientAuthenticator> authenticator, String serverVersion) {
        this.authenticator = authenticator;
        this.serverVersion = serverVersion;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (refused) {
            return; // the connection is closing; what follows the refused part is not read
        }
        if (early != null) {
            if (early.size() == MAX_EARLY_FRAMES) {
                LOG.warn("{}: more than {} frames sent before the handshake was answered; closing",
                        ctx.channel().remoteAddress(), MAX_EARLY_FRAMES);
                refused = true;
                ctx.close();
                return;
            }
            early.add(message);
            return;
        }
        if (message instanceof Preamble preamble && !preambleSeen) {
            preambleSeen = true;
            if (!preamble.isSupported()) {
                refuse(ctx, "", ResponseStatus.UNSUPPORTED_CONNECT_VERSION,
                        "connect version " + preamble.version() + " is not supported; the client must send 1");
            }
            return;
        }
        if (message instanceof MessageFrame frame) {
            handleFirstFrame(ctx, frame);
            return;
        }
        if (message instanceof OversizedFrame oversized) {
            LOG.warn("{}: first frame is {} bytes, larger than any Connect request; closing", ctx.channel().remoteAddress(),
                    oversized.length());
        }
        ctx.close();
    }

    private void handleFirstFrame(ChannelHandlerContext ctx, MessageFrame frame) {
        if (frame.operation() != Operation.CONNECT.code()) {
            String requestId = RequestIds.find(frame.payload()).orElse("");
            refuse(ctx, requestId, ResponseStatus.UNEXPECTED_OPERATION,
                    "the first request must be Connect (operation 1), not operation " + frame.operation());
            return;
        }
        DecodedRequest decoded;
        try {
            decoded = RequestDecoder.decode(Operation.CONNECT, frame.payload());
        } catch (MalformedRequestException e) {
            LOG.warn("{}: unreadable Connect request: {}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        Request.Connect connect = (Request.Connect) decoded.request();
        if (!decoded.isValid()) {
            refuse(ctx, connect.requestId(), ResponseStatus.INVALID_PROTOCOL_VERSION, decoded.problemMessage());
            return;
        }
        if (connect.protocolVersion() == null) {
            refuse(ctx, connect.requestId(), ResponseStatus.INVALID_PROTOCOL_VERSION,
                    "the Connect request has no protocolVersion");
            return;
        }
        String version = negotiate(connect);
        if (version == null) {
            refuse(ctx, connect.requestId(), ResponseStatus.UNSUPPORTED_PROTOCOL_VERSION, "protocol version "
                    + connect.protocolVersion() + " is not supported; this server speaks "
                    + ResponseEncoder.SUPPORTED_PROTOCOL_VERSIONS);
            return;
        }
        if (authenticator.isEmpty()) {
            accept(ctx, connect, version);
            return;
        }
        early = new ArrayList<>();
        ctx.channel().config().setAutoRead(false);
        CompletionStage<Boolean> decision;
        try {
            decision = authenticator.get().authenticate(connect.authToken());
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        decision.whenComplete((known, error) -> {
            if (ctx.executor().inEventLoop()) {
                decide(ctx, connect, version, known, error);
            } else {
                ctx.executor().execute(() -> decide(ctx, connect, version, known, error));
            }
        });
    }

    private void decide(ChannelHandlerContext ctx, Request.Connect connect, String version, Boolean known,
            Throwable error) {
        if (refused || !ctx.channel().isActive()) {
            early = null;
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            LOG.warn("{}: cannot check the client's auth token: {}", ctx.channel().remoteAddress(),
                    cause.getMessage());
            refuse(ctx, connect.requestId(), ResponseStatus.UNAUTHORIZED, "the server cannot check the auth token"
                    + " right now (" + cause.getMessage() + "); retry later");
            return;
        }
        if (!Boolean.TRUE.equals(known)) {
            LOG.warn("{}: refused a client with {} auth token", ctx.channel().remoteAddress(),
                    connect.authToken() == null || connect.authToken().isEmpty() ? "no" : "a wrong");
            refuse(ctx, connect.requestId(), ResponseStatus.UNAUTHORIZED, "the auth token is missing or wrong: set"
                    + " AWS_CONTAINER_AUTHORIZATION_TOKEN in the client's environment to the daemon's token");
            return;
        }
        accept(ctx, connect, version);
    }

    private void accept(ChannelHandlerContext ctx, Request.Connect connect, String version) {
        String clientId = "edgestream-client-" + CLIENTS.incrementAndGet();
        ctx.writeAndFlush(ResponseEncoder.connectResponse(ctx.alloc(), connect.requestId(), ResponseStatus.SUCCESS,
                null, version, serverVersion, clientId));
        LOG.debug("{}: connected as {} (SDK {}, protocol {})", ctx.channel().remoteAddress(), clientId,
                connect.sdkVersion(), version);
        List<Object> held = early;
        early = null;
        if (held != null) {
            ctx.channel().config().setAutoRead(true);
            held.forEach(ctx::fireChannelRead);
            if (!held.isEmpty()) {
                ctx.fireChannelReadComplete();
            }
        }
        ctx.pipeline().remove(this);
    }

    private static String negotiate(Request.Connect connect) {
        List<String> offered = new java.util.ArrayList<>();
        offered.add(connect.protocolVersion());
        offered.addAll(connect.otherSupportedProtocolVersions());
        for (String supported : ResponseEncoder.SUPPORTED_PROTOCOL_VERSIONS) {
            if (offered.contains(supported)) {
                return supported;
            }
        }
        return null;
    }

    private void refuse(ChannelHandlerContext ctx, String requestId, ResponseStatus status, String message) {
        refused = true;
        early = null;
        LOG.info("{}: handshake refused with {}: {}", ctx.channel().remoteAddress(), status, message);
        ctx.writeAndFlush(ResponseEncoder.connectResponse(ctx.alloc(), requestId, status, message, null,
                serverVersion, "")).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("{}: closing during the handshake: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
