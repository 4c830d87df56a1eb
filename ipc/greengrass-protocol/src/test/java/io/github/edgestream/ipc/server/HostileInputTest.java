package io.github.edgestream.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.RequestEncoder;
import io.github.edgestream.ipc.wire.Response;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client that is broken or hostile gets: the right status where its request id can be recovered, a closed
 * connection where not, and in every case a server that keeps serving a well-behaved client next to it.
 */
class HostileInputTest {

    static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @TempDir
    Path root;
    ServerFixture fixture;
    StreamManagerClient bystander;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServerFixture(root, IpcSettings.loopbackForTests()
                .withLimits(DataSize.ofMebibytes(1), 64, Duration.ZERO, Duration.ofMillis(300)));
        bystander = fixture.client();
        bystander.createMessageStream(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build())
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        assertThat(bystander.appendMessage("s", "still served".getBytes(StandardCharsets.UTF_8))
                .get(10, TimeUnit.SECONDS)).as("the well-behaved client is unaffected").isNotNegative();
        fixture.close();
    }

    private int port() {
        return fixture.server.port();
    }

    private static byte[] bytes(ByteBuf buffer) {
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    @Test
    void garbageInsteadOfThePreambleGetsUnsupportedConnectVersionAndAClose() throws Exception {
        try (RawConnection raw = new RawConnection(port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(raw.readPreamble()).isEqualTo(1);
            Response.Connect response = (Response.Connect) raw.readResponse();
            assertThat(response.status()).isEqualTo(ResponseStatus.UNSUPPORTED_CONNECT_VERSION);
            assertThat(response.errorMessage()).contains("connect version 71");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aFirstFrameOtherThanConnectGetsUnexpectedOperation() throws Exception {
        try (RawConnection raw = new RawConnection(port())) {
            raw.send(new byte[] {1});
            raw.send(RequestEncoder.listStreams(ALLOC, "early"));

            raw.readPreamble();
            Response.Connect response = (Response.Connect) raw.readResponse();
            assertThat(response.status()).isEqualTo(ResponseStatus.UNEXPECTED_OPERATION);
            assertThat(response.requestId()).isEqualTo("early");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void protocolVersionsAreNegotiated() throws Exception {
        record Case(List<Object[]> fields, ResponseStatus status) {
        }
        List<Case> cases = List.of(
                new Case(List.of(new Object[] {"requestId", "v"}, new Object[] {"protocolVersion", "9.9.9"}),
                        ResponseStatus.UNSUPPORTED_PROTOCOL_VERSION),
                new Case(List.<Object[]>of(new Object[] {"requestId", "v"}), ResponseStatus.INVALID_PROTOCOL_VERSION),
                new Case(List.of(new Object[] {"requestId", "v"}, new Object[] {"protocolVersion", "9.9.9"},
                        new Object[] {"otherSupportedProtocolVersions", List.of("1.0.0")}), ResponseStatus.SUCCESS));
        for (Case c : cases) {
            try (RawConnection raw = new RawConnection(port())) {
                raw.send(new byte[] {1});
                raw.send(RequestEncoder.raw(ALLOC, Operation.CONNECT.code(), c.fields()));
                raw.readPreamble();
                Response.Connect response = (Response.Connect) raw.readResponse();
                assertThat(response.status()).isEqualTo(c.status());
                if (c.status() == ResponseStatus.SUCCESS) {
                    assertThat(response.protocolVersion()).isEqualTo("1.0.0");
                }
            }
        }
    }

    @Test
    void anUnknownOperationIsAnsweredWithOp17AndTheConnectionStaysUsable() throws Exception {
        try (RawConnection raw = RawConnection.handshaken(port())) {
            for (int operation : new int[] {99, Operation.CONNECT_RESPONSE.code(), Operation.CONNECT.code(), -5}) {
                raw.send(RequestEncoder.raw(ALLOC, operation, List.<Object[]>of(new Object[] {"requestId", "u1"})));
                Response response = raw.readResponse();
                assertThat(response).isInstanceOf(Response.Status.class);
                assertThat(((Response.Status) response).operation()).isEqualTo(Operation.UNKNOWN_OPERATION_ERROR);
                assertThat(response.status()).isEqualTo(ResponseStatus.UNKNOWN_OPERATION);
                assertThat(response.requestId()).isEqualTo("u1");
            }

            raw.send(RequestEncoder.listStreams(ALLOC, "after"));
            assertThat(((Response.Streams) raw.readResponse()).streams()).containsExactly("s");
        }
    }

    @Test
    void wrongTypesAreAllReportedToTheRequest() throws Exception {
        try (RawConnection raw = RawConnection.handshaken(port())) {
            raw.send(RequestEncoder.raw(ALLOC, Operation.APPEND_MESSAGE.code(), List.of(
                    new Object[] {"requestId", "types"}, new Object[] {"name", 42},
                    new Object[] {"payload", "text, not bytes"})));

            Response response = raw.readResponse();

            assertThat(response.status()).isEqualTo(ResponseStatus.INVALID_REQUEST);
            assertThat(response.requestId()).isEqualTo("types");
            assertThat(response.errorMessage())
                    .contains("name is the integer 42 but must be a text string")
                    .contains("payload is the text \"text, not bytes\" but must be a byte string");
        }
    }

    @Test
    void malformedCborIsAnsweredWhenTheRequestIdCanBeReadAndClosedWhenNot() throws Exception {
        byte[] valid = bytes(RequestEncoder.appendMessage(ALLOC, "broken", "s", new byte[] {1, 2, 3}));
        byte[] truncatedPayload = Arrays.copyOf(valid, valid.length - 2); // cut the payload's last bytes
        ByteBuf reframed = ALLOC.buffer().writeInt(truncatedPayload.length - 4).writeBytes(truncatedPayload, 4,
                truncatedPayload.length - 4);
        try (RawConnection raw = RawConnection.handshaken(port())) {
            raw.send(reframed);
            Response response = raw.readResponse();
            assertThat(response.status()).isEqualTo(ResponseStatus.INVALID_REQUEST);
            assertThat(response.requestId()).isEqualTo("broken");
            assertThat(response.errorMessage()).contains("malformed CBOR");
        }
        try (RawConnection raw = RawConnection.handshaken(port())) {
            raw.send(HexFormat.of().parseHex("0000000404" + "ff0102"));
            assertThat(raw.closedByServer()).isTrue();
        }
        try (RawConnection raw = RawConnection.handshaken(port())) {
            raw.send(RequestEncoder.raw(ALLOC, Operation.LIST_STREAMS.code(), List.<Object[]>of(
                    new Object[] {"name", "no request id"})));
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void anOversizedFrameIsSkippedAndAnsweredAndTheConnectionGoesOn() throws Exception {
        try (RawConnection raw = RawConnection.handshaken(port())) {
            raw.send(RequestEncoder.appendMessage(ALLOC, "big", "s", new byte[3 << 20]));

            Response response = raw.readResponse();
            assertThat(response.status()).isEqualTo(ResponseStatus.REQUEST_PAYLOAD_TOO_LARGE);
            assertThat(response.requestId()).isEqualTo("big");
            assertThat(response.errorMessage()).contains("maximum frame size of 1048576 bytes");

            raw.send(RequestEncoder.appendMessage(ALLOC, "small", "s", new byte[] {7}));
            Response.Appended appended = (Response.Appended) raw.readResponse();
            assertThat(appended.requestId()).isEqualTo("small");
            assertThat(appended.status()).isEqualTo(ResponseStatus.SUCCESS);
        }
    }

    /** Only appends carry large payloads: other requests longer than they can need are skipped, never buffered. */
    @Test
    void aRequestOtherThanAnAppendIsHeldToWhatItCanNeed() throws Exception {
        try (RawConnection raw = RawConnection.handshaken(port())) {
            raw.send(RequestEncoder.raw(ALLOC, Operation.LIST_STREAMS.code(), List.of(
                    new Object[] {"requestId", "long"}, new Object[] {"padding", "p".repeat(100_000)})));

            Response response = raw.readResponse();
            assertThat(response.requestId()).isEqualTo("long");
            assertThat(response.status()).isEqualTo(ResponseStatus.REQUEST_PAYLOAD_TOO_LARGE);
            assertThat(response.errorMessage()).contains("more than the 65537 bytes a LIST_STREAMS request can need");

            raw.send(RequestEncoder.appendMessage(ALLOC, "append", "s", new byte[100_000]));
            Response.Appended appended = (Response.Appended) raw.readResponse();
            assertThat(appended.status()).as("an append of the same size is fine").isEqualTo(ResponseStatus.SUCCESS);
        }
    }

    @Test
    void impossibleFrameLengthsCloseTheConnection() throws Exception {
        for (String header : List.of("0000000004", "ffffffff04", "8000000004")) {
            try (RawConnection raw = RawConnection.handshaken(port())) {
                raw.send(HexFormat.of().parseHex(header));
                assertThat(raw.closedByServer()).as(header).isTrue();
            }
        }
    }

    @Test
    void aFrameThatStopsHalfwayClosesTheConnectionAfterTheFrameTimeout() throws Exception {
        try (RawConnection raw = RawConnection.handshaken(port())) {
            byte[] frame = bytes(RequestEncoder.listStreams(ALLOC, "stalled"));
            raw.send(Arrays.copyOf(frame, frame.length - 3));

            assertThat(raw.closedByServer()).isTrue(); // 300 ms frame timeout, 10 s socket timeout
        }
    }
}
