package io.github.edgestream.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.http.auth.AuthScheme;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code http.idleTimeout} closes connections that stay idle: an HTTP/1.1 keep-alive connection between requests,
 * an HTTP/2 connection without streams, a connection that never sends a byte and one that stops inside the HTTP/2
 * preface (before the protocol is known); and each frees its place under {@code http.maxConnections}.
 */
class HttpIdleTimeoutTest {

    private static final Duration IDLE = Duration.ofMillis(200);

    @RegisterExtension
    final Servers servers = new Servers();
    private final EchoApi api = EchoApi.byPath("echo", "/echo/", AuthScheme.bearer());
    private HttpServer server;

    @BeforeEach
    void start() {
        HttpSettings defaults = HttpSettings.loopbackForTests();
        server = servers.start(new HttpSettings(defaults.host(), 0, 4, defaults.maxBodySize(),
                defaults.maxHeaderSize(), defaults.maxInitialLine(), defaults.maxConcurrentStreams(), IDLE, 2, true,
                defaults.transport()), api);
    }

    @Test
    void anIdleHttp1ConnectionIsClosed() throws Exception {
        RawHttp raw = servers.raw(server);
        assertThat(raw.send(RawHttp.post("/echo/echo", "x")).read().status()).isEqualTo(200);

        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aConnectionThatNeverSendsAByteIsClosed() throws Exception {
        RawHttp raw = servers.raw(server);

        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
        Servers.await("the connection count to drop", () -> server.connectionCount() == 0);
    }

    @Test
    void aConnectionStoppingInsideTheHttp2PrefaceIsClosed() throws Exception {
        RawHttp raw = servers.raw(server);

        raw.send("PRI * HTTP/2.0\r\n");

        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void anIdleHttp2ConnectionIsClosed() throws Exception {
        H2Client client = servers.h2(server);
        assertThat(client.get("/echo/protocol").get(5, SECONDS).status()).isEqualTo(200);

        Servers.await("the HTTP/2 connection to be closed", () -> server.connectionCount() == 0);
    }

    @Test
    void aClientStallingInTheMiddleOfABodyIsClosed() throws Exception {
        RawHttp raw = servers.raw(server);

        raw.send("POST /echo/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc");

        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aRequestBeingAnsweredKeepsItsHttp1Connection() throws Exception {
        RawHttp raw = servers.raw(server);
        raw.send(RawHttp.post("/echo/slow", "patience"));
        EchoApi.Slow pending = api.pending.poll(5, SECONDS);

        assertThat(raw.closedByServer(IDLE.multipliedBy(3))).isFalse();
        pending.reply().complete(pending.echo());

        assertThat(raw.read().body()).startsWith("patience");
    }

    @Test
    void aStreamBeingAnsweredKeepsItsHttp2Connection() throws Exception {
        H2Client client = servers.h2(server);
        java.util.concurrent.CompletableFuture<Reply> reply = client.post("/echo/slow", "patience");
        EchoApi.Slow pending = api.pending.poll(5, SECONDS);

        assertThatNoClose(IDLE.multipliedBy(3));
        pending.reply().complete(pending.echo());

        assertThat(reply.get(5, SECONDS).body()).startsWith("patience");
    }

    /** The server keeps its one connection for this long (a deadline loop, not a sleep: it watches the count). */
    private void assertThatNoClose(Duration during) {
        long deadline = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(server.connectionCount()).isEqualTo(1);
            Thread.yield();
        }
    }
}
