package io.github.edgestream.api.s2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * S2's "s2s" session framing, which carries a read or append session's messages over one HTTP/2 stream in each
 * direction. Each frame is:
 *
 * <pre>
 * +-----------------------+--------+----------------------+
 * | length (3 bytes, BE)  | flags  | body (length - 1)    |
 * +-----------------------+--------+----------------------+
 * </pre>
 *
 * The length counts the flag byte and the body, so it is at least 1 and at most 2^24 - 1. Flag bits:
 *
 * <ul>
 *   <li>{@code 0x80} terminal: the session's last frame; its body is a 2-byte big-endian HTTP status and a UTF-8
 *       JSON error, e.g. {@code {"code":"invalid","message":"..."}} or {@code {"seq_num_mismatch":5}};</li>
 *   <li>{@code 0x60} compression of the body: {@code 00} none, {@code 01} zstd, {@code 10} gzip (edgestream reads
 *       and writes uncompressed frames only);</li>
 *   <li>{@code 0x10} reconnect advised;</li>
 *   <li>{@code 0x0F} reserved, 0.</li>
 * </ul>
 *
 * A data frame's body is one protobuf message ({@link S2Protobuf}).
 */
final class S2sFraming {

    static final int FLAG_TERMINAL = 0x80;
    static final int COMPRESSION_MASK = 0x60;
    static final int COMPRESSION_SHIFT = 5;
    static final int FLAG_RECONNECT = 0x10;
    static final int RESERVED_MASK = 0x0F;

    static final int COMPRESSION_NONE = 0;
    static final int COMPRESSION_ZSTD = 1;
    static final int COMPRESSION_GZIP = 2;

    /** Largest length the 3-byte prefix can declare. */
    static final int MAX_LENGTH = 0xFF_FF_FF;

    /** Bodies up to this size are copied behind their prefix in one buffer; larger ones are not copied. */
    private static final int COPY_THRESHOLD = 512;

    private S2sFraming() {
    }

    /**
     * One frame as read.
     *
     * @param terminal    the session's last frame
     * @param compression the body's compression, one of the {@code COMPRESSION_} values (always none from
     *                    {@link Decoder})
     * @param reconnect   the sender advises reconnecting
     * @param body        the body; the caller owns it and releases it
     */
    record Frame(boolean terminal, int compression, boolean reconnect, ByteBuf body) {

        /** A terminal frame's HTTP status (its first two bytes). */
        int status() {
            checkTerminal();
            return body.getUnsignedShort(body.readerIndex());
        }

        /** A terminal frame's JSON error (the bytes after the status), as text. */
        String errorJson() {
            checkTerminal();
            return body.toString(body.readerIndex() + 2, body.readableBytes() - 2, StandardCharsets.UTF_8);
        }

        private void checkTerminal() {
            if (!terminal || body.readableBytes() < 2) {
                throw new IllegalStateException(terminal ? "terminal frame of " + body.readableBytes()
                        + " bytes has no status" : "not a terminal frame");
            }
        }
    }

    /**
     * An uncompressed, non-terminal frame around {@code body}, which this takes over (released with the frame, or
     * here if it is too long). A small body is copied behind the prefix; a large one is not, the frame being a
     * composite of a 4-byte prefix and {@code body}.
     *
     * @throws IllegalArgumentException if the body is longer than a frame can hold
     */
    static ByteBuf dataFrame(ByteBufAllocator alloc, ByteBuf body) {
        int bodyLength = body.readableBytes();
        if (bodyLength > MAX_LENGTH - 1) {
            body.release();
            throw new IllegalArgumentException("s2s frame body of " + bodyLength + " bytes is longer than "
                    + (MAX_LENGTH - 1));
        }
        if (bodyLength <= COPY_THRESHOLD) {
            ByteBuf frame = alloc.buffer(4 + bodyLength);
            try {
                frame.writeMedium(1 + bodyLength).writeByte(0).writeBytes(body, body.readerIndex(), bodyLength);
            } finally {
                body.release();
            }
            return frame;
        }
        ByteBuf prefix = null;
        try {
            prefix = alloc.buffer(4).writeMedium(1 + bodyLength).writeByte(0);
            return alloc.compositeBuffer(2).addComponents(true, prefix, body);
        } catch (RuntimeException | Error e) {
            ReferenceCountUtil.release(prefix);
            body.release();
            throw e;
        }
    }

    /**
     * A terminal frame: {@code status} as two bytes and {@code json} in UTF-8.
     *
     * @throws IllegalArgumentException if the status is not 100 to 599 or the frame would be too long
     */
    static ByteBuf terminalFrame(ByteBufAllocator alloc, int status, String json) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status " + status + " is not between 100 and 599");
        }
        byte[] error = json.getBytes(StandardCharsets.UTF_8);
        if (error.length > MAX_LENGTH - 3) {
            throw new IllegalArgumentException("s2s terminal frame error of " + error.length
                    + " bytes is longer than " + (MAX_LENGTH - 3));
        }
        return alloc.buffer(6 + error.length)
                .writeMedium(3 + error.length)
                .writeByte(FLAG_TERMINAL)
                .writeShort(status)
                .writeBytes(error);
    }

    /**
     * Reads frames from a session's stream as its chunks arrive, whatever their boundaries. The chunks are held in
     * a composite buffer; a frame's body is a slice of them (no copy), retained for the caller, and chunks are
     * released as soon as the frames in them have been taken. One per session; not thread-safe.
     */
    static final class Decoder {

        /** Chunks held before the composite copies them into one buffer (many tiny HTTP/2 DATA frames). */
        private static final int MAX_COMPONENTS = 1024;

        private final int maxLength;
        private final ByteBufAllocator alloc;
        private CompositeByteBuf cumulation;

        /**
         * @param maxLength the longest frame accepted, as declared by its prefix (flag byte and body), e.g. the
         *                  largest message plus a little
         */
        Decoder(ByteBufAllocator alloc, int maxLength) {
            if (maxLength < 1 || maxLength > MAX_LENGTH) {
                throw new IllegalArgumentException("maxLength " + maxLength + " is not between 1 and "
                        + MAX_LENGTH);
            }
            this.alloc = alloc;
            this.maxLength = maxLength;
            this.cumulation = alloc.compositeBuffer(MAX_COMPONENTS);
        }

        /**
         * Adds a chunk of the stream, which this takes over.
         *
         * @throws IllegalStateException if the decoder was closed (the chunk is released)
         */
        void feed(ByteBuf chunk) {
            if (cumulation == null) {
                chunk.release();
                throw new IllegalStateException("s2s decoder is closed");
            }
            if (!chunk.isReadable()) {
                chunk.release();
                return;
            }
            cumulation.addComponent(true, chunk);
        }

        /**
         * The next complete frame, or null until more bytes arrive. The caller owns the frame's body. The length is
         * checked as soon as its three bytes are here, before the frame is waited for.
         *
         * @throws S2sFramingException if the frame is too long, empty, has reserved bits set or is compressed; the
         *                             stream cannot be read further
         * @throws IllegalStateException if the decoder was closed
         */
        Frame next() {
            if (cumulation == null) {
                throw new IllegalStateException("s2s decoder is closed");
            }
            int readable = cumulation.readableBytes();
            if (readable < 3) {
                return null;
            }
            int start = cumulation.readerIndex();
            int length = cumulation.getUnsignedMedium(start);
            if (length == 0) {
                throw new S2sFramingException("s2s frame of length 0 has no flag byte");
            }
            if (length > maxLength) {
                throw new S2sFramingException("s2s frame length " + length + " is over the limit of " + maxLength
                        + " bytes");
            }
            if (readable < 3 + length) {
                return null;
            }
            int flags = cumulation.getUnsignedByte(start + 3);
            if ((flags & RESERVED_MASK) != 0) {
                throw new S2sFramingException(String.format("s2s frame flags 0x%02x set reserved bits 0x%02x",
                        flags, flags & RESERVED_MASK));
            }
            int compression = (flags & COMPRESSION_MASK) >>> COMPRESSION_SHIFT;
            if (compression != COMPRESSION_NONE) {
                throw new S2sFramingException("s2s frame uses " + compressionName(compression)
                        + " compression; edgestream supports uncompressed frames only");
            }
            ByteBuf body = retainedBody(start + 4, length - 1);
            cumulation.readerIndex(start + 3 + length);
            cumulation.discardReadComponents();
            return new Frame((flags & FLAG_TERMINAL) != 0, compression, (flags & FLAG_RECONNECT) != 0, body);
        }

        /**
         * The body as slices of the chunks it lies in, retained so that they outlive the chunks' release by the
         * composite: one slice if it lies in one chunk, else a composite of the slices.
         */
        private ByteBuf retainedBody(int index, int length) {
            if (length == 0) {
                return alloc.buffer(0);
            }
            List<ByteBuf> parts = cumulation.decompose(index, length);
            if (parts.size() == 1) {
                return parts.get(0).retain();
            }
            CompositeByteBuf body = alloc.compositeBuffer(parts.size());
            for (ByteBuf part : parts) {
                body.addComponent(true, part.retain());
            }
            return body;
        }

        /** Bytes held: fed and not yet taken as frames. */
        int buffered() {
            return cumulation == null ? 0 : cumulation.readableBytes();
        }

        /** Releases what is held; {@link #feed} and {@link #next} fail afterwards. Idempotent. */
        void close() {
            if (cumulation != null) {
                cumulation.release();
                cumulation = null;
            }
        }

        private static String compressionName(int compression) {
            return switch (compression) {
                case COMPRESSION_ZSTD -> "zstd";
                case COMPRESSION_GZIP -> "gzip";
                default -> "unknown (" + compression + ")";
            };
        }
    }
}
