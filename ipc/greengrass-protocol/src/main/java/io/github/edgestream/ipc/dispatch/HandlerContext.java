package io.github.edgestream.ipc.dispatch;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.service.StreamService;
import io.netty.buffer.ByteBufAllocator;

/**
 * What handlers work with. Immutable; shared by all connections except for the allocator, which is the
 * connection's.
 *
 * @param service         the stream commands (which also decide where each runs)
 * @param maxResponseSize the byte budget of a read response
 * @param allocator       buffers for responses
 */
public record HandlerContext(StreamService service, DataSize maxResponseSize, ByteBufAllocator allocator) {

    public HandlerContext withAllocator(ByteBufAllocator other) {
        return new HandlerContext(service, maxResponseSize, other);
    }
}
