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

/** UpdateMessageStream (op 15): replaces a stream's definition under the rules of protocol section 11. */
public final class UpdateMessageStreamHandler implements OperationHandler<Request.UpdateMessageStream> {

    @Override
    public Class<Request.UpdateMessageStream> requestType() {
        return Request.UpdateMessageStream.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.UpdateMessageStream request, HandlerContext context) {
        return context.service().update(StreamDefinitions.toDefinition(request.definition()))
                .thenApply(updated -> ResponseEncoder.status(context.allocator(),
                        Operation.UPDATE_MESSAGE_STREAM_RESPONSE, request.requestId(), ResponseStatus.SUCCESS, null));
    }
}
