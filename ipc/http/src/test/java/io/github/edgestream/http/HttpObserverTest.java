package io.github.edgestream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.http.auth.AuthScheme;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request observer (metrics) hears of every answered request once: the API's name, the operation the API
 * named with {@link HttpCall#operation(String)}, the status as text and a positive duration; also for requests the
 * layer refused or could not route.
 */
class HttpObserverTest {

    /** One observed request. */
    record Seen(String api, String operation, String status, long nanos) {
    }

    @RegisterExtension
    final Servers servers = new Servers();
    private final EchoApi api = EchoApi.byPath("echo", "/echo/", AuthScheme.bearer());
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() {
        HttpServer created = new HttpServer(HttpSettings.loopbackForTests().withMaxBodySize(4096), List.of(api),
                HttpAuthenticator.OPEN);
        created.observe((api, operation, status, nanos) -> seen.add(new Seen(api, operation, status, nanos)));
        server = servers.add(created);
        server.start();
    }

    private Seen only() {
        Servers.await("one observed request", () -> !seen.isEmpty());
        assertThat(seen).hasSize(1);
        return seen.get(0);
    }

    @Test
    void anAnsweredRequestIsObservedWithTheApisOperation() throws Exception {
        servers.post(server, "/echo/echo", "x");

        Seen request = only();
        assertThat(request.api()).isEqualTo("echo");
        assertThat(request.operation()).isEqualTo("echo");
        assertThat(request.status()).isEqualTo("200");
        assertThat(request.nanos()).isPositive();
    }

    @Test
    void anUnroutedRequestIsObservedAs404OfNoApi() throws Exception {
        servers.get(server, "/nowhere");

        Seen request = only();
        assertThat(request.api()).isEqualTo("none");
        assertThat(request.operation()).isEqualTo("unknown");
        assertThat(request.status()).isEqualTo("404");
    }

    @Test
    void aTooLargeBodyIsObservedAs413() throws Exception {
        try (RawHttp raw = new RawHttp(server.port())) {
            raw.send("POST /echo/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n\r\n").read();
        }

        Seen request = only();
        assertThat(request.api()).isEqualTo("echo");
        assertThat(request.status()).isEqualTo("413");
    }

    @Test
    void aStreamedReplyIsObservedOnceItEnds() throws Exception {
        servers.get(server, "/echo/sse?n=3");

        Seen request = only();
        assertThat(request.operation()).isEqualTo("sse");
        assertThat(request.status()).isEqualTo("200");
    }

    @Test
    void everyRequestOnAConnectionIsObservedInTurn() throws Exception {
        try (RawHttp raw = new RawHttp(server.port())) {
            raw.send(RawHttp.post("/echo/echo", "a")).read();
            raw.send(RawHttp.get("/echo/whoami")).read();
            raw.send(RawHttp.get("/nope")).read();
        }

        Servers.await("three observed requests", () -> seen.size() == 3);
        assertThat(seen).extracting(Seen::operation).containsExactly("echo", "whoami", "unknown");
        assertThat(seen).extracting(Seen::status).containsExactly("200", "200", "404");
    }

    @Test
    void requestsOverHttp2AreObservedToo() throws Exception {
        servers.h2(server).get("/echo/protocol").get(5, java.util.concurrent.TimeUnit.SECONDS);

        Seen request = only();
        assertThat(request.operation()).isEqualTo("protocol");
        assertThat(request.status()).isEqualTo("200");
    }
}
