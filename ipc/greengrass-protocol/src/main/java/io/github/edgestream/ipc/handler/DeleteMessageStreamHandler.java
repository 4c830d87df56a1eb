package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/** DeleteMessageStream (op 3): removes the stream and its files; its waiting reads fail with ResourceNotFound. */
public final class DeleteMessageStreamHandler implements OperationHandler<Request.DeleteMessageStream> {

    @Override
    public Class<Request.DeleteMessageStream> requestType() {
        return Request.DeleteMessageStream.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.DeleteMessageStream request, HandlerContext context) {
        return context.service().delete(StreamName.of(request.name()))
                .thenApply(deleted -> ResponseEncoder.status(context.allocator(),
                        Operation.DELETE_MESSAGE_STREAM_RESPONSE, request.requestId(), ResponseStatus.SUCCESS, null));
    }
}
