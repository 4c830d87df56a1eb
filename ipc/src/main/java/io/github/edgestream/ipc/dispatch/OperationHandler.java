package io.github.edgestream.ipc.dispatch;

import io.github.edgestream.ipc.wire.Request;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * Serves one operation of the protocol. Handlers are registered explicitly with the {@link RequestDispatcher}, one
 * per operation.
 *
 * <p><b>Threading.</b> Called on the connection's event loop with a request that passed validation. It must not
 * block: work that can take milliseconds (creating, updating or deleting streams writes and syncs files) goes to
 * {@link HandlerContext#blockingExecutor()}; reads and durable appends return stages that complete later, on store
 * threads. Appends run inline: they cost microseconds (a segment roll, every 16 MiB by default, a few milliseconds).
 *
 * <p><b>Errors.</b> The stage fails with the store's exceptions or {@link InvalidRequestException}; the dispatcher
 * turns them into a status response through {@link ErrorMapper}. Handlers may be called again for a repeated
 * request id: ids are the client's business.
 *
 * @param <R> the request type this handler serves
 */
public interface OperationHandler<R extends Request> {

    Class<R> requestType();

    /** The complete response frame for a successful request. */
    CompletionStage<ByteBuf> handle(R request, HandlerContext context);
}
