package io.github.edgestream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.http.auth.AuthScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The layer's limits protect the server and say which setting was hit: a body over {@code http.maxBodySize}
 * (declared or growing chunk by chunk) is refused 413 in the API's own problem shape and the connection closed;
 * headers over {@code http.maxHeaderSize} are refused 4xx; garbage is dropped; connections over
 * {@code http.maxConnections} are closed at once. After each, a new connection is served normally.
 */
class HttpLimitsTest {

    private static final int LIMIT = 4096;

    @RegisterExtension
    final Servers servers = new Servers();
    private final EchoApi api = EchoApi.byPath("echo", "/", AuthScheme.bearer());

    private HttpServer start(HttpSettings settings) {
        return servers.start(settings, api);
    }

    private HttpServer startSmall() {
        return start(HttpSettings.loopbackForTests().withMaxBodySize(LIMIT).withMaxHeaderSize(2048));
    }

    private void assertStillServes(HttpServer server) throws IOException {
        try (RawHttp fresh = new RawHttp(server.port())) {
            Reply reply = fresh.send(RawHttp.post("/echo", "still here")).read();
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("still here");
        }
    }

    @Test
    void declaredBodyOverTheLimitIs413InTheApisShapeAndClosesTheConnection() throws Exception {
        HttpServer server = startSmall();
        RawHttp raw = servers.raw(server);

        Reply reply = raw.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + (LIMIT + 1)
                + "\r\n\r\n").read();

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json("kind")).isEqualTo("BODY_TOO_LARGE");
        assertThat(reply.json("message")).contains("http.maxBodySize").contains(Integer.toString(LIMIT))
                .contains(Integer.toString(LIMIT + 1));
        assertThat(reply.header("connection")).isEqualToIgnoringCase("close");
        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
        assertStillServes(server);
    }

    @Test
    void bodyOfExactlyTheLimitIsAccepted() throws Exception {
        HttpServer server = startSmall();
        String body = "x".repeat(LIMIT);

        Reply reply = servers.raw(server).send(RawHttp.post("/echo", body)).read();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).hasSize(LIMIT);
    }

    @Test
    void chunkedBodyGrowingPastTheLimitIs413AndClosesTheConnection() throws Exception {
        HttpServer server = startSmall();
        RawHttp raw = servers.raw(server);
        String chunk = "y".repeat(1000);

        raw.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 5; i++) {
            raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
        }
        Reply reply = raw.read();

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json("kind")).isEqualTo("BODY_TOO_LARGE");
        assertThat(reply.json("message")).contains("http.maxBodySize").contains(Integer.toString(LIMIT));
        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
        assertStillServes(server);
    }

    @Test
    void chunkedBodyWithinTheLimitIsAccepted() throws Exception {
        HttpServer server = startSmall();
        RawHttp raw = servers.raw(server);

        Reply reply = raw.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").read();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("hello world");
    }

    @Test
    void headersOverTheLimitAreRefusedNamingMaxHeaderSize() throws Exception {
        HttpServer server = startSmall();
        RawHttp raw = servers.raw(server);

        Reply reply = raw.send(RawHttp.get("/echo", "X-Big: " + "z".repeat(3000))).read();

        assertThat(reply.status()).isBetween(400, 499);
        assertThat(reply.json("message")).contains("http.maxHeaderSize").contains("2048");
        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
        assertStillServes(server);
    }

    @Test
    void requestLineOverTheLimitIsRefusedNamingMaxInitialLine() throws Exception {
        HttpServer server = startSmall();
        RawHttp raw = servers.raw(server);

        Reply reply = raw.send(RawHttp.get("/echo?" + "q".repeat(20_000))).read();

        assertThat(reply.status()).isBetween(400, 499);
        assertThat(reply.json("message")).contains("http.maxInitialLine");
        assertStillServes(server);
    }

    @Test
    void garbageIsDroppedAndTheServerKeepsServing() throws Exception {
        HttpServer server = startSmall();
        byte[] garbage = new byte[10 * 1024];
        new Random(42).nextBytes(garbage);
        RawHttp raw = servers.raw(server);

        try {
            raw.send(garbage);
        } catch (IOException e) {
            // the server may close before it has read it all
        }
        String answer = readAllQuietly(raw);

        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 400"));
        assertStillServes(server);
    }

    /** Everything the server sends until it closes; fails if it does not close in time. */
    private static String readAllQuietly(RawHttp raw) throws IOException {
        StringBuilder text = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        assertThat(raw.closedByServer(Duration.ofSeconds(5), bytes)).as("the server closes the connection").isTrue();
        text.append(bytes.toString(StandardCharsets.ISO_8859_1));
        return text.toString();
    }

    @Test
    void aConnectionOverMaxConnectionsIsClosedWhileTheOthersWork() throws Exception {
        HttpServer server = start(HttpSettings.loopbackForTests().withMaxConnections(2));
        RawHttp first = servers.raw(server);
        RawHttp second = servers.raw(server);
        assertThat(first.send(RawHttp.post("/echo", "1")).read().body()).isEqualTo("1");
        assertThat(second.send(RawHttp.post("/echo", "2")).read().body()).isEqualTo("2");

        RawHttp third = servers.raw(server);

        assertThat(third.closedByServer(Duration.ofSeconds(5))).isTrue();
        assertThat(first.send(RawHttp.post("/echo", "1 again")).read().body()).isEqualTo("1 again");
        assertThat(second.send(RawHttp.post("/echo", "2 again")).read().body()).isEqualTo("2 again");
    }

    @Test
    void aClosedConnectionFreesItsPlace() throws Exception {
        HttpServer server = start(HttpSettings.loopbackForTests().withMaxConnections(1));
        try (RawHttp first = new RawHttp(server.port())) {
            assertThat(first.send(RawHttp.post("/echo", "1")).read().status()).isEqualTo(200);
        }

        // the limiter counts the connection out a moment after the client sees it closed: poll with a deadline
        Servers.await("a new connection to be served", () -> {
            try {
                assertStillServes(server);
                return true;
            } catch (IOException | AssertionError refused) {
                return false;
            }
        });
    }

    @Test
    void expectContinueWithABodyOverTheLimitGets413WithoutContinue() throws Exception {
        HttpServer server = startSmall();
        RawHttp raw = servers.raw(server);

        Reply reply = raw.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n"
                + "Expect: 100-continue\r\n\r\n").read();

        assertThat(reply.status()).isEqualTo(413);
    }

    @Test
    void http2BodyOverTheLimitIs413AndTheConnectionServesOtherStreams() throws Exception {
        HttpServer server = startSmall();
        H2Client client = servers.h2(server);

        Reply tooLarge = client.post("/echo", "w".repeat(LIMIT + 1)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        Reply next = client.post("/echo", "small").get(5, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json("message")).contains("http.maxBodySize");
        assertThat(next.body()).isEqualTo("small");
    }
}
