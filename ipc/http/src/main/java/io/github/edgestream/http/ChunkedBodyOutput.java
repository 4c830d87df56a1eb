package io.github.edgestream.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer body written as a stream into pooled buffers of {@value #CHUNK} bytes, handed over as one composite
 * buffer: a body of any size (a GetRecords answer is ~14 MB) is neither copied while it grows nor allocated as one
 * huge block outside the allocator's pools (which costs every other user of the allocator: measured as a ~40% slower
 * Greengrass read beside Kinesis reads). Not thread-safe; one per answer.
 */
public final class ChunkedBodyOutput extends OutputStream {

    static final int CHUNK = 64 * 1024;

    private final ByteBufAllocator allocator;
    private final List<ByteBuf> chunks = new ArrayList<>();
    private ByteBuf current;
    private boolean done;

    public ChunkedBodyOutput(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    private ByteBuf writable() {
        if (current == null || !current.isWritable()) {
            current = allocator.buffer(CHUNK, CHUNK);
            chunks.add(current);
        }
        return current;
    }

    @Override
    public void write(int b) {
        writable().writeByte(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            ByteBuf buffer = writable();
            int n = Math.min(length, buffer.writableBytes());
            buffer.writeBytes(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** The body written so far; the caller owns it (the layer releases it once sent). Ends this output. */
    public ByteBuf body() {
        done = true;
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        CompositeByteBuf body = allocator.compositeBuffer(Math.max(2, chunks.size()));
        body.addComponents(true, chunks);
        return body;
    }

    /** Releases what was written, when the answer is not sent after all. */
    public void discard() {
        if (!done) {
            chunks.forEach(ByteBuf::release);
            done = true;
        }
    }
}
