package io.github.edgestream.ipc.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * Splits the byte stream of one connection into the protocol's units: the preamble byte, then frames.
 *
 * <pre>
 * connection:  +----------+---------+---------+-----
 *              | preamble | frame   | frame   | ...
 *              | 1 byte   |         |         |
 *              +----------+---------+---------+-----
 *
 * frame:       +-----------------------+-----------+--------------------------+
 *              | length                | operation | payload                  |
 *              | int32, big-endian     | int8      | length - 1 bytes of CBOR |
 *              +-----------------------+-----------+--------------------------+
 *                length counts the operation byte and the payload, not itself
 * </pre>
 *
 * Worked example (protocol section 16, an AppendMessage from the JavaScript client, 50 bytes):
 * {@code 00 00 00 2e | 04 | a3 69 72 65 71 ... 45 68 65 6c 6c 6f} decodes to {@code MessageFrame(4, <45 bytes>)}.
 *
 * <p>Emits {@link Preamble}, {@link MessageFrame} and {@link OversizedFrame}. Any segmentation of the input is
 * accepted. The longest payload may depend on the operation byte, which comes before the payload: a list request
 * needs kilobytes where an append may carry megabytes. A frame whose payload exceeds the maximum for its operation
 * is never buffered: its payload is skipped as it
 * arrives, and an {@link OversizedFrame} carrying the request id from its first bytes (if there) is emitted, so the
 * buffered memory of a connection never exceeds one maximal frame. A length below 1 cannot be skipped safely and
 * fails the connection with {@link CorruptedFrameException}. A frame that stops arriving midway for longer than
 * {@code stallTimeout} fails the connection with {@link StalledFrameException}.
 *
 * <p>One instance per connection (not sharable), used on its event loop only.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    /** How many bytes of an oversized frame's payload are kept to look for its request id. */
    static final int REQUEST_ID_PREFIX = 4096;

    private enum State { PREAMBLE, HEADER, DISCARD }

    private final IntUnaryOperator maxPayload;
    private final long stallTimeoutNanos;
    private State state;

    private int discardOperation;
    private long discardLength;
    private long discardMaxLength;
    private long discardRemaining;
    private ByteBuf discardPrefix;
    private boolean oversizeReported;

    private ScheduledFuture<?> stallCheck;
    private long lastProgressNanos;
    private int lastReadable;

    /**
     * @param expectPreamble whether the stream starts with the preamble byte (both directions do)
     * @param maxPayload     the largest payload accepted, in bytes
     * @param stallTimeout   how long a partly received frame may sit without progress; zero disables the check
     */
    public FrameDecoder(boolean expectPreamble, int maxPayload, Duration stallTimeout) {
        this(expectPreamble, operation -> maxPayload, stallTimeout);
    }

    /**
     * @param maxPayload the largest payload accepted for each operation byte, in bytes
     */
    public FrameDecoder(boolean expectPreamble, IntUnaryOperator maxPayload, Duration stallTimeout) {
        this.maxPayload = maxPayload;
        this.stallTimeoutNanos = stallTimeout.toNanos();
        this.state = expectPreamble ? State.PREAMBLE : State.HEADER;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws IOException {
        while (true) {
            if (state == State.PREAMBLE) {
                if (!in.isReadable()) {
                    break;
                }
                out.add(new Preamble(in.readUnsignedByte()));
                state = State.HEADER;
            } else if (state == State.DISCARD) {
                discard(in, out);
                if (state == State.DISCARD) {
                    break;
                }
            } else {
                if (in.readableBytes() < 5) {
                    break;
                }
                int start = in.readerIndex();
                int length = in.getInt(start);
                if (length < 1) {
                    throw new CorruptedFrameException("frame length is " + length + " but must be at least 1");
                }
                int operation = in.getByte(start + 4);
                int limit = maxPayload.applyAsInt(operation);
                if (length - 1 > limit) {
                    in.skipBytes(5);
                    startDiscarding(ctx, operation, length, limit + 1L);
                    continue;
                }
                if (in.readableBytes() < 4 + length) {
                    break;
                }
                in.skipBytes(5);
                byte[] payload = new byte[length - 1];
                in.readBytes(payload);
                out.add(new MessageFrame(operation, payload));
            }
        }
        trackStall(ctx, in);
    }

    private void startDiscarding(ChannelHandlerContext ctx, int operation, int length, long maxLength) {
        state = State.DISCARD;
        discardOperation = operation;
        discardLength = length;
        discardMaxLength = maxLength;
        discardRemaining = length - 1L;
        discardPrefix = ctx.alloc().heapBuffer((int) Math.min(REQUEST_ID_PREFIX, discardRemaining));
        oversizeReported = false;
    }

    private void discard(ByteBuf in, List<Object> out) {
        int take = (int) Math.min(in.readableBytes(), discardRemaining);
        int keep = Math.min(take, discardPrefix.writableBytes());
        discardPrefix.writeBytes(in, in.readerIndex(), keep);
        in.skipBytes(take);
        discardRemaining -= take;
        if (!oversizeReported && (!discardPrefix.isWritable() || discardRemaining == 0)) {
            // Answer as soon as the request id is known, while the client is still sending the rest.
            byte[] prefix = new byte[discardPrefix.readableBytes()];
            discardPrefix.getBytes(discardPrefix.readerIndex(), prefix);
            out.add(new OversizedFrame(discardOperation, discardLength, RequestIds.find(prefix), discardMaxLength));
            oversizeReported = true;
        }
        if (discardRemaining == 0) {
            discardPrefix.release();
            discardPrefix = null;
            state = State.HEADER;
        }
    }

    /** Arms a check while a frame is partly received; the check fails the connection if no byte arrives for long. */
    private void trackStall(ChannelHandlerContext ctx, ByteBuf in) {
        if (stallTimeoutNanos <= 0) {
            return;
        }
        boolean partial = in.isReadable() || state == State.DISCARD;
        if (!partial) {
            cancelStallCheck();
            lastReadable = 0;
            return;
        }
        if (in.readableBytes() != lastReadable || state == State.DISCARD) {
            lastProgressNanos = System.nanoTime();
            lastReadable = in.readableBytes();
        }
        if (stallCheck == null) {
            scheduleStallCheck(ctx, stallTimeoutNanos);
        }
    }

    private void scheduleStallCheck(ChannelHandlerContext ctx, long delayNanos) {
        stallCheck = ctx.executor().schedule(() -> {
            stallCheck = null;
            long idle = System.nanoTime() - lastProgressNanos;
            boolean partial = internalBuffer().isReadable() || state == State.DISCARD;
            if (!partial || !ctx.channel().isActive()) {
                return;
            }
            if (idle >= stallTimeoutNanos) {
                ctx.fireExceptionCaught(new StalledFrameException(Duration.ofNanos(stallTimeoutNanos)));
            } else {
                scheduleStallCheck(ctx, stallTimeoutNanos - idle);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelStallCheck() {
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelStallCheck();
        if (discardPrefix != null) {
            discardPrefix.release();
            discardPrefix = null;
        }
    }

    /** A frame stopped arriving midway. */
    public static final class StalledFrameException extends IOException {
        public StalledFrameException(Duration timeout) {
            super("a frame has been arriving for more than " + timeout.toSeconds()
                    + " s without progress; closing the connection");
        }
    }

    /** For tests: the request id the decoder would report for an oversized frame starting with these bytes. */
    static Optional<String> requestIdOf(byte[] prefix) {
        return RequestIds.find(prefix);
    }
}
