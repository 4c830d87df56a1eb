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

/** UpdateMessageStream (op 15): replaces a stream's definition under the rules of protocol section 11. */
public final class UpdateMessageStreamHandler implements OperationHandler<Request.UpdateMessageStream> {

    @Override
    public Class<Request.UpdateMessageStream> requestType() {
        return Request.UpdateMessageStream.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.UpdateMessageStream request, HandlerContext context) {
        StreamDefinition definition = DefinitionDrafts.toDefinition(request.definition());
        return context.service().update(definition)
                .exceptionally(failure -> {
                    // a store-level rule's problems, in core's field paths: name them as the client wrote them
                    throw DefinitionDrafts.inProtocolTerms(definition, failure);
                })
                .thenApply(updated -> ResponseEncoder.status(context.allocator(),
                        Operation.UPDATE_MESSAGE_STREAM_RESPONSE, request.requestId(), ResponseStatus.SUCCESS, null));
    }
}
