package io.github.edgestream.ipc.dispatch;

import io.github.edgestream.ipc.wire.Request;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletionStage;

/**
 * Serves one operation of the protocol: decode → {@link io.github.edgestream.core.service.StreamService} → encode.
 * A handler turns the request's wire values into the service's typed arguments, calls one service method and
 * encodes its result; it holds no store rules and picks no executor (the service does both). Handlers are
 * registered explicitly with the {@link RequestDispatcher}, one per operation.
 *
 * <p><b>Threading.</b> Called on the connection's event loop with a request that passed validation. It must not
 * block; the service never does, so a handler only has to avoid work of its own. The stage may complete on any
 * thread.
 *
 * <p><b>Errors.</b> The stage fails with the service's exceptions (core's); the dispatcher turns them into a status
 * response through {@link GreengrassErrorTable}. A handler may also throw them instead: the dispatcher treats that
 * as a failed stage. Handlers may be called again for a repeated request id: ids are the client's business.
 *
 * @param <R> the request type this handler serves
 */
public interface OperationHandler<R extends Request> {

    Class<R> requestType();

    /** The complete response frame for a successful request. */
    CompletionStage<ByteBuf> handle(R request, HandlerContext context);
}
