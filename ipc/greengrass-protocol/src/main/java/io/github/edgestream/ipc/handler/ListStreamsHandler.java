package io.github.edgestream.ipc.handler;

import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/** ListStreams (op 11): every stream name, sorted; an empty list, never an absent one. */
public final class ListStreamsHandler implements OperationHandler<Request.ListStreams> {

    @Override
    public Class<Request.ListStreams> requestType() {
        return Request.ListStreams.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.ListStreams request, HandlerContext context) {
        return context.service().list()
                .thenApply(names -> ResponseEncoder.streams(context.allocator(), request.requestId(), names));
    }
}
