package io.github.edgestream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.http.auth.Authentication;
import io.netty.util.ResourceLeakDetector;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session requests ({@link HttpApi#streamsRequestBody}): the body streams in while the reply streams out, over h2c
 * and HTTP/1.1 (chunked). The reply starts before the body ends; chunks are echoed one by one; pausing holds the
 * client back by HTTP/2 flow control (never by disconnecting it) and resuming delivers everything intact; a client
 * that goes away mid-body aborts the session; chunks that arrive before the API takes the body are kept for it; a
 * refused session never reaches the API; many sessions share one connection. The leak detector runs paranoid and
 * every leak it reports fails the test.
 */
class HttpSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** HttpServer's Http2Settings do not set an initial window: the protocol's default. */
    private static final int WINDOW = 65_535;
    /** The largest DATA frame a peer sends unless told otherwise. */
    private static final int FRAME = 16_384;

    private static ResourceLeakDetector.Level previousLevel;
    private static final List<String> leaks = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final Servers servers = new Servers();
    final SessionApi api = new SessionApi();
    HttpServer server;

    @BeforeAll
    static void paranoid() throws Exception {
        previousLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        // every ByteBuf's tracker comes from this one detector: hear what it reports
        java.lang.reflect.Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
        field.setAccessible(true);
        ((ResourceLeakDetector<?>) field.get(null)).setLeakListener((type, records) -> leaks.add(type + records));
    }

    @AfterAll
    static void restore() {
        ResourceLeakDetector.setLevel(previousLevel);
    }

    @BeforeEach
    void startServer() {
        leaks.clear();
        server = servers.start(HttpSettings.loopbackForTests(), api);
    }

    @AfterEach
    void noLeaks() throws Exception {
        servers.close();
        // leaks are reported when a collected buffer's tracker is found by a later allocation
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(16).release();
            }
        }
        List<String> found = new ArrayList<>(leaks);
        leaks.clear();
        assertThat(found).as("buffers leaked (the leak detector's reports)").isEmpty();
    }

    private H2Streams h2() {
        return servers.add(new H2Streams(server.port()));
    }

    private SessionApi.Session nextSession() throws InterruptedException {
        SessionApi.Session session = api.sessions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(session).as("the API was called").isNotNull();
        return session;
    }

    /** Polls the condition in small steps until it holds; fails after the bound. */
    private static void await(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + bound + " waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Checks the condition in small steps for the whole period: it must hold at every step. */
    private static void holds(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            assertThat(condition.getAsBoolean()).as(what).isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        } while (System.nanoTime() < end);
    }

    private static <T> T within(java.util.concurrent.CompletableFuture<T> future, String what) throws Exception {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    // ---------------------------------------------------------------------------------------------- h2c sessions

    @Test
    void overH2cTheReplyStartsBeforeTheBodyAndEachChunkIsEchoedAsItArrives() throws Exception {
        H2Streams.Stream stream = h2().open("/session");

        assertThat(stream.status(WAIT)).as("the reply's head, before any of the body").isEqualTo(200);
        assertThat(stream.head.get().get("content-type").toString()).isEqualTo("application/octet-stream");
        SessionApi.Session session = nextSession();
        assertThat(session.call.protocol()).isEqualTo("HTTP/2");
        for (int i = 1; i <= 5; i++) {
            stream.send("chunk " + i + " of five");
            assertThat(stream.next(WAIT)).isEqualTo("CHUNK " + i + " OF FIVE");
        }
        assertThat(session.ended).as("the body has not ended").isNotDone();
        assertThat(stream.ended).as("the reply has not ended").isNotDone();

        stream.end();

        within(session.ended, "the API to see the end of the body");
        within(stream.ended, "the reply to end");
        assertThat(stream.reset).isNotDone();
        assertThat(session.received.get()).isEqualTo(5 * "chunk 1 of five".length());
        assertThat(session.aborted).isNotDone();
        assertThat(session.misuse).isNotDone();
        assertThat(api.handled.get()).isEqualTo(1);
    }

    @Test
    void aPausedSessionHoldsTheClientBackByFlowControlAndAfterResumingEverythingArrivesIntact() throws Exception {
        int pauseAt = 1 << 20;
        int total = 8 << 20;
        int chunk = 64 << 10;
        byte[] data = new byte[total];
        new Random(42).nextBytes(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        H2Streams client = h2();
        H2Streams.Stream stream = client.open("/session?mode=count&pauseAt=" + pauseAt);
        assertThat(stream.status(WAIT)).isEqualTo(200);
        SessionApi.Session session = nextSession();

        // the client tries to send it all at once: its writes wait in its flow controller for window updates
        for (int at = 0; at < total; at += chunk) {
            stream.send(java.util.Arrays.copyOfRange(data, at, at + chunk), false);
        }
        within(session.paused, "the session to pause");
        await("the client's stream to run out of window", WAIT, () -> !stream.channel().isWritable());

        long serverBound = pauseAt + WINDOW + FRAME;
        long clientBound = pauseAt + 2L * WINDOW + chunk;
        holds("at most 1 MiB and one window reach the paused session, and the client cannot send more",
                Duration.ofMillis(300), () -> session.received.get() <= serverBound
                        && stream.written.get() <= clientBound && !stream.channel().isWritable()
                        && client.connection().isActive());
        assertThat(session.received.get()).isGreaterThanOrEqualTo(pauseAt);
        assertThat(stream.written.get()).as("written while paused").isLessThan(total);

        session.resume();
        stream.end();

        long serverCrc = within(session.ended, "all 8 MiB to arrive");
        within(stream.ended, "the reply to end");
        assertThat(session.received.get()).isEqualTo(total);
        assertThat(serverCrc).isEqualTo(crc.getValue());
        assertThat(stream.text()).isEqualTo("bytes=" + total + " crc=" + Long.toHexString(crc.getValue()));
        assertThat(stream.written.get()).isEqualTo(total);
        assertThat(stream.reset).isNotDone();
        assertThat(client.connection().isActive()).as("the client was never disconnected").isTrue();
        assertThat(session.aborted).isNotDone();
    }

    @Test
    void aPausedSessionDoesNotStallTheOtherStreamsOfItsConnection() throws Exception {
        H2Streams client = h2();
        H2Streams.Stream paused = client.open("/session?mode=count&pauseAt=1");
        assertThat(paused.status(WAIT)).isEqualTo(200);
        SessionApi.Session pausedSession = nextSession();
        // fill the paused stream's whole window: what the client sends now stays unread in the layer
        paused.send(new byte[2 * WINDOW], false);
        within(pausedSession.paused, "the session to pause");
        await("the paused stream's window to be used up", WAIT, () -> !paused.channel().isWritable());

        H2Streams.Stream other = client.open("/session");
        assertThat(other.status(WAIT)).isEqualTo(200);
        SessionApi.Session otherSession = nextSession();
        other.send("another stream");
        assertThat(other.next(WAIT)).isEqualTo("ANOTHER STREAM");
        other.end();
        within(otherSession.ended, "the other session to end");

        pausedSession.resume();
        paused.end();
        within(pausedSession.ended, "the paused session to end after resuming");
        assertThat(pausedSession.received.get()).isEqualTo(2 * WINDOW);
    }

    @Test
    void aStreamResetMidBodyAbortsTheSessionAndTheServerServesOn() throws Exception {
        H2Streams client = h2();
        H2Streams.Stream stream = client.open("/session");
        assertThat(stream.status(WAIT)).isEqualTo(200);
        SessionApi.Session session = nextSession();
        stream.send("before the reset");
        assertThat(stream.next(WAIT)).isEqualTo("BEFORE THE RESET");

        stream.cancel();

        assertThat(within(session.aborted, "the session to be aborted")).isNotNull();
        assertThat(session.ended).isNotDone();
        assertThat(session.misuse).isNotDone();
        // the same connection, and a new one, serve on
        H2Streams.Stream next = client.open("/session");
        next.send("same connection");
        assertThat(next.next(WAIT)).isEqualTo("SAME CONNECTION");
        next.end();
        within(next.ended, "the next session to end");
        assertThat(servers.h2(server).get("/session/ping").get(5, TimeUnit.SECONDS).body()).isEqualTo("pong");
    }

    /** Opens a session that pauses at its first byte and has more of its body waiting, unread, in the layer. */
    private H2Streams.Stream pausedWithUnreadData(H2Streams client) throws Exception {
        H2Streams.Stream stream = client.open("/session?mode=count&pauseAt=1");
        assertThat(stream.status(WAIT)).isEqualTo(200);
        stream.send("x");
        await("the session to pause", WAIT, () -> api.sessions.peek() != null && api.sessions.peek().paused.isDone());
        // sent after the pause took effect: these frames wait unread in the stream's channel
        io.netty.channel.ChannelFuture more = stream.send(new byte[2 * FRAME], false);
        assertThat(more.await(WAIT.toMillis()) && more.isSuccess()).as("written within the window").isTrue();
        return stream;
    }

    @Test
    void aStreamResetWhileThePausedSessionHasUnreadDataAbortsItPromptly() throws Exception {
        H2Streams client = h2();
        H2Streams.Stream stream = pausedWithUnreadData(client);
        SessionApi.Session session = nextSession();

        stream.cancel();

        assertThat(within(session.aborted, "the paused session to be aborted")).isNotNull();
        assertThat(session.received.get()).as("part of the body was still unread (a read asked for before the pause"
                + " may deliver one more frame)").isLessThan(1 + 2 * FRAME);
        assertThat(session.misuse).isNotDone();
        assertThat(client.connection().isActive()).isTrue();
        H2Streams.Stream next = client.open("/session");
        next.send("after the reset");
        assertThat(next.next(WAIT)).isEqualTo("AFTER THE RESET");
    }

    @Test
    void aConnectionClosedWhileThePausedSessionHasUnreadDataAbortsItPromptly() throws Exception {
        H2Streams client = new H2Streams(server.port());
        pausedWithUnreadData(client);
        SessionApi.Session session = nextSession();

        client.close();

        assertThat(within(session.aborted, "the paused session to be aborted")).isNotNull();
        assertThat(session.received.get()).as("part of the body was still unread (a read asked for before the pause"
                + " may deliver one more frame)").isLessThan(1 + 2 * FRAME);
        await("the connection to be gone", WAIT, () -> server.connectionCount() == 0);
    }

    @Test
    void aConnectionClosedMidBodyAbortsTheSessionAndNewConnectionsAreServed() throws Exception {
        H2Streams client = new H2Streams(server.port());
        H2Streams.Stream stream = client.open("/session");
        assertThat(stream.status(WAIT)).isEqualTo(200);
        SessionApi.Session session = nextSession();
        stream.send("before the close");
        assertThat(stream.next(WAIT)).isEqualTo("BEFORE THE CLOSE");

        client.close();

        assertThat(within(session.aborted, "the session to be aborted")).isNotNull();
        assertThat(session.ended).isNotDone();
        await("the connection to be gone", WAIT, () -> server.connectionCount() == 0);
        H2Streams.Stream next = h2().open("/session");
        next.send("new connection");
        assertThat(next.next(WAIT)).isEqualTo("NEW CONNECTION");
        next.end();
        within(next.ended, "the new session to end");
    }

    @Test
    void chunksThatArriveBeforeTheApiTakesTheBodyAreDeliveredFirstInOrder() throws Exception {
        H2Streams.Stream stream = h2().open("/session?late=true");
        assertThat(stream.status(WAIT)).isEqualTo(200);
        SessionApi.Session session = nextSession();
        StringBuilder sent = new StringBuilder();
        List<io.netty.channel.ChannelFuture> writes = new ArrayList<>();
        // 12 frames of 8 KiB, more than one window: the client can only finish writing them once the layer has
        // read (and so queued for the API) at least half a window's worth while no receiver was set
        for (int i = 0; i < 12; i++) {
            String frame = ("frame " + (char) ('a' + i) + " ").repeat(1024).substring(0, 8192);
            sent.append(frame);
            writes.add(stream.send(frame));
        }
        for (io.netty.channel.ChannelFuture write : writes) {
            assertThat(write.await(WAIT.toMillis())).as("written").isTrue();
            assertThat(write.isSuccess()).isTrue();
        }
        assertThat(session.chunks.get()).as("nothing delivered before receive").isZero();
        assertThat(stream.frames).isEmpty();

        session.receiveNow();
        stream.send(" and after");
        stream.end();

        within(session.ended, "the body to end");
        within(stream.ended, "the reply to end");
        assertThat(stream.text()).isEqualTo(sent.toString().toUpperCase(Locale.ROOT) + " AND AFTER");
    }

    @Test
    void manySessionsOnOneConnectionEachEchoTheirOwnData() throws Exception {
        H2Streams client = h2();
        int sessions = 20;
        List<H2Streams.Stream> streams = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            streams.add(client.open("/session?n=" + s));
        }
        for (H2Streams.Stream stream : streams) {
            assertThat(stream.status(WAIT)).isEqualTo(200);
        }
        for (int c = 0; c < 10; c++) {
            for (int s = 0; s < sessions; s++) {
                streams.get(s).send("s" + s + "c" + c + ";");
            }
        }
        streams.forEach(H2Streams.Stream::end);
        for (int s = 0; s < sessions; s++) {
            H2Streams.Stream stream = streams.get(s);
            within(stream.ended, "stream " + s + " to end");
            StringBuilder expected = new StringBuilder();
            for (int c = 0; c < 10; c++) {
                expected.append("S").append(s).append("C").append(c).append(';');
            }
            assertThat(stream.text()).as("stream %d", s).isEqualTo(expected.toString());
            assertThat(stream.reset).isNotDone();
        }
        assertThat(api.handled.get()).isEqualTo(sessions);
        for (SessionApi.Session session : api.sessions) {
            assertThat(session.ended).isDone();
            assertThat(session.misuse).isNotDone();
        }
    }

    @Test
    void aSessionWhoseHeadersEndTheStreamIsHandledOnceAndItsReplyEnds() throws Exception {
        H2Streams.Stream stream = h2().open("/session?mode=count", true);

        assertThat(stream.status(WAIT)).isEqualTo(200);
        within(stream.ended, "the reply to end");
        SessionApi.Session session = nextSession();
        within(session.ended, "the API to see the (empty) body end");
        assertThat(stream.text()).isEqualTo("bytes=0 crc=0");
        assertThat(stream.reset).isNotDone();
        assertThat(api.handled.get()).as("handle calls").isEqualTo(1);
        assertThat(session.aborted).isNotDone();
    }

    // ---------------------------------------------------------------------------------------------- authentication

    private static final HttpAuthenticator REFUSE = (scheme, call) -> new Authentication.Refused(
            new HttpProblem(HttpProblem.Kind.UNAUTHENTICATED, "no token for " + call.path()));

    @Test
    void aRefusedSessionNeverReachesTheApiOverH2c() throws Exception {
        HttpServer refusing = servers.start(HttpSettings.loopbackForTests(), List.of(api), REFUSE);
        H2Streams.Stream stream = servers.add(new H2Streams(refusing.port())).open("/session");
        stream.send("a body nobody reads");

        assertThat(stream.status(WAIT)).isEqualTo(401);
        within(stream.ended.applyToEither(stream.reset.thenApply(code -> null), x -> x), "the refusal to end");
        assertThat(stream.text()).contains("UNAUTHENTICATED").contains("no token for /session");
        assertThat(api.handled.get()).isZero();
        assertThat(api.sessions).isEmpty();
    }

    @Test
    void aRefusedSessionWithoutABodyIsAnsweredOnceOverH2c() throws Exception {
        HttpServer refusing = servers.start(HttpSettings.loopbackForTests(), List.of(api), REFUSE);
        H2Streams client = servers.add(new H2Streams(refusing.port()));
        H2Streams.Stream stream = client.open("/session", true);

        assertThat(stream.status(WAIT)).isEqualTo(401);
        within(stream.ended, "the refusal to end");
        assertThat(stream.text()).contains("UNAUTHENTICATED");
        assertThat(api.handled.get()).isZero();
        // the connection is intact: a second stream on it is answered the same way
        H2Streams.Stream second = client.open("/session", true);
        assertThat(second.status(WAIT)).isEqualTo(401);
        assertThat(client.connection().isActive()).isTrue();
    }

    @Test
    void aRefusedSessionNeverReachesTheApiOverHttp1() throws Exception {
        HttpServer refusing = servers.start(HttpSettings.loopbackForTests(), List.of(api), REFUSE);
        Http1 http = servers.add(new Http1(refusing.port()));
        http.send("POST /session HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
        http.chunk("a body nobody reads");

        Http1.Head head = http.head();

        assertThat(head.status).isEqualTo(401);
        assertThat(new String(http.in.readNBytes(Integer.parseInt(head.header("content-length"))),
                StandardCharsets.UTF_8)).contains("UNAUTHENTICATED");
        assertThat(api.handled.get()).isZero();
    }

    @Test
    void aRefusedSessionWhoseWholeBodyArrivedAtOnceNeverReachesTheApiOverHttp1() throws Exception {
        HttpServer refusing = servers.start(HttpSettings.loopbackForTests(), List.of(api), REFUSE);
        Http1 http = servers.add(new Http1(refusing.port()));
        // head and whole body in one write: the body has ended before the refusal is sent
        http.send("POST /session HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "13\r\na body nobody reads\r\n0\r\n\r\n");

        Http1.Head head = http.head();

        assertThat(head.status).isEqualTo(401);
        assertThat(new String(http.in.readNBytes(Integer.parseInt(head.header("content-length"))),
                StandardCharsets.UTF_8)).contains("UNAUTHENTICATED");
        assertThat(api.handled.get()).isZero();
    }

    // ---------------------------------------------------------------------------------------------- HTTP/1.1

    @Test
    void overHttp1AChunkedSessionEchoesChunkByChunkAndTheConnectionServesTheNextRequest() throws Exception {
        Http1 http = servers.add(new Http1(server.port()));
        http.send("POST /session HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");

        Http1.Head head = http.head();
        assertThat(head.status).isEqualTo(200);
        assertThat(head.header("transfer-encoding")).isEqualToIgnoringCase("chunked");
        assertThat(head.header("connection")).isNull();
        SessionApi.Session session = nextSession();
        assertThat(session.call.protocol()).isEqualTo("HTTP/1.1");
        for (int i = 1; i <= 5; i++) {
            http.chunk("line " + i);
            assertThat(http.readChunk()).isEqualTo("LINE " + i);
        }
        assertThat(session.ended).isNotDone();
        http.send("0\r\n\r\n");
        assertThat(http.readChunk()).as("the last chunk").isNull();
        within(session.ended, "the API to see the end");

        // the code keeps an HTTP/1.1 connection after a session that ended cleanly: the next request is served
        http.send("GET /session/ping HTTP/1.1\r\nHost: localhost\r\n\r\n");
        Http1.Head ping = http.head();
        assertThat(ping.status).isEqualTo(200);
        assertThat(new String(http.in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("pong");
        assertThat(api.handled.get()).isEqualTo(2);
    }

    @Test
    void overHttp1ARequestPipelinedRightAfterTheSessionBodyIsAnsweredAfterTheSession() throws Exception {
        Http1 http = servers.add(new Http1(server.port()));
        http.send("POST /session HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n"
                + "POST /session HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nworld");

        assertThat(http.head().status).isEqualTo(200);
        assertThat(http.readChunk()).isEqualTo("HELLO");
        assertThat(http.readChunk()).isNull();
        assertThat(http.head().status).isEqualTo(200);
        assertThat(http.readChunk()).isEqualTo("WORLD");
        assertThat(http.readChunk()).isNull();
        assertThat(api.handled.get()).isEqualTo(2);
    }

    @Test
    void overHttp1ConnectionCloseEndsTheConnectionAfterTheSession() throws Exception {
        Http1 http = servers.add(new Http1(server.port()));
        http.send("POST /session HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        Http1.Head head = http.head();
        assertThat(head.header("connection")).isEqualToIgnoringCase("close");
        http.chunk("bye");
        assertThat(http.readChunk()).isEqualTo("BYE");
        http.send("0\r\n\r\n");

        assertThat(http.readChunk()).isNull();
        assertThat(http.in.read()).as("end of stream: the server closed the connection").isEqualTo(-1);
    }

    @Test
    void overHttp1AClientThatGoesAwayMidBodyAbortsTheSession() throws Exception {
        Http1 http = new Http1(server.port());
        http.send("POST /session HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertThat(http.head().status).isEqualTo(200);
        SessionApi.Session session = nextSession();
        http.chunk("half");
        assertThat(http.readChunk()).isEqualTo("HALF");

        http.close();

        assertThat(within(session.aborted, "the session to be aborted")).isNotNull();
        assertThat(session.ended).isNotDone();
    }

    /** HTTP/1.1 over a socket, read piece by piece: a response's head, then its chunks one at a time. */
    static final class Http1 implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;
        final OutputStream out;

        record Head(int status, java.util.Map<String, String> headers) {
            String header(String name) {
                return headers.get(name);
            }
        }

        Http1(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void chunk(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            send(Integer.toHexString(bytes.length) + "\r\n" + text + "\r\n");
        }

        Head head() throws IOException {
            String status = line();
            assertThat(status).startsWith("HTTP/1.1 ");
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            return new Head(Integer.parseInt(status.split(" ")[1]), headers);
        }

        /** The next chunk of a chunked body; null for the last (empty) one, after its trailers. */
        String readChunk() throws IOException {
            int size = Integer.parseInt(line().split(";")[0].trim(), 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return null;
            }
            String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
            assertThat(line()).isEmpty();
            return chunk;
        }

        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the server closed the connection");
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
