package io.github.edgestream.ipc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.ipc.codec.FrameDecoder;
import io.github.edgestream.ipc.codec.MessageFrame;
import io.github.edgestream.ipc.codec.Preamble;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of protocol section 16, byte for byte: what the JavaScript (definite maps) and Java (indefinite
 * maps) clients send decodes to the same request, and what the server sends is exactly the bytes shown.
 */
class ProtocolExamplesTest {

    static final String APPEND_JS = "0000002e04a369726571756573744964657265712d31646e616d65684d7953747265616d"
            + "677061796c6f61644568656c6c6f";
    static final String APPEND_JAVA = "0000002f04bf69726571756573744964657265712d31646e616d65684d7953747265616d"
            + "677061796c6f61644568656c6c6fff";
    static final String APPEND_RESPONSE = "0000002a09a369726571756573744964657265712d3166737461747573006e73657175"
            + "656e63654e756d62657200";
    static final String ERROR_RESPONSE = "0000003609a369726571756573744964657265712d3266737461747573056c6572726f"
            + "724d6573736167656e6e6f20737563682073747265616d";
    static final String CONNECT_JS = "0000005d01a4697265717565737449646263316f70726f746f636f6c56657273696f6e65"
            + "312e312e30781e6f74686572537570706f7274656450726f746f636f6c56657273696f6e738165312e302e306a73646b5665"
            + "7273696f6e65312e312e30";
    static final String CONNECT_RESPONSE = "010000008006a66972657175657374496462633166737461747573006f70726f746f63"
            + "6f6c56657273696f6e65312e312e307819737570706f7274656450726f746f636f6c56657273696f6e738265312e312e3065"
            + "312e302e306d73657276657256657273696f6e65312e302e3070636c69656e744964656e746966696572656369642d31";
    static final String READ_REQUEST = "0000008c05a3697265717565737449646272316a73747265616d4e616d65684d79537472"
            + "65616d73726561644d657373616765734f7074696f6e73a4781a64657369726564537461727453657175656e63654e756d62"
            + "6572006f6d696e4d657373616765436f756e74016f6d61784d657373616765436f756e740a717265616454696d656f75744d"
            + "696c6c6973191388";
    static final String READ_RESPONSE = "000000680aa369726571756573744964627231686d6573736167657381a46a7374726561"
            + "6d4e616d65684d7953747265616d6e73657175656e63654e756d626572006a696e6765737454696d651b0000018bcfe56800"
            + "677061796c6f61644568656c6c6f6673746174757300";

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    private static String hex(ByteBuf buffer) {
        try {
            return ByteBufUtil.hexDump(buffer);
        } finally {
            buffer.release();
        }
    }

    /** Runs bytes through a fresh frame decoder, as if they were a connection's stream after the preamble. */
    private static MessageFrame frame(String hex) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(false, 1 << 20, Duration.ZERO));
        channel.writeInbound(Unpooled.wrappedBuffer(hex(hex)));
        MessageFrame frame = channel.readInbound();
        assertThat(channel.<Object>readInbound()).isNull();
        channel.finishAndReleaseAll();
        return frame;
    }

    @Test
    void theJavaScriptAndJavaFormsOfAnAppendDecodeToTheSameRequest() throws Exception {
        for (String form : List.of(APPEND_JS, APPEND_JAVA)) {
            MessageFrame frame = frame(form);
            assertThat(frame.operation()).isEqualTo(Operation.APPEND_MESSAGE.code());

            DecodedRequest decoded = RequestDecoder.decode(Operation.APPEND_MESSAGE, frame.payload());

            assertThat(decoded.problems()).isEmpty();
            Request.AppendMessage append = (Request.AppendMessage) decoded.request();
            assertThat(append.requestId()).isEqualTo("req-1");
            assertThat(append.name()).isEqualTo("MyStream");
            assertThat(StandardCharsets.US_ASCII.decode(append.payload().duplicate()).toString()).isEqualTo("hello");
            assertThat(AppendFastPath.decode(frame.payload())).as("the fast path reads it the same")
                    .isEqualTo(append).isNotNull();
        }
    }

    @Test
    void theFastPathLeavesEverythingUnusualToTheGeneralDecoder() {
        UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        List<io.netty.buffer.ByteBuf> unusual = List.of(
                RequestEncoder.appendMessage(alloc, "bad id/", "s", new byte[] {1}),
                RequestEncoder.appendMessage(alloc, "r", "bad/name", new byte[] {1}),
                RequestEncoder.appendMessage(alloc, "r", "s", new byte[0]),
                RequestEncoder.raw(alloc, 4, List.of(new Object[] {"requestId", "r"}, new Object[] {"name", "s"},
                        new Object[] {"payload", new byte[] {1}}, new Object[] {"extra", 1})),
                RequestEncoder.raw(alloc, 4, List.of(new Object[] {"requestId", "r"}, new Object[] {"name", "s"},
                        new Object[] {"payload", "text"})),
                RequestEncoder.raw(alloc, 4, List.<Object[]>of(new Object[] {"requestId", "r"})));
        for (io.netty.buffer.ByteBuf frame : unusual) {
            byte[] payload = java.util.Arrays.copyOfRange(ByteBufUtil.getBytes(frame), 5, frame.readableBytes());
            frame.release();
            assertThat(AppendFastPath.decode(payload)).isNull();
        }
        byte[] truncated = java.util.Arrays.copyOf(hex(APPEND_JS), hex(APPEND_JS).length - 1);
        assertThat(AppendFastPath.decode(java.util.Arrays.copyOfRange(truncated, 5, truncated.length))).isNull();
    }

    @Test
    void theAppendResponseIsByteForByteTheExample() {
        assertThat(hex(ResponseEncoder.appended(UnpooledByteBufAllocator.DEFAULT, "req-1", 0)))
                .isEqualTo(APPEND_RESPONSE);
    }

    @Test
    void theErrorResponseIsByteForByteTheExample() {
        assertThat(hex(ResponseEncoder.status(UnpooledByteBufAllocator.DEFAULT, Operation.APPEND_MESSAGE_RESPONSE,
                "req-2", ResponseStatus.RESOURCE_NOT_FOUND, "no such stream"))).isEqualTo(ERROR_RESPONSE);
    }

    @Test
    void theHandshakeDecodesAndItsAnswerIsByteForByteTheExample() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(true, 1 << 20, Duration.ZERO));
        channel.writeInbound(Unpooled.wrappedBuffer(hex("01" + CONNECT_JS)));
        assertThat(channel.<Object>readInbound()).isEqualTo(new Preamble(1));
        MessageFrame frame = channel.readInbound();
        channel.finishAndReleaseAll();

        Request.Connect connect = (Request.Connect) RequestDecoder.decode(Operation.CONNECT, frame.payload()).request();

        assertThat(connect).isEqualTo(new Request.Connect("c1", "1.1.0", List.of("1.0.0"), "1.1.0", null));
        assertThat(hex(ResponseEncoder.connectResponse(UnpooledByteBufAllocator.DEFAULT, "c1", ResponseStatus.SUCCESS,
                null, "1.1.0", "1.0.0", "cid-1"))).isEqualTo(CONNECT_RESPONSE);
    }

    @Test
    void theReadRequestDecodesAndItsResponseIsByteForByteTheExample() throws Exception {
        Request.ReadMessages read = (Request.ReadMessages) RequestDecoder.decode(Operation.READ_MESSAGES,
                frame(READ_REQUEST).payload()).request();

        assertThat(read).isEqualTo(new Request.ReadMessages("r1", "MyStream",
                new Request.ReadMessagesOptions(0L, 1L, 10L, 5000L)));
        assertThat(hex(ResponseEncoder.messages(UnpooledByteBufAllocator.DEFAULT, "r1", StreamName.of("MyStream"),
                List.of(new Message(0, 1_700_000_000_000L, "hello".getBytes(StandardCharsets.US_ASCII))))))
                .isEqualTo(READ_RESPONSE);
    }

    @Test
    void framesAreFoundInAnySegmentationOfTheStream() {
        byte[] stream = hex("01" + CONNECT_JS + APPEND_JS + APPEND_JAVA + READ_REQUEST);
        for (int chunk : new int[] {1, 2, 3, 5, 7, 64, stream.length}) {
            EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(true, 1 << 20, Duration.ZERO));
            for (int offset = 0; offset < stream.length; offset += chunk) {
                channel.writeInbound(Unpooled.wrappedBuffer(stream, offset, Math.min(chunk, stream.length - offset)));
            }
            assertThat(channel.<Object>readInbound()).isEqualTo(new Preamble(1));
            List<Integer> operations = List.of(
                    channel.<MessageFrame>readInbound().operation(), channel.<MessageFrame>readInbound().operation(),
                    channel.<MessageFrame>readInbound().operation(), channel.<MessageFrame>readInbound().operation());
            assertThat(operations).as("chunks of " + chunk).containsExactly(1, 4, 4, 5);
            assertThat(channel.<Object>readInbound()).isNull();
            channel.finishAndReleaseAll();
        }
    }
}
