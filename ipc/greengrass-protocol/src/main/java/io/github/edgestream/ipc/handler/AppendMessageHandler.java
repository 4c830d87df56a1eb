package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * AppendMessage (op 4). The service writes on the calling event loop (so one connection's appends keep their
 * order); with {@code flushOnWrite} the response waits for the group commit that makes the message durable.
 */
public final class AppendMessageHandler implements OperationHandler<Request.AppendMessage> {

    @Override
    public Class<Request.AppendMessage> requestType() {
        return Request.AppendMessage.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.AppendMessage request, HandlerContext context) {
        return context.service().append(StreamName.of(request.name()), request.payload())
                .thenApply(sequence -> ResponseEncoder.appended(context.allocator(), request.requestId(), sequence));
    }
}
