package io.github.edgestream.api.s2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.api.s2.S2sFraming.Decoder;
import io.github.edgestream.api.s2.S2sFraming.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * s2s framing: frames written and read back whatever the chunk boundaries, terminal frames, the errors, and every
 * buffer released (the leak detector on paranoid, and the reference counts checked).
 */
class S2sFramingTest {

    private static final int MAX = 2 * 1024 * 1024 + 16;

    private static ResourceLeakDetector.Level previousLevel;

    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    /** Every buffer the test fed or was given, to check at the end that none is still referenced. */
    private final List<ByteBuf> tracked = new ArrayList<>();

    @BeforeAll
    static void paranoid() {
        previousLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterAll
    static void restore() {
        ResourceLeakDetector.setLevel(previousLevel);
    }

    @AfterEach
    void everyBufferWasReleased() {
        for (ByteBuf buf : tracked) {
            assertThat(buf.refCnt()).as("reference count of %s", buf).isZero();
        }
    }

    private ByteBuf chunk(byte[] bytes, int from, int to) {
        ByteBuf chunk = alloc.buffer(to - from).writeBytes(bytes, from, to - from);
        tracked.add(chunk);
        return chunk;
    }

    private ByteBuf chunk(byte[] bytes) {
        return chunk(bytes, 0, bytes.length);
    }

    private static byte[] bytesOf(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    private static byte[] filled(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed + i * 31);
        }
        return bytes;
    }

    /** A frame as it goes over the wire, written by {@link S2sFraming} and read back to bytes. */
    private byte[] wire(ByteBuf frame) {
        tracked.add(frame);
        try {
            return bytesOf(frame);
        } finally {
            frame.release();
        }
    }

    private byte[] dataFrame(byte[] body) {
        ByteBuf owned = alloc.buffer(body.length).writeBytes(body);
        tracked.add(owned);
        return wire(S2sFraming.dataFrame(alloc, owned));
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** Takes every complete frame, keeping its body as bytes and releasing it. */
    private void drain(Decoder decoder, List<Object[]> into) {
        Frame frame;
        while ((frame = decoder.next()) != null) {
            tracked.add(frame.body());
            into.add(new Object[] {frame.terminal(), frame.reconnect(), bytesOf(frame.body())});
            frame.body().release();
        }
    }

    // --- writing ---

    @Test
    void aSmallDataFrameIsItsPrefixAndBodyInOneBuffer() {
        ByteBuf body = alloc.buffer().writeBytes(new byte[] {1, 2, 3});
        tracked.add(body);
        ByteBuf frame = S2sFraming.dataFrame(alloc, body);
        tracked.add(frame);
        assertThat(body.refCnt()).isZero(); // copied and released
        assertThat(ByteBufUtil.hexDump(frame)).isEqualTo("00000400" + "010203");
        frame.release();
    }

    @Test
    void aLargeDataFrameIsAPrefixBeforeTheBodyUncopied() {
        byte[] bytes = filled(70_000, 1);
        ByteBuf body = alloc.buffer().writeBytes(bytes);
        tracked.add(body);
        ByteBuf frame = S2sFraming.dataFrame(alloc, body);
        tracked.add(frame);
        assertThat(frame).isInstanceOf(CompositeByteBuf.class);
        assertThat(((CompositeByteBuf) frame).numComponents()).isEqualTo(2);
        assertThat(body.refCnt()).isEqualTo(1); // now the frame's
        assertThat(frame.getUnsignedMedium(frame.readerIndex())).isEqualTo(70_001);
        assertThat(frame.getByte(frame.readerIndex() + 3)).isZero();
        assertThat(bytesOf(frame.slice(frame.readerIndex() + 4, 70_000))).isEqualTo(bytes);
        frame.release();
    }

    @Test
    void anEmptyDataFrameHasOnlyItsFlagByte() {
        assertThat(ByteBufUtil.hexDump(dataFrame(new byte[0]))).isEqualTo("00000100");
    }

    @Test
    void aTerminalFrameIsStatusAndJson() {
        byte[] frame = wire(S2sFraming.terminalFrame(alloc, 412, "{\"seq_num_mismatch\":5}"));
        // length 25 = flag + 2 status bytes + 22 of JSON; flags 0x80; status 412 = 0x019c
        assertThat(ByteBufUtil.hexDump(frame, 0, 6)).isEqualTo("000019" + "80" + "019c");
        assertThat(new String(frame, 6, frame.length - 6, StandardCharsets.UTF_8))
                .isEqualTo("{\"seq_num_mismatch\":5}");
    }

    @Test
    void aTerminalFrameRoundTrips() {
        String json = "{\"code\":\"invalid\",\"message\":\"fencing token ‘x’ does not match\"}";
        byte[] frame = wire(S2sFraming.terminalFrame(alloc, 400, json));
        Decoder decoder = new Decoder(alloc, MAX);
        decoder.feed(chunk(frame));
        Frame read = decoder.next();
        tracked.add(read.body());
        assertThat(read.terminal()).isTrue();
        assertThat(read.reconnect()).isFalse();
        assertThat(read.compression()).isEqualTo(S2sFraming.COMPRESSION_NONE);
        assertThat(read.status()).isEqualTo(400);
        assertThat(read.errorJson()).isEqualTo(json);
        assertThat(decoder.next()).isNull();
        read.body().release();
        decoder.close();
    }

    @Test
    void terminalFramesRefuseStatusesThatAreNotHttp() {
        assertThatThrownBy(() -> S2sFraming.terminalFrame(alloc, 99, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S2sFraming.terminalFrame(alloc, 600, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBodyTooLongForAFrameIsReleasedAndRefused() {
        ByteBuf body = alloc.buffer(S2sFraming.MAX_LENGTH).writerIndex(S2sFraming.MAX_LENGTH);
        tracked.add(body);
        assertThatThrownBy(() -> S2sFraming.dataFrame(alloc, body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16777215 bytes");
    }

    // --- reading ---

    @Test
    void framesSplitAtEveryByteBoundaryAreReadTheSame() {
        byte[] small = filled(37, 3);
        byte[] large = filled(600, 7); // past the copy threshold: written as a composite
        byte[] stream = concat(dataFrame(small), dataFrame(new byte[0]), dataFrame(large),
                wire(S2sFraming.terminalFrame(alloc, 503, "{\"code\":\"unavailable\",\"message\":\"later\"}")));
        List<Object[]> whole = new ArrayList<>();
        Decoder once = new Decoder(alloc, MAX);
        once.feed(chunk(stream));
        drain(once, whole);
        assertThat(whole).hasSize(4);
        assertThat((byte[]) whole.get(0)[2]).isEqualTo(small);
        assertThat((byte[]) whole.get(1)[2]).isEmpty();
        assertThat((byte[]) whole.get(2)[2]).isEqualTo(large);
        assertThat((boolean) whole.get(3)[0]).isTrue();
        assertThat(once.buffered()).isZero();
        once.close();

        for (int split = 0; split <= stream.length; split++) {
            Decoder decoder = new Decoder(alloc, MAX);
            List<Object[]> frames = new ArrayList<>();
            decoder.feed(chunk(stream, 0, split));
            drain(decoder, frames);
            decoder.feed(chunk(stream, split, stream.length));
            drain(decoder, frames);
            assertThat(frames).as("split at %d", split).usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(whole);
            assertThat(decoder.buffered()).isZero();
            decoder.close();
        }
    }

    @Test
    void framesFedOneByteAtATimeAreReadTheSame() {
        byte[] first = filled(600, 11);
        byte[] second = filled(5, 13);
        byte[] stream = concat(dataFrame(first), dataFrame(second));
        Decoder decoder = new Decoder(alloc, MAX);
        List<Object[]> frames = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            decoder.feed(chunk(stream, i, i + 1));
            drain(decoder, frames);
            if (frames.isEmpty()) {
                assertThat(decoder.buffered()).isEqualTo(i + 1);
            }
        }
        assertThat(frames).hasSize(2);
        assertThat((byte[]) frames.get(0)[2]).isEqualTo(first);
        assertThat((byte[]) frames.get(1)[2]).isEqualTo(second);
        decoder.close();
    }

    @Test
    void aBodySpanningChunksOutlivesTheirReleaseByTheDecoder() {
        byte[] body = filled(100, 5);
        byte[] frame = dataFrame(body);
        Decoder decoder = new Decoder(alloc, MAX);
        ByteBuf a = chunk(frame, 0, 40);
        ByteBuf b = chunk(frame, 40, 80);
        ByteBuf c = chunk(frame, 80, frame.length);
        decoder.feed(a);
        decoder.feed(b);
        decoder.feed(c);
        Frame read = decoder.next();
        tracked.add(read.body());
        decoder.close(); // the decoder lets go of the chunks; the body still holds them
        assertThat(a.refCnt()).isPositive();
        assertThat(bytesOf(read.body())).isEqualTo(body);
        read.body().release();
    }

    @Test
    void manyFramesInOneChunk() {
        List<byte[]> bodies = new ArrayList<>();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] body = filled(i * 3 % 700, i);
            bodies.add(body);
            frames.add(dataFrame(body));
        }
        Decoder decoder = new Decoder(alloc, MAX);
        decoder.feed(chunk(concat(frames.toArray(new byte[0][]))));
        List<Object[]> read = new ArrayList<>();
        drain(decoder, read);
        assertThat(read).hasSize(500);
        for (int i = 0; i < 500; i++) {
            assertThat((byte[]) read.get(i)[2]).isEqualTo(bodies.get(i));
            assertThat((boolean) read.get(i)[0]).isFalse();
        }
        assertThat(decoder.buffered()).isZero();
        decoder.close();
    }

    @Test
    void consumedChunksAreReleasedAsFramesAreTaken() {
        byte[] one = dataFrame(filled(10, 1));
        Decoder decoder = new Decoder(alloc, MAX);
        ByteBuf first = chunk(one);
        decoder.feed(first);
        ByteBuf partial = chunk(one, 0, 5);
        decoder.feed(partial);
        Frame frame = decoder.next();
        tracked.add(frame.body());
        frame.body().release();
        assertThat(first.refCnt()).isZero();
        assertThat(decoder.next()).isNull();
        assertThat(decoder.buffered()).isEqualTo(5);
        decoder.close();
        assertThat(partial.refCnt()).isZero();
    }

    @Test
    void theReconnectFlagIsRead() {
        Decoder decoder = new Decoder(alloc, MAX);
        decoder.feed(chunk(new byte[] {0, 0, 2, 0x10, 42}));
        Frame frame = decoder.next();
        tracked.add(frame.body());
        assertThat(frame.reconnect()).isTrue();
        assertThat(frame.terminal()).isFalse();
        assertThat(bytesOf(frame.body())).containsExactly(42);
        frame.body().release();
        decoder.close();
    }

    // --- errors ---

    private void assertRefused(byte[] bytes, int max, String message) {
        Decoder decoder = new Decoder(alloc, max);
        decoder.feed(chunk(bytes));
        assertThatThrownBy(decoder::next).isInstanceOf(S2sFramingException.class).hasMessage(message);
        decoder.close();
    }

    @Test
    void aFrameOverTheLimitIsRefusedFromItsPrefixAlone() {
        assertRefused(new byte[] {0x20, 0, 0x11}, MAX, "s2s frame length 2097169 is over the limit of 2097168"
                + " bytes");
        assertRefused(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, 100, "s2s frame length 16777215 is over"
                + " the limit of 100 bytes");
        // exactly the limit is fine (and waits for its bytes)
        Decoder decoder = new Decoder(alloc, 100);
        decoder.feed(chunk(new byte[] {0, 0, 100, 0}));
        assertThat(decoder.next()).isNull();
        decoder.close();
    }

    @Test
    void aFrameWithoutAFlagByteIsRefused() {
        assertRefused(new byte[] {0, 0, 0}, MAX, "s2s frame of length 0 has no flag byte");
    }

    @Test
    void reservedFlagBitsAreRefused() {
        assertRefused(new byte[] {0, 0, 1, 0x01}, MAX, "s2s frame flags 0x01 set reserved bits 0x01");
        assertRefused(new byte[] {0, 0, 1, (byte) 0x8F}, MAX, "s2s frame flags 0x8f set reserved bits 0x0f");
    }

    @Test
    void compressedFramesAreRefused() {
        assertRefused(new byte[] {0, 0, 2, 0x20, 1}, MAX, "s2s frame uses zstd compression; edgestream supports"
                + " uncompressed frames only");
        assertRefused(new byte[] {0, 0, 2, 0x40, 1}, MAX, "s2s frame uses gzip compression; edgestream supports"
                + " uncompressed frames only");
        assertRefused(new byte[] {0, 0, 2, 0x60, 1}, MAX, "s2s frame uses unknown (3) compression; edgestream"
                + " supports uncompressed frames only");
    }

    @Test
    void closingReleasesWhatIsBufferedAndRefusesMore() {
        Decoder decoder = new Decoder(alloc, MAX);
        ByteBuf held = chunk(new byte[] {0, 0, 9, 0, 1, 2});
        decoder.feed(held);
        assertThat(decoder.next()).isNull();
        assertThat(decoder.buffered()).isEqualTo(6);
        decoder.close();
        decoder.close();
        assertThat(held.refCnt()).isZero();
        assertThat(decoder.buffered()).isZero();
        ByteBuf late = chunk(new byte[] {1});
        assertThatThrownBy(() -> decoder.feed(late)).isInstanceOf(IllegalStateException.class);
        assertThat(late.refCnt()).isZero();
        assertThatThrownBy(decoder::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyChunkIsReleasedAtOnce() {
        Decoder decoder = new Decoder(alloc, MAX);
        ByteBuf empty = chunk(new byte[0]);
        decoder.feed(empty);
        assertThat(empty.refCnt()).isZero();
        assertThat(decoder.next()).isNull();
        decoder.close();
    }

    @Test
    void aProtobufMessageTravelsInAFrame() {
        ByteBuf ack = alloc.buffer();
        tracked.add(ack);
        S2Protobuf.encodeAppendAck(new Position(1, 2), new Position(3, 4), new Position(3, 4), ack);
        byte[] frame = wire(S2sFraming.dataFrame(alloc, ack));
        Decoder decoder = new Decoder(alloc, MAX);
        decoder.feed(chunk(frame));
        Frame read = decoder.next();
        tracked.add(read.body());
        assertThat(S2Protobuf.decodeAppendAck(read.body()).end()).isEqualTo(new Position(3, 4));
        read.body().release();
        decoder.close();
    }
}
