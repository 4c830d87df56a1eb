package io.github.edgestream.ipc.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Frames of any length are the same bytes, whether they fit one chunk or span several. */
class FrameWriterTest {

    private static final PooledByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(false);

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        new SplittableRandom(length).nextBytes(payload);
        return payload;
    }

    /** The frame as the protocol lays it out: [preamble] length (operation + payload), operation, payload. */
    private static byte[] expected(boolean preamble, int operation, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate((preamble ? 1 : 0) + 5 + payload.length);
        if (preamble) {
            frame.put((byte) Preamble.CONNECT_VERSION);
        }
        return frame.putInt(payload.length + 1).put((byte) operation).put(payload).array();
    }

    @Test
    void framesOfEveryLengthAroundTheChunkSizeAreTheProtocolsBytes() {
        int chunk = FrameWriter.CHUNK;
        for (int length : new int[] {0, 1, 250, 251, 300, chunk - 6, chunk - 5, chunk - 4, chunk, 3 * chunk + 17,
                11_000_000}) {
            byte[] payload = payload(length);
            ByteBuf frame = FrameWriter.frame(ALLOCATOR, 10, out -> {
                // the CBOR generator writes in pieces; a single byte too
                int half = payload.length / 2;
                out.write(payload, 0, half);
                if (half < payload.length) {
                    out.write(payload[half]);
                    out.write(payload, half + 1, payload.length - half - 1);
                }
            });
            ByteBuf withPreamble = FrameWriter.preambleAndFrame(ALLOCATOR, 6, out -> out.write(payload));
            try {
                assertThat(ByteBufUtil.getBytes(frame)).as("length %d", length).isEqualTo(expected(false, 10,
                        payload));
                assertThat(ByteBufUtil.getBytes(withPreamble)).as("length %d", length).isEqualTo(expected(true, 6,
                        payload));
                if (length + 5 > chunk) {
                    assertThat(frame).isInstanceOf(CompositeByteBuf.class);
                    assertThat(((CompositeByteBuf) frame).numComponents()).isEqualTo((length + 5 + chunk - 1) / chunk);
                }
            } finally {
                frame.release();
                withPreamble.release();
            }
        }
    }

    @Test
    void aFrameOfSeveralChunksDecodesToItsPayload() {
        byte[] payload = payload(5 * FrameWriter.CHUNK + 123);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(false, 1 << 20, Duration.ZERO));
        channel.writeInbound(FrameWriter.frame(ALLOCATOR, 10, out -> out.write(payload)));
        MessageFrame frame = channel.readInbound();
        assertThat(frame.operation()).isEqualTo(10);
        assertThat(frame.payload()).isEqualTo(payload);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFailedPayloadReleasesEveryChunk() {
        List<ByteBuf> made = new ArrayList<>();
        ByteBufAllocator recording = new AbstractByteBufAllocator(false) {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                ByteBuf buffer = Unpooled.buffer(initialCapacity, maxCapacity);
                made.add(buffer);
                return buffer;
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                return newHeapBuffer(initialCapacity, maxCapacity);
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
        assertThatThrownBy(() -> FrameWriter.frame(recording, 10, out -> {
            out.write(payload(3 * FrameWriter.CHUNK));
            throw new IOException("broken");
        })).isInstanceOf(UncheckedIOException.class);
        assertThat(made).hasSize(4).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }
}
