package io.github.edgestream.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A message written as a stream into pooled buffers of at most {@value #CHUNK} bytes (the first grows from 256
 * bytes, so small messages stay one small buffer), handed over as one buffer: the chunk itself, or a composite of
 * them. A large message (a Greengrass ReadMessages answer of ~11 MB, a Kinesis GetRecords answer of ~14 MB) is then
 * neither copied while it grows nor allocated as one block beyond the allocator's pooled sizes: such blocks go back
 * to the system when freed and every answer faults in fresh pages (measured: the Greengrass read path at ~200k
 * instead of ~300k records/s). Not thread-safe; one per message.
 */
public final class ChunkedOutput extends OutputStream {

    public static final int CHUNK = 64 * 1024;

    private final ByteBufAllocator allocator;
    private final List<ByteBuf> chunks = new ArrayList<>();
    private ByteBuf current;
    private boolean done;

    public ChunkedOutput(ByteBufAllocator allocator) {
        this.allocator = allocator;
        this.current = allocator.buffer(256, CHUNK);
        chunks.add(current);
    }

    /** The first chunk, for a caller that writes a header into it directly (and fills in a length later). */
    public ByteBuf first() {
        return chunks.get(0);
    }

    private ByteBuf writable() {
        if (current.writerIndex() == current.maxCapacity()) {
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
            int n = Math.min(length, buffer.maxWritableBytes());
            buffer.writeBytes(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Bytes written so far, including those written into {@link #first()} directly. */
    public long written() {
        long written = 0;
        for (ByteBuf chunk : chunks) {
            written += chunk.readableBytes();
        }
        return written;
    }

    /** The message: the caller owns it (and releases it, or hands it to Netty, which does). Ends this output. */
    public ByteBuf body() {
        done = true;
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        CompositeByteBuf body = allocator.compositeBuffer(chunks.size());
        body.addComponents(true, chunks);
        return body;
    }

    /** Releases what was written, when the message is not sent after all. Idempotent; no-op after {@link #body()}. */
    public void discard() {
        if (!done) {
            chunks.forEach(ByteBuf::release);
            done = true;
        }
    }
}
