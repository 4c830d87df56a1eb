package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamDefinitions;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** CreateMessageStream (op 2): a new stream, on the blocking executor (it writes and syncs the definition). */
public final class CreateMessageStreamHandler implements OperationHandler<Request.CreateMessageStream> {

    @Override
    public Class<Request.CreateMessageStream> requestType() {
        return Request.CreateMessageStream.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.CreateMessageStream request, HandlerContext context) {
        return CompletableFuture.supplyAsync(() -> {
            StreamDefinition definition = StreamDefinitions.toDefinition(request.definition());
            StreamDefinitionChecks.statusStreamsExist(definition, context.store());
            context.store().create(definition);
            return ResponseEncoder.status(context.allocator(), Operation.CREATE_MESSAGE_STREAM_RESPONSE,
                    request.requestId(), ResponseStatus.SUCCESS, null);
        }, context.blockingExecutor());
    }
}
