package io.github.edgestream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.http.auth.AuthScheme;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/1.1 on the shared port: requests reach the API whose route (path prefix or {@code X-Amz-Target}) matches,
 * others get a JSON 404 naming what was asked; keep-alive connections serve request after request and
 * {@code Connection: close} is honoured; {@code Expect: 100-continue} gets its interim answer.
 */
class HttpHttp1Test {

    @RegisterExtension
    final Servers servers = new Servers();
    private final EchoApi byPath = EchoApi.byPath("echo-path", "/echo/", AuthScheme.bearer());
    private final EchoApi byTarget = EchoApi.byTarget("echo-target", "Echo_1", AuthScheme.bearer());
    private HttpServer server;

    @BeforeEach
    void start() {
        server = servers.start(HttpSettings.loopbackForTests(), byPath, byTarget);
    }

    @Test
    void routesByPathPrefix() throws Exception {
        HttpResponse<String> response = servers.post(server, "/echo/echo", "hello");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
        assertThat(response.headers().firstValue("X-Api")).hasValue("echo-path");
        assertThat(response.headers().firstValue("X-Protocol")).hasValue("HTTP/1.1");
    }

    @Test
    void routesByAmzTargetHeader() throws Exception {
        HttpResponse<String> response = servers.send(server, "/", b -> b.header("X-Amz-Target", "Echo_1.Echo")
                .POST(BodyPublishers.ofString("{\"a\":1}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"a\":1}");
        assertThat(response.headers().firstValue("X-Api")).hasValue("echo-target");
    }

    @Test
    void aHeadRequestGetsTheHeadersAndLengthOfTheAnswerWithoutItsBody() throws Exception {
        HttpResponse<String> get = servers.send(server, "/echo/protocol", b -> b.method("GET",
                BodyPublishers.noBody()));
        HttpResponse<String> head = servers.send(server, "/echo/protocol", b -> b.method("HEAD",
                BodyPublishers.noBody()));
        HttpResponse<String> after = servers.post(server, "/echo/echo", "still in step");

        assertThat(get.body()).isNotEmpty();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("content-length"))
                .hasValue(Integer.toString(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(after.body()).as("the connection is still in step after a HEAD").isEqualTo("still in step");
    }

    @Test
    void unknownRouteIsA404JsonNamingMethodAndPath() throws Exception {
        HttpResponse<String> response = servers.send(server, "/nowhere/at/all?x=1",
                b -> b.method("DELETE", BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        Reply reply = new Reply(404, java.util.Map.of(), response.body());
        assertThat(reply.json("error")).isEqualTo("not_found");
        assertThat(reply.json("message")).contains("DELETE /nowhere/at/all").doesNotContain("x=1");
    }

    @Test
    void unknownAmzTargetIsA404NamingTheTarget() throws Exception {
        HttpResponse<String> response = servers.send(server, "/", b -> b.header("X-Amz-Target", "Other_2.Put")
                .POST(BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("POST /").contains("Other_2.Put");
    }

    @Test
    void keepAliveConnectionServesTwoRequestsInTurn() throws Exception {
        RawHttp raw = servers.raw(server);

        Reply first = raw.send(RawHttp.post("/echo/echo", "one")).read();
        Reply second = raw.send(RawHttp.post("/echo/echo", "two")).read();

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("one");
        assertThat(first.header("connection")).isNotEqualToIgnoringCase("close");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo("two");
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void a404KeepsTheConnectionOpen() throws Exception {
        RawHttp raw = servers.raw(server);

        assertThat(raw.send(RawHttp.get("/nowhere")).read().status()).isEqualTo(404);
        assertThat(raw.send(RawHttp.post("/echo/echo", "after")).read().body()).isEqualTo("after");
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        RawHttp raw = servers.raw(server);

        Reply reply = raw.send(RawHttp.post("/echo/echo", "bye", "Connection: close")).read();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("bye");
        assertThat(reply.header("connection")).isEqualToIgnoringCase("close");
        assertThat(raw.closedByServer(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void expectContinueGets100Then200() throws Exception {
        RawHttp raw = servers.raw(server);

        raw.send("POST /echo/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        Reply interim = raw.read();
        Reply reply = raw.send("hello").read();

        assertThat(interim.status()).isEqualTo(100);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("hello");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        RawHttp raw = servers.raw(server);

        raw.send(RawHttp.post("/echo/echo", "one") + RawHttp.post("/echo/echo", "two"));

        assertThat(raw.read().body()).isEqualTo("one");
        assertThat(raw.read().body()).isEqualTo("two");
    }
}
