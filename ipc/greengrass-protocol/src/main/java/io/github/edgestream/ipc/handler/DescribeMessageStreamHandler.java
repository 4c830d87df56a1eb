package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/** DescribeMessageStream (op 13): definition, storage status and export progress; no I/O. */
public final class DescribeMessageStreamHandler implements OperationHandler<Request.DescribeMessageStream> {

    @Override
    public Class<Request.DescribeMessageStream> requestType() {
        return Request.DescribeMessageStream.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.DescribeMessageStream request, HandlerContext context) {
        return context.service().describe(StreamName.of(request.name()))
                .thenApply(description -> ResponseEncoder.description(context.allocator(), request.requestId(),
                        description.info(), description.exports()));
    }
}
