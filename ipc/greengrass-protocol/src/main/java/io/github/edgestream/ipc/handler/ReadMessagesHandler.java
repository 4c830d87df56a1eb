package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * ReadMessages (op 5), with the defaults of protocol section 12 for absent options. A read that must wait holds no
 * thread: its response is written when an append satisfies it or its {@code readTimeoutMillis} ends. Responses stay
 * under the configured response size by returning fewer messages.
 */
public final class ReadMessagesHandler implements OperationHandler<Request.ReadMessages> {

    private static final Request.ReadMessagesOptions DEFAULTS = new Request.ReadMessagesOptions(null, null, null, null);

    @Override
    public Class<Request.ReadMessages> requestType() {
        return Request.ReadMessages.class;
    }

    @Override
    public CompletionStage<ByteBuf> handle(Request.ReadMessages request, HandlerContext context) {
        StreamName name = StreamName.of(request.streamName());
        Request.ReadMessagesOptions options = request.options() == null ? DEFAULTS : request.options();
        ReadRequest read = new ReadRequest(options.start(), options.min(), options.max(),
                Duration.ofMillis(options.timeoutMillis()), context.maxResponseSize(),
                ResponseEncoder.MESSAGE_OVERHEAD + name.value().length());
        return context.service().read(name, read)
                .thenApply(messages -> ResponseEncoder.messages(context.allocator(), request.requestId(), name,
                        messages));
    }
}
