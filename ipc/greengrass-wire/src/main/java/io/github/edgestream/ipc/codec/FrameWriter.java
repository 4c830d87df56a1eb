package io.github.edgestream.ipc.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Builds outgoing frames in one buffer each, so that a frame always goes out in a single write and two frames never
 * interleave (the Python client cannot re-synchronise after a split header). The payload is written straight into
 * the buffer; the length is filled in afterwards. See {@link FrameDecoder} for the layout.
 */
public final class FrameWriter {

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
        ByteBuf buffer = allocator.buffer(256);
        try {
            if (preamble) {
                buffer.writeByte(Preamble.CONNECT_VERSION);
            }
            int lengthIndex = buffer.writerIndex();
            buffer.writeInt(0);
            buffer.writeByte(operation);
            try (ByteBufOutputStream out = new ByteBufOutputStream(buffer)) {
                payload.write(out);
            }
            buffer.setInt(lengthIndex, buffer.writerIndex() - lengthIndex - 4);
            return buffer;
        } catch (IOException e) {
            buffer.release();
            throw new UncheckedIOException("cannot encode a frame", e);
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
    }
}
