package io.github.edgestream.ipc.codec;

import io.github.edgestream.net.ChunkedOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

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

    static final int CHUNK = ChunkedOutput.CHUNK;

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
        ChunkedOutput out = new ChunkedOutput(allocator);
        try {
            ByteBuf first = out.first();
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
            out.discard();
            throw new UncheckedIOException("cannot encode a frame", e);
        } catch (RuntimeException e) {
            out.discard();
            throw e;
        }
    }
}
