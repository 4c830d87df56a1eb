package io.github.edgestream.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Shutting down: after {@link HttpServer#stopAccepting()} the port refuses new connections, a request arriving on
 * an open keep-alive connection is answered with the API's UNAVAILABLE problem (503) and the connection closed;
 * {@link HttpServer#awaitRequests} waits for a request in flight; {@link HttpServer#close()} closes connections.
 */
class HttpShutdownTest extends EchoServerTest {

    @Test
    void aRequestOnAnOpenConnectionAfterStopAcceptingIs503() throws Exception {
        RawHttp raw = servers.raw(server);
        assertThat(raw.send(RawHttp.post("/echo/echo", "before")).read().status()).isEqualTo(200);
        // the first answer is done on the server's side too (else it would close the connection after it)
        assertThat(server.awaitRequests(Duration.ofSeconds(5))).isTrue();

        server.stopAccepting();
        Reply reply = raw.send(RawHttp.post("/echo/echo", "after")).read();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json("kind")).isEqualTo("UNAVAILABLE");
        assertThat(reply.header("connection")).isEqualToIgnoringCase("close");
        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aRequestOnAnOpenHttp2ConnectionAfterStopAcceptingIs503() throws Exception {
        H2Client client = servers.h2(server);
        assertThat(client.get("/echo/protocol").get(5, SECONDS).status()).isEqualTo(200);

        server.stopAccepting();

        assertThat(client.get("/echo/protocol").get(5, SECONDS).status()).isEqualTo(503);
    }

    @Test
    void newConnectionsAreRefusedAfterStopAccepting() {
        int port = server.port();

        server.stopAccepting();

        assertThatThrownBy(() -> new RawHttp(port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void awaitRequestsWaitsForTheRequestInFlight() throws Exception {
        RawHttp raw = servers.raw(server);
        raw.send(RawHttp.post("/echo/slow", "in flight"));
        EchoApi.Slow pending = api.pending.poll(5, SECONDS);
        server.stopAccepting();

        assertThat(server.awaitRequests(Duration.ofMillis(50))).isFalse();
        pending.reply().complete(pending.echo());

        assertThat(raw.read().body()).startsWith("in flight");
        assertThat(server.awaitRequests(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void closeClosesOpenConnections() throws Exception {
        RawHttp raw = servers.raw(server);
        assertThat(raw.send(RawHttp.post("/echo/echo", "x")).read().status()).isEqualTo(200);

        server.close();

        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
    }
}
