package io.github.edgestream.ipc.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds outgoing frames as one buffer each, so that a frame always goes out in a single write and two frames never
 * interleave (the Python client cannot re-synchronise after a split header). The payload is written straight into
 * the buffer; the length is filled in afterwards. See {@link FrameDecoder} for the layout.
 *
 * <p>A frame longer than {@value #CHUNK} bytes is written into pooled chunks of that size (the first grows from 256
 * bytes) and handed over as one composite buffer, instead of one buffer doubling its way up: a ReadMessages answer
 * of 10,000 records (~11 MB) would otherwise be copied a dozen times into ever larger blocks, the largest beyond
 * the allocator's pooled sizes, which the C library hands back to the system once freed, so that every answer
 * touched ~25 MB of fresh pages (~6,600 page faults; measured: readMessages ~200k instead of ~300k rec/s).
 */
public final class FrameWriter {

    static final int CHUNK = 64 * 1024;

    /** Writes one CBOR payload. */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(OutputStream out) throws IOException;
    }

    private FrameWriter() {
    }

    /** One frame. */
    public static ByteBuf frame(ByteBufAllocator allocator, int operation, PayloadWriter payload) {
        return write(allocator, false, operation, payload);
    }

    /** The preamble byte followed by a frame, in one buffer (a connection's first message). */
    public static ByteBuf preambleAndFrame(ByteBufAllocator allocator, int operation, PayloadWriter payload) {
        return write(allocator, true, operation, payload);
    }

    /** Just the preamble byte. */
    public static ByteBuf preamble(ByteBufAllocator allocator) {
        return allocator.buffer(1).writeByte(Preamble.CONNECT_VERSION);
    }

    private static ByteBuf write(ByteBufAllocator allocator, boolean preamble, int operation, PayloadWriter payload) {
        Chunks out = new Chunks(allocator);
        try {
            ByteBuf first = out.current;
            if (preamble) {
                first.writeByte(Preamble.CONNECT_VERSION);
            }
            int lengthIndex = first.writerIndex();
            first.writeInt(0);
            first.writeByte(operation);
            payload.write(out);
            long length = out.written() - lengthIndex - 4;
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("frame of " + length + " bytes");
            }
            first.setInt(lengthIndex, (int) length);
            return out.body();
        } catch (IOException e) {
            out.release();
            throw new UncheckedIOException("cannot encode a frame", e);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** The frame's bytes in chunks of at most {@value #CHUNK}; not thread-safe, one per frame. */
    private static final class Chunks extends OutputStream {
        private final ByteBufAllocator allocator;
        private final List<ByteBuf> chunks = new ArrayList<>();
        private ByteBuf current;

        Chunks(ByteBufAllocator allocator) {
            this.allocator = allocator;
            current = allocator.buffer(256, CHUNK);
            chunks.add(current);
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
        public void write(byte[] bytes, int offset, int count) {
            while (count > 0) {
                ByteBuf buffer = writable();
                int n = Math.min(count, buffer.maxWritableBytes());
                buffer.writeBytes(bytes, offset, n);
                offset += n;
                count -= n;
            }
        }

        /** How many bytes the chunks hold, including those written into the first one directly. */
        long written() {
            long written = 0;
            for (ByteBuf chunk : chunks) {
                written += chunk.readableBytes();
            }
            return written;
        }

        /** The frame: the one chunk, or all of them as one composite buffer. */
        ByteBuf body() {
            if (chunks.size() == 1) {
                return current;
            }
            CompositeByteBuf body = allocator.compositeBuffer(chunks.size());
            body.addComponents(true, chunks);
            return body;
        }

        void release() {
            chunks.forEach(ByteBuf::release);
        }
    }
}
