package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.StreamDefinitions;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/** CreateMessageStream (op 2): a new stream (the service creates it on its blocking executor). */
public final class CreateMessageStreamHandler implements OperationHandler<Request.CreateMessageStream> {

    @Override
    public Class<Request.CreateMessageStream> requestType() {
        return Request.CreateMessageStream.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.CreateMessageStream request, HandlerContext context) {
        return context.service().create(StreamDefinitions.toDefinition(request.definition()))
                .thenApply(created -> ResponseEncoder.status(context.allocator(),
                        Operation.CREATE_MESSAGE_STREAM_RESPONSE, request.requestId(), ResponseStatus.SUCCESS, null));
    }
}
