package io.github.edgestream.ipc.dispatch;

import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.stream.StreamStore;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.Executor;

/**
 * What handlers work with. Immutable; shared by all connections except for the allocator, which is the
 * connection's.
 *
 * @param store            the streams
 * @param exports          export progress for describe
 * @param blockingExecutor for operations that write and sync files
 * @param maxResponseSize  the byte budget of a read response
 * @param allocator        buffers for responses
 */
public record HandlerContext(StreamStore store, ExportStatusSource exports, Executor blockingExecutor,
        DataSize maxResponseSize, ByteBufAllocator allocator) {

    public HandlerContext withAllocator(ByteBufAllocator other) {
        return new HandlerContext(store, exports, blockingExecutor, maxResponseSize, other);
    }
}
