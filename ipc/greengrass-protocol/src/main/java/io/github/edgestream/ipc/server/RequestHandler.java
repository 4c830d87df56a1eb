package io.github.edgestream.ipc.server;

import io.github.edgestream.ipc.codec.FrameDecoder;
import io.github.edgestream.ipc.codec.MessageFrame;
import io.github.edgestream.ipc.codec.OversizedFrame;
import io.github.edgestream.ipc.codec.RequestIds;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.RequestDispatcher;
import io.github.edgestream.ipc.wire.AppendFastPath;
import io.github.edgestream.ipc.wire.DecodedRequest;
import io.github.edgestream.ipc.wire.MalformedRequestException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.RequestDecoder;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.github.edgestream.net.InFlightRequests;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one connection after the handshake. Each frame is decoded and checked; a valid request goes
 * to the {@link RequestDispatcher} and its response is written whenever it is ready, so requests on a connection run
 * concurrently (a read waiting for data never delays an append sent after it). Each response is one buffer, written
 * by the channel's event loop: frames go out whole, one at a time.
 *
 * <p>What cannot be answered closes the connection: a payload without a {@code requestId}, or broken framing.
 * Everything else is answered: InvalidRequest with every problem, RequestPayloadTooLarge for an oversized frame,
 * op 17 with UnknownOperation for an operation that is not a request.
 *
 * <p>Back-pressure: with {@code maxRequestsInFlight} requests unanswered, or the socket's write buffer full, the
 * connection stops being read until that changes, so a client that never reads cannot make the server buffer
 * without bound. One instance per connection; all its state is confined to the event loop.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private final RequestDispatcher dispatcher;
    private final HandlerContext sharedContext;
    private final InFlightRequests server;
    private final int maxInFlight;
    private final long maxFrameSize;
    private HandlerContext context;
    private int inFlight;

    RequestHandler(RequestDispatcher dispatcher, HandlerContext context, InFlightRequests server, int maxInFlight,
            long maxFrameSize) {
        this.dispatcher = dispatcher;
        this.sharedContext = context;
        this.server = server;
        this.maxInFlight = maxInFlight;
        this.maxFrameSize = maxFrameSize;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = sharedContext.withAllocator(ctx.alloc());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof MessageFrame frame) {
            onFrame(ctx, frame);
        } else if (message instanceof OversizedFrame oversized) {
            onOversized(ctx, oversized);
        } else {
            ctx.fireChannelRead(message);
        }
    }

    private void onFrame(ChannelHandlerContext ctx, MessageFrame frame) {
        Optional<Operation> operation = Operation.fromCode(frame.operation()).filter(Operation::isRequest);
        if (operation.isEmpty()) {
            Optional<String> requestId = RequestIds.find(frame.payload());
            if (requestId.isEmpty()) {
                closeBecause(ctx, "a frame with operation " + frame.operation() + " and no readable requestId");
                return;
            }
            respond(ctx, ResponseEncoder.unknownOperation(ctx.alloc(), requestId.get(), "operation "
                    + frame.operation() + " is not a request this server knows (expected 2, 3, 4, 5, 11, 13 or 15)"));
            return;
        }
        DecodedRequest decoded;
        Request.AppendMessage plainAppend = operation.get() == Operation.APPEND_MESSAGE
                ? AppendFastPath.decode(frame.payload()) : null;
        if (plainAppend != null) {
            decoded = new DecodedRequest(plainAppend, List.of());
        } else {
            try {
                decoded = RequestDecoder.decode(operation.get(), frame.payload());
            } catch (MalformedRequestException e) {
                closeBecause(ctx, e.getMessage());
                return;
            }
        }
        if (!decoded.isValid()) {
            dispatcher.refused(operation.get(), ResponseStatus.INVALID_REQUEST);
            respond(ctx, ResponseEncoder.status(ctx.alloc(), operation.get().response(), decoded.request().requestId(),
                    ResponseStatus.INVALID_REQUEST, decoded.problemMessage()));
            return;
        }
        if (server.isStopping()) {
            dispatcher.refused(operation.get(), ResponseStatus.UNKNOWN_FAILURE);
            respond(ctx, ResponseEncoder.status(ctx.alloc(), operation.get().response(), decoded.request().requestId(),
                    ResponseStatus.UNKNOWN_FAILURE, "the server is shutting down; retry after it restarts"));
            return;
        }
        inFlight++;
        server.requestStarted();
        updateAutoRead(ctx);
        dispatcher.dispatch(decoded.request(), context).whenComplete((response, impossible) -> {
            // The dispatcher's stage never fails; the response may come from any thread.
            if (ctx.executor().inEventLoop()) {
                finish(ctx, response);
            } else {
                ctx.executor().execute(() -> finish(ctx, response));
            }
        });
    }

    private void finish(ChannelHandlerContext ctx, ByteBuf response) {
        inFlight--;
        respond(ctx, response);
        server.requestFinished();
        updateAutoRead(ctx);
    }

    private void onOversized(ChannelHandlerContext ctx, OversizedFrame oversized) {
        Optional<Operation> operation = Operation.fromCode(oversized.operation()).filter(Operation::isRequest);
        if (oversized.requestId().isEmpty() || operation.isEmpty()) {
            closeBecause(ctx, "a frame of " + oversized.length() + " bytes, above the maximum of " + maxFrameSize
                    + ", without a readable requestId");
            return;
        }
        dispatcher.refused(operation.get(), ResponseStatus.REQUEST_PAYLOAD_TOO_LARGE);
        String limit = oversized.maxLength() >= maxFrameSize
                ? "the server's maximum frame size of " + maxFrameSize + " bytes (server.maxFrameSize)"
                : "the " + oversized.maxLength() + " bytes a " + operation.get() + " request can need";
        respond(ctx, ResponseEncoder.status(ctx.alloc(), operation.get().response(), oversized.requestId().get(),
                ResponseStatus.REQUEST_PAYLOAD_TOO_LARGE, "the request frame is " + oversized.length()
                        + " bytes, more than " + limit + "; the server skipped it"));
    }

    private void respond(ChannelHandlerContext ctx, ByteBuf response) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            response.release();
        }
    }

    private void updateAutoRead(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(inFlight < maxInFlight && ctx.channel().isWritable());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && inFlight == 0) {
            LOG.debug("{}: idle, closing", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof FrameDecoder.StalledFrameException || root instanceof CorruptedFrameException) {
            closeBecause(ctx, root.getMessage());
        } else if (root instanceof IOException) {
            LOG.debug("{}: connection error: {}", ctx.channel().remoteAddress(), root.toString());
            ctx.close();
        } else {
            LOG.error("{}: unexpected error; closing the connection", ctx.channel().remoteAddress(), root);
            ctx.close();
        }
    }

    private static void closeBecause(ChannelHandlerContext ctx, String reason) {
        LOG.warn("{}: closing the connection: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }
}
