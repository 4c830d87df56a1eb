package io.github.edgestream.ipc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.server.IpcSettings;
import io.github.edgestream.ipc.server.ServerFixture;
import io.github.edgestream.ipc.wire.MalformedRequestException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.RequestEncoder;
import io.github.edgestream.ipc.wire.Response;
import io.github.edgestream.ipc.wire.ResponseDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws random and mutated frames at a running server: valid frames with bytes flipped, cut, repeated or grown;
 * random bytes; random CBOR shapes for every operation. After each input the connection is drained: every frame the
 * server sends back must be a response the official clients could decode. Afterwards a well-behaved client must
 * still get correct answers. The seed is fixed, so a failure reproduces; set -Dfuzz.seed and -Dfuzz.inputs to
 * explore further.
 */
class ProtocolFuzzTest {

    static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @TempDir
    Path root;

    @Test
    void randomAndMutatedInputNeverBreaksTheServerForOthers() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261122L);
        int inputs = Integer.getInteger("fuzz.inputs", 1000);
        Random random = new Random(seed);
        try (ServerFixture fixture = new ServerFixture(root, IpcSettings.loopbackForTests()
                .withLimits(DataSize.ofKibibytes(256), 64, Duration.ZERO, Duration.ofMillis(50)))) {
            StreamManagerClient client = fixture.client();
            client.createMessageStream(StreamDefinition.builder("target", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                    .maxSize(DataSize.ofMebibytes(1)).segmentSize(DataSize.ofKibibytes(64)).build())
                    .get(10, TimeUnit.SECONDS);
            List<byte[]> seeds = seedFrames();
            int responses = 0;
            for (int i = 0; i < inputs; i++) {
                byte[] input = mutate(random, seeds.get(random.nextInt(seeds.size())));
                responses += send(fixture.server.port(), input, "seed " + seed + " input " + i);
            }
            assertThat(responses).as("the server answered many of the inputs").isPositive();

            // the well-behaved client is still served correctly
            long sequence = client.appendMessage("target", "after the storm".getBytes(StandardCharsets.UTF_8))
                    .get(10, TimeUnit.SECONDS);
            List<Message> read = client.readMessages("target", sequence, 1, 1, Duration.ZERO).get(10, TimeUnit.SECONDS);
            assertThat(new String(read.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("after the storm");
            assertThat(client.listStreams().get(10, TimeUnit.SECONDS)).contains("target");
        }
    }

    /** Valid frames of every request, to mutate. */
    private static List<byte[]> seedFrames() {
        List<ByteBuf> frames = List.of(
                RequestEncoder.appendMessage(ALLOC, "f1", "target", "payload".getBytes(StandardCharsets.UTF_8)),
                RequestEncoder.readMessages(ALLOC, "f2", "target", null),
                RequestEncoder.listStreams(ALLOC, "f3"),
                RequestEncoder.describeMessageStream(ALLOC, "f4", "target"),
                RequestEncoder.deleteMessageStream(ALLOC, "f5", "fuzz-victim"),
                RequestEncoder.raw(ALLOC, Operation.CREATE_MESSAGE_STREAM.code(), List.of(
                        new Object[] {"requestId", "f6"},
                        new Object[] {"definition", Map.of("name", "fuzz-created", "strategyOnFull", 1,
                                "maxSize", 4096, "streamSegmentSize", 1024, "exportDefinition",
                                Map.of("kinesis", List.of(Map.of("identifier", "k", "kinesisStreamName", "x"))))})),
                RequestEncoder.raw(ALLOC, Operation.READ_MESSAGES.code(), List.of(
                        new Object[] {"requestId", "f7"}, new Object[] {"streamName", "target"},
                        new Object[] {"readMessagesOptions", Map.of("minMessageCount", 1, "maxMessageCount", 5,
                                "readTimeoutMillis", 0)})));
        List<byte[]> bytes = new ArrayList<>();
        for (ByteBuf frame : frames) {
            bytes.add(ByteBufUtil.getBytes(frame));
            frame.release();
        }
        return bytes;
    }

    private static byte[] mutate(Random random, byte[] frame) {
        byte[] out = frame.clone();
        switch (random.nextInt(9)) {
            case 0 -> { // flip a few bytes
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> out = java.util.Arrays.copyOf(out, 5 + random.nextInt(out.length - 4)); // cut short
            case 2 -> { // random bytes
                out = new byte[1 + random.nextInt(64)];
                random.nextBytes(out);
            }
            case 3 -> { // the same frame twice, with a flipped byte in the second
                byte[] twice = new byte[out.length * 2];
                System.arraycopy(out, 0, twice, 0, out.length);
                System.arraycopy(out, 0, twice, out.length, out.length);
                twice[out.length + 5 + random.nextInt(out.length - 5)] ^= 0x5a;
                out = twice;
            }
            case 4 -> { // a lying length
                int length = random.nextBoolean() ? random.nextInt() : random.nextInt(out.length * 2 + 2);
                out[0] = (byte) (length >>> 24);
                out[1] = (byte) (length >>> 16);
                out[2] = (byte) (length >>> 8);
                out[3] = (byte) length;
            }
            case 5 -> out[4] = (byte) random.nextInt(256); // another operation
            case 6 -> { // replace the payload with random CBOR-ish bytes, length kept right
                int payload = 1 + random.nextInt(40);
                byte[] framed = new byte[5 + payload];
                System.arraycopy(out, 0, framed, 0, 5);
                for (int i = 5; i < framed.length; i++) {
                    framed[i] = (byte) (random.nextBoolean() ? 0xa0 + random.nextInt(0x60) : random.nextInt(256));
                }
                int length = payload + 1;
                framed[0] = 0;
                framed[1] = 0;
                framed[2] = (byte) (length >>> 8);
                framed[3] = (byte) length;
                out = framed;
            }
            case 7 -> { // grow a string or byte-string header to claim more than there is
                int at = 5 + random.nextInt(out.length - 5);
                out[at] = (byte) (0x5a + random.nextInt(2)); // bytes(4-byte or 8-byte length) ...
            }
            default -> { // unchanged: valid requests mixed in
            }
        }
        return out;
    }

    /**
     * Handshakes, sends the input and then marker requests, and reads what comes back until a marker's answer, the
     * server closing the connection, or a second of silence. Several markers, because a mutated length may swallow
     * the first one into its frame. Returns the frames received.
     */
    private static int send(int port, byte[] input, String label) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            ByteBuf connect = RequestEncoder.connect(ALLOC, "fuzz", null);
            out.write(ByteBufUtil.getBytes(connect));
            connect.release();
            assertThat(in.readUnsignedByte()).isEqualTo(1);
            readResponse(in, label);
            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
            batch.write(input);
            for (int m = 0; m < 3; m++) {
                ByteBuf marker = RequestEncoder.listStreams(ALLOC, "marker");
                batch.write(ByteBufUtil.getBytes(marker));
                marker.release();
            }
            try {
                out.write(batch.toByteArray());
                out.flush();
            } catch (IOException closedAlready) {
                return 0;
            }
            int received = 0;
            while (true) {
                try {
                    Response response = readResponse(in, label);
                    if (response == null || "marker".equals(response.requestId())) {
                        return received;
                    }
                    received++;
                } catch (SocketTimeoutException silence) {
                    return received;
                }
            }
        }
    }

    private static Response readResponse(DataInputStream in, String label) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (java.io.EOFException | java.net.SocketException closed) {
            return null;
        }
        int operation = in.readByte();
        assertThat(length).as(label + ": response frame length").isBetween(1, 1 << 20);
        byte[] payload = new byte[length - 1];
        in.readFully(payload);
        Operation response = Operation.fromCode(operation).orElseThrow(() ->
                new AssertionError(label + ": the server sent operation " + operation));
        try {
            return ResponseDecoder.decode(response, payload);
        } catch (MalformedRequestException e) {
            throw new AssertionError(label + ": the server sent a response no client could read: " + e.getMessage());
        }
    }
}
