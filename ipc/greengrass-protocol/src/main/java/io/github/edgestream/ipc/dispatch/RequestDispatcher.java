package io.github.edgestream.ipc.dispatch;

import io.github.edgestream.ipc.handler.AppendMessageHandler;
import io.github.edgestream.ipc.handler.CreateMessageStreamHandler;
import io.github.edgestream.ipc.handler.DeleteMessageStreamHandler;
import io.github.edgestream.ipc.handler.DescribeMessageStreamHandler;
import io.github.edgestream.ipc.handler.ExtensionHandler;
import io.github.edgestream.ipc.handler.InNamespaceHandler;
import io.github.edgestream.ipc.handler.ListStreamsHandler;
import io.github.edgestream.ipc.handler.ReadMessagesHandler;
import io.github.edgestream.ipc.handler.UpdateMessageStreamHandler;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.github.edgestream.net.RequestObserver;
import io.netty.buffer.ByteBuf;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a valid request to the handler of its operation and turns every outcome into exactly one response frame:
 * the handler's on success, a status response (through {@link GreengrassErrorTable}) on failure. The returned stage
 * never fails. Thread-safe; one instance per server.
 */
public final class RequestDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Map<Operation, OperationHandler<?>> handlers = new EnumMap<>(Operation.class);
    /** The API name the requests of this protocol are reported under. */
    public static final String API = "greengrass";

    private volatile RequestObserver observer = RequestObserver.NONE;

    public RequestDispatcher() {
        register(Operation.CREATE_MESSAGE_STREAM, new CreateMessageStreamHandler());
        register(Operation.UPDATE_MESSAGE_STREAM, new UpdateMessageStreamHandler());
        register(Operation.DELETE_MESSAGE_STREAM, new DeleteMessageStreamHandler());
        register(Operation.DESCRIBE_MESSAGE_STREAM, new DescribeMessageStreamHandler());
        register(Operation.APPEND_MESSAGE, new AppendMessageHandler());
        register(Operation.READ_MESSAGES, new ReadMessagesHandler());
        register(Operation.LIST_STREAMS, new ListStreamsHandler());
        for (InNamespaceHandler handler : InNamespaceHandler.all()) {
            register(handler.operation(), handler);
        }
        for (ExtensionHandler<?> extension : ExtensionHandler.all()) {
            register(extension.operation(), extension);
        }
    }

    private void register(Operation operation, OperationHandler<?> handler) {
        handlers.put(operation, handler);
    }

    /** Who hears of every completed request (metrics); set before the server starts. */
    public void observe(RequestObserver value) {
        observer = java.util.Objects.requireNonNull(value, "observer");
    }

    /** Reports a request answered without reaching a handler (invalid, too large, server stopping). */
    public void refused(Operation operation, ResponseStatus status) {
        try {
            observer.requestCompleted(API, operation.name(), status.name(), 0);
        } catch (RuntimeException e) {
            LOG.warn("request observer failed", e);
        }
    }

    public CompletionStage<ByteBuf> dispatch(Request request, HandlerContext context) {
        long started = System.nanoTime();
        CompletionStage<ByteBuf> response;
        try {
            response = invoke(handlers.get(request.operation()), request, context);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        return response.handle((frame, failure) -> {
            ResponseStatus status = failure == null ? ResponseStatus.SUCCESS
                    : GreengrassErrorTable.statusOf(request.operation(), failure);
            try {
                observer.requestCompleted(API, request.operation().name(), status.name(), System.nanoTime() - started);
            } catch (RuntimeException e) {
                LOG.warn("request observer failed", e);
            }
            return failure == null ? frame : failure(request, failure, context);
        });
    }

    private static <R extends Request> CompletionStage<ByteBuf> invoke(OperationHandler<R> handler, Request request,
            HandlerContext context) {
        return handler.handle(handler.requestType().cast(request), context);
    }

    /** The status response for a failed request. */
    public static ByteBuf failure(Request request, Throwable failure, HandlerContext context) {
        if (!GreengrassErrorTable.isExpected(request.operation(), failure)) {
            LOG.error("{} request {} failed unexpectedly", request.operation(), request.requestId(),
                    GreengrassErrorTable.unwrap(failure));
        }
        return ResponseEncoder.status(context.allocator(), request.operation().response(), request.requestId(),
                GreengrassErrorTable.statusOf(request.operation(), failure),
                GreengrassErrorTable.messageOf(request.operation(), failure));
    }
}
