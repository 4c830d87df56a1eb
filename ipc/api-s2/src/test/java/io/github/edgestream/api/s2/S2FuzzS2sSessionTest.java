package io.github.edgestream.api.s2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.api.s2.S2RawHttp.Answer;
import io.github.edgestream.api.s2.S2sH2Client.Frame;
import io.github.edgestream.api.s2.S2sH2Client.Session;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S2S append sessions abused over h2c: a frame declaring more than 2 MiB, reserved flag bits, a compressed frame,
 * a terminal frame from the client, garbage protobuf in a valid frame, an empty batch, a zero-length frame; a
 * conditional batch that fails between valid ones; a client that resets its stream mid-session. Each broken session
 * ends with a terminal frame (flag 0x80, a 2-byte status, S2's JSON) naming the problem, nothing after the failing
 * batch is appended, and the server keeps serving new sessions.
 */
class S2FuzzS2sSessionTest {

    private static final String BASIN = "session-basin";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger STREAMS = new AtomicInteger();

    @TempDir
    static Path root;
    private static S2Fixture fixture;
    private static S2RawHttp http;
    private S2sH2Client client;
    private String stream;

    @BeforeAll
    static void start() {
        fixture = new S2Fixture(root);
        http = new S2RawHttp(fixture.server.port());
        assertThat(http.send("POST", "/v1/basins", S2Fixture.ADMIN_TOKEN, Map.of(), "{\"basin\":\"" + BASIN + "\"}")
                .status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @BeforeEach
    void newStream() {
        stream = "session-" + STREAMS.incrementAndGet();
        assertThat(http.send("POST", "/v1/streams", S2Fixture.ADMIN_TOKEN, Map.of("s2-basin", BASIN),
                "{\"stream\":\"" + stream + "\"}").status()).isEqualTo(201);
        client = new S2sH2Client(fixture.server.port());
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private Session openAppendSession() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("authorization", "Bearer " + S2Fixture.ADMIN_TOKEN);
        headers.put("s2-basin", BASIN);
        headers.put("content-type", S2Routes.S2S);
        Session session = client.open("POST", "/v1/streams/" + stream + "/records", headers);
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.header("content-type")).isEqualTo(S2Routes.S2S);
        return session;
    }

    private static byte[] batch(OptionalLong match, String... bodies) {
        List<AppendRecord> records = new ArrayList<>();
        for (String body : bodies) {
            records.add(new AppendRecord(AppendRecord.INGEST_TIME, Message.NO_KEY, List.of(),
                    ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8))));
        }
        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeAppendInput(new AppendInput(records, match, Optional.empty(), 0), out);
        return ByteBufUtil.getBytes(out);
    }

    private static byte[] dataFrame(byte[] message) {
        return S2sH2Client.frame(0, message);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Asserts the session's next frame is terminal with this status and code, and that the response then ends. */
    private static JsonNode assertTerminal(Session session, int status, String code) {
        Frame frame = session.next(WAIT);
        assertThat(frame).as("a terminal frame").isNotNull();
        assertThat(frame.flags()).as("flags of a terminal frame: %s", frame.json()).isEqualTo(0x80);
        assertThat(frame.status()).as(frame.json()).isEqualTo(status);
        JsonNode json;
        try {
            json = JSON.readTree(frame.json());
        } catch (IOException e) {
            throw new AssertionError("a terminal frame's error is not JSON: " + frame.json(), e);
        }
        if (code != null) {
            assertThat(json.path("code").asText()).as(frame.json()).isEqualTo(code);
            assertThat(json.path("message").asText()).as(frame.json()).isNotBlank();
        }
        assertThat(session.next(WAIT)).as("nothing after the terminal frame").isNull();
        return json;
    }

    private static S2Protobuf.AppendAckParts assertAck(Session session) {
        Frame frame = session.next(WAIT);
        assertThat(frame).as("an ack").isNotNull();
        assertThat(frame.terminal()).as("an ack, not %s", frame.terminal() ? frame.json() : "").isFalse();
        assertThat(frame.flags()).isZero();
        return S2Protobuf.decodeAppendAck(Unpooled.wrappedBuffer(frame.body()));
    }

    private long tail() {
        Answer answer = http.send("GET", "/v1/streams/" + stream + "/records/tail", S2Fixture.ADMIN_TOKEN,
                Map.of("s2-basin", BASIN), (byte[]) null);
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.json().path("tail").path("seq_num").asLong();
    }

    private List<String> bodies() {
        Answer answer = http.send("GET", "/v1/streams/" + stream + "/records?seq_num=0&count=100",
                S2Fixture.ADMIN_TOKEN, Map.of("s2-basin", BASIN), (byte[]) null);
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        List<String> out = new ArrayList<>();
        answer.json().path("records").forEach(r -> out.add(r.path("body").asText()));
        return out;
    }

    /** After every broken session: a new one on a new stream of the same connection appends and ends cleanly. */
    private void assertANewSessionWorks() {
        long before = tail();
        Session session = openAppendSession();
        session.send(dataFrame(batch(OptionalLong.empty(), "after")), true);
        S2Protobuf.AppendAckParts ack = assertAck(session);
        assertThat(ack.start().seqNum()).isGreaterThanOrEqualTo(before);
        assertThat(ack.end().seqNum()).isEqualTo(ack.start().seqNum() + 1);
        assertThat(session.next(WAIT)).as("the session ends after the last ack").isNull();
        assertThat(tail()).isGreaterThanOrEqualTo(ack.end().seqNum());
        assertThat(bodies().get((int) ack.start().seqNum())).isEqualTo("after");
    }

    // ------------------------------------------------------------------------------------------------ bad frames

    @Test
    void aValidSessionIsAcknowledgedInOrderAndEnds() {
        Session session = openAppendSession();
        session.send(concat(dataFrame(batch(OptionalLong.of(0), "a", "b")), dataFrame(batch(OptionalLong.empty(),
                "c"))));
        session.send(dataFrame(batch(OptionalLong.of(3), "d")), true);
        assertThat(assertAck(session).end().seqNum()).isEqualTo(2);
        assertThat(assertAck(session).end().seqNum()).isEqualTo(3);
        assertThat(assertAck(session).end().seqNum()).isEqualTo(4);
        assertThat(session.next(WAIT)).isNull();
        assertThat(bodies()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aFrameDeclaringMoreThan2MiBIsRefusedAtOnce() {
        for (int length : new int[] {AppendSession.MAX_FRAME + 1, S2sFraming.MAX_LENGTH}) {
            Session session = openAppendSession();
            // only the prefix and the flag byte: the server must answer without waiting for the body it declares
            session.send(new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, 0});
            JsonNode error = assertTerminal(session, 400, "bad_frame");
            assertThat(error.path("message").asText()).contains(Integer.toString(length));
        }
        assertThat(tail()).isZero();
        assertANewSessionWorks();
    }

    @Test
    void reservedFlagBitsAreRefused() {
        for (int flags : new int[] {0x01, 0x02, 0x04, 0x08, 0x0F, 0x11}) {
            Session session = openAppendSession();
            session.send(S2sH2Client.frame(flags, batch(OptionalLong.empty(), "reserved")));
            JsonNode error = assertTerminal(session, 400, "bad_frame");
            assertThat(error.path("message").asText()).contains("reserved");
        }
        assertThat(tail()).isZero();
        assertANewSessionWorks();
    }

    @Test
    void compressedFramesAreRefused() {
        for (int flags : new int[] {0x20, 0x40, 0x60}) {
            Session session = openAppendSession();
            session.send(S2sH2Client.frame(flags, batch(OptionalLong.empty(), "compressed")));
            JsonNode error = assertTerminal(session, 400, "bad_frame");
            assertThat(error.path("message").asText()).contains("compression");
        }
        assertThat(tail()).isZero();
        assertANewSessionWorks();
    }

    @Test
    void aTerminalFrameFromTheClientIsRefused() {
        Session session = openAppendSession();
        session.send(S2sH2Client.frame(0x80, new byte[] {0x01, (byte) 0x90, '{', '}'}));
        assertTerminal(session, 400, "bad_frame");
        // a terminal frame carrying a valid batch is not appended either
        Session second = openAppendSession();
        second.send(S2sH2Client.frame(0x80, batch(OptionalLong.empty(), "terminal")));
        assertTerminal(second, 400, "bad_frame");
        assertThat(tail()).isZero();
        assertANewSessionWorks();
    }

    @Test
    void garbageInAValidFrameIsRefused() {
        byte[][] garbage = {{0x0A, 0x7F}, {0x0B}, {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}, {0x1A, 0x02, (byte) 0xC3, 0x28},
            {0x0A, 0x03, 0x08, (byte) 0x80}, "not protobuf at all".getBytes(StandardCharsets.UTF_8)};
        for (byte[] bytes : garbage) {
            Session session = openAppendSession();
            session.send(dataFrame(bytes));
            assertTerminal(session, 400, "bad_proto");
        }
        Session empty = openAppendSession(); // a frame holding an AppendInput without records
        empty.send(S2sH2Client.frame(0, new byte[0]));
        assertTerminal(empty, 422, "invalid");
        Session zero = openAppendSession(); // a frame of length 0 (no flag byte)
        zero.send(new byte[] {0, 0, 0});
        assertTerminal(zero, 400, "bad_frame");
        assertThat(tail()).isZero();
        assertANewSessionWorks();
    }

    // ------------------------------------------------------------------------------------------------ conditions

    @Test
    void aWrongMatchSeqNumEndsTheSessionAndNothingAfterItIsAppended() {
        // in one DATA frame: the session sees all four batches at once
        Session session = openAppendSession();
        session.send(concat(dataFrame(batch(OptionalLong.of(0), "one", "two")),
                dataFrame(batch(OptionalLong.of(7), "wrong")), dataFrame(batch(OptionalLong.empty(), "after-1")),
                dataFrame(batch(OptionalLong.of(2), "after-2"))));
        S2Protobuf.AppendAckParts ack = assertAck(session);
        assertThat(ack.start().seqNum()).isZero();
        assertThat(ack.end().seqNum()).isEqualTo(2);
        JsonNode mismatch = assertTerminal(session, 412, null);
        assertThat(mismatch.toString()).isEqualTo("{\"seq_num_mismatch\":2}");
        assertThat(tail()).as("only the first batch was appended").isEqualTo(2);
        assertThat(bodies()).containsExactly("one", "two");

        // in separate DATA frames, the later ones sent after the failure is known to the server
        Session separate = openAppendSession();
        separate.send(dataFrame(batch(OptionalLong.of(2), "three")));
        assertThat(assertAck(separate).end().seqNum()).isEqualTo(3);
        separate.send(dataFrame(batch(OptionalLong.of(1), "stale")));
        separate.send(dataFrame(batch(OptionalLong.empty(), "after-3")));
        separate.send(dataFrame(batch(OptionalLong.empty(), "after-4")), true);
        assertThat(assertTerminal(separate, 412, null).toString()).isEqualTo("{\"seq_num_mismatch\":3}");
        assertThat(bodies()).containsExactly("one", "two", "three");

        // the failing batch first: no ack at all
        Session first = openAppendSession();
        first.send(concat(dataFrame(batch(OptionalLong.of(99), "wrong")), dataFrame(batch(OptionalLong.empty(),
                "after-5"))));
        assertThat(assertTerminal(first, 412, null).toString()).isEqualTo("{\"seq_num_mismatch\":3}");
        assertThat(tail()).isEqualTo(3);
        assertANewSessionWorks();
    }

    // ------------------------------------------------------------------------------------------------ resets

    @Test
    void aClientResetMidSessionLeavesTheServerServing() {
        Session session = openAppendSession();
        session.send(dataFrame(batch(OptionalLong.of(0), "before-reset")));
        assertThat(assertAck(session).end().seqNum()).isEqualTo(1);
        // half a frame buffered on the server, then the reset
        byte[] next = dataFrame(batch(OptionalLong.empty(), "cut"));
        session.send(java.util.Arrays.copyOf(next, next.length / 2));
        session.reset();

        // a reset right after the headers, and one after a frame whose ack is still on its way
        Session early = openAppendSession();
        early.reset();
        Session racing = openAppendSession();
        racing.send(dataFrame(batch(OptionalLong.empty(), "racing")));
        racing.reset();

        assertThat(client.isOpen()).as("a reset ends one stream, not the connection").isTrue();
        assertANewSessionWorks(); // same connection
        client.close();
        client = new S2sH2Client(fixture.server.port());
        assertANewSessionWorks(); // a new connection
        List<String> bodies = bodies();
        assertThat(bodies.get(0)).isEqualTo("before-reset");
        assertThat(bodies).doesNotContain("cut").endsWith("after", "after");
    }
}
