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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
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
 *   <li>token missing or wrong: Unauthorized (2) (a missing token and {@code ""} are the same).</li>
 * </ul>
 *
 * One instance per connection.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeHandler.class);
    private static final AtomicLong CLIENTS = new AtomicLong();

    private final boolean authenticate;
    private final Set<String> tokens;
    private final String serverVersion;
    private boolean preambleSeen;
    private boolean refused;

    HandshakeHandler(boolean authenticate, Set<String> tokens, String serverVersion) {
        this.authenticate = authenticate;
        this.tokens = tokens;
        this.serverVersion = serverVersion;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (refused) {
            return; // the connection is closing; what follows the refused part is not read
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
        if (authenticate && !isKnown(connect.authToken())) {
            LOG.warn("{}: refused a client with {} auth token", ctx.channel().remoteAddress(),
                    connect.authToken() == null || connect.authToken().isEmpty() ? "no" : "a wrong");
            refuse(ctx, connect.requestId(), ResponseStatus.UNAUTHORIZED, "the auth token is missing or wrong: set"
                    + " AWS_CONTAINER_AUTHORIZATION_TOKEN in the client's environment to the daemon's token");
            return;
        }
        String clientId = "edgestream-client-" + CLIENTS.incrementAndGet();
        ctx.writeAndFlush(ResponseEncoder.connectResponse(ctx.alloc(), connect.requestId(), ResponseStatus.SUCCESS,
                null, version, serverVersion, clientId));
        LOG.debug("{}: connected as {} (SDK {}, protocol {})", ctx.channel().remoteAddress(), clientId,
                connect.sdkVersion(), version);
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

    /** Constant-time comparison against every configured token. */
    private boolean isKnown(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] offered = token.getBytes(StandardCharsets.UTF_8);
        boolean known = false;
        for (String candidate : tokens) {
            known |= MessageDigest.isEqual(offered, candidate.getBytes(StandardCharsets.UTF_8));
        }
        return known;
    }

    private void refuse(ChannelHandlerContext ctx, String requestId, ResponseStatus status, String message) {
        refused = true;
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
