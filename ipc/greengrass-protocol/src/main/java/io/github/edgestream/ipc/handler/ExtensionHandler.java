package io.github.edgestream.ipc.handler;

import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.dispatch.OperationHandler;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseEncoder;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The handler of one extension operation: decode (done) → {@link ExtensionOperations} → the response body encoded
 * after requestId and status. {@link #all()} lists one per extension request.
 */
public final class ExtensionHandler<R extends Request> implements OperationHandler<R> {

    private final Operation requestOperation;
    private final Class<R> type;
    private final BiFunction<R, HandlerContext, CompletionStage<Map<String, Object>>> operation;

    private ExtensionHandler(Operation requestOperation, Class<R> type,
            BiFunction<R, HandlerContext, CompletionStage<Map<String, Object>>> operation) {
        this.requestOperation = requestOperation;
        this.type = type;
        this.operation = operation;
    }

    /** A handler for every extension request. */
    public static List<ExtensionHandler<?>> all() {
        return List.of(
                new ExtensionHandler<>(Operation.APPEND_BATCH, Request.AppendBatch.class, ExtensionOperations::appendBatch),
                new ExtensionHandler<>(Operation.FENCE, Request.Fence.class, ExtensionOperations::fence),
                new ExtensionHandler<>(Operation.TRIM, Request.Trim.class, ExtensionOperations::trim),
                new ExtensionHandler<>(Operation.SEEK_TIME, Request.SeekTime.class, ExtensionOperations::seekTime),
                new ExtensionHandler<>(Operation.COMMIT_CURSOR, Request.CommitCursor.class, ExtensionOperations::commitCursor),
                new ExtensionHandler<>(Operation.RESET_CURSOR, Request.ResetCursor.class, ExtensionOperations::resetCursor),
                new ExtensionHandler<>(Operation.LIST_CURSORS, Request.ListCursors.class, ExtensionOperations::listCursors),
                new ExtensionHandler<>(Operation.READ_RECORDS, Request.ReadRecords.class, ExtensionOperations::readRecords));
    }

    /** The request operation this handler answers. */
    public Operation operation() {
        return requestOperation;
    }

    @Override
    public Class<R> requestType() {
        return type;
    }

    @Override
    public CompletionStage<ByteBuf> handle(R request, HandlerContext context) {
        return operation.apply(request, context).thenApply(body -> ResponseEncoder.extension(
                context.allocator(), request.operation().response(), request.requestId(), ResponseStatus.SUCCESS,
                null, body));
    }
}
