package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.DefinitionDrafts;
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
        StreamDefinition definition = DefinitionDrafts.toDefinition(request.definition());
        return context.service().create(definition)
                .exceptionally(failure -> {
                    // a store-level rule's problems, in core's field paths: name them as the client wrote them
                    throw DefinitionDrafts.inProtocolTerms(definition, failure);
                })
                .thenApply(created -> ResponseEncoder.status(context.allocator(),
                        Operation.CREATE_MESSAGE_STREAM_RESPONSE, request.requestId(), ResponseStatus.SUCCESS, null));
    }
}
