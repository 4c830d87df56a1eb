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
import java.util.List;
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
            // the fuzzed frames name another stream: a mutated operation byte may well delete it
            client.createMessageStream(StreamDefinition.builder("fuzzed", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                    .maxSize(DataSize.ofMebibytes(1)).segmentSize(DataSize.ofKibibytes(64)).build())
                    .get(10, TimeUnit.SECONDS);
            FrameMutator mutator = new FrameMutator(random, "fuzzed", 64 << 10, 12);
            int responses = 0;
            for (int i = 0; i < inputs; i++) {
                FrameMutator.Input input = mutator.next();
                responses += send(fixture.server.port(), input.bytes(), "seed " + seed + " input " + i + " ("
                        + input.kind() + ")");
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
