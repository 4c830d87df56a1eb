package io.github.edgestream.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.http.auth.AuthScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 with prior knowledge on the same port as HTTP/1.1: the same APIs answer, routed the same way, the API sees
 * {@code HTTP/2} as the protocol, and many concurrent streams on one connection are each answered with their own
 * body.
 */
class HttpH2cTest {

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
    void echoIsAnsweredOverHttp2() throws Exception {
        Reply reply = servers.h2(server).post("/echo/echo", "over h2").get(5, SECONDS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("over h2");
        assertThat(reply.header("x-api")).isEqualTo("echo-path");
    }

    @Test
    void theCallSeesProtocolHttp2() throws Exception {
        Reply reply = servers.h2(server).get("/echo/protocol").get(5, SECONDS);

        assertThat(reply.body()).isEqualTo("HTTP/2");
    }

    @Test
    void routesByAmzTargetOverHttp2() throws Exception {
        Reply reply = servers.h2(server).post("/", "{}", "x-amz-target", "Echo_1.Echo").get(5, SECONDS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("x-api")).isEqualTo("echo-target");
        assertThat(reply.header("x-protocol")).isEqualTo("HTTP/2");
    }

    @Test
    void unknownRouteIsA404OverHttp2() throws Exception {
        Reply reply = servers.h2(server).get("/nowhere").get(5, SECONDS);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json("message")).contains("GET /nowhere");
    }

    @Test
    void twentyConcurrentStreamsOnOneConnectionAreAllAnswered() throws Exception {
        H2Client client = servers.h2(server);
        List<CompletableFuture<Reply>> replies = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            replies.add(client.post("/echo/echo", "stream body " + i));
        }

        for (int i = 0; i < 20; i++) {
            Reply reply = replies.get(i).get(5, SECONDS);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("stream body " + i);
        }
        assertThat(server.connectionCount()).isEqualTo(1);
    }

    @Test
    void aSlowStreamDoesNotHoldUpTheOthers() throws Exception {
        H2Client client = servers.h2(server);

        CompletableFuture<Reply> slow = client.post("/echo/slow", "slow body");
        EchoApi.Slow pending = byPath.pending.poll(5, SECONDS);
        Reply fast = client.post("/echo/echo", "fast").get(5, SECONDS);

        assertThat(fast.body()).isEqualTo("fast");
        assertThat(slow).isNotDone();
        Thread completer = new Thread(() -> pending.reply().complete(pending.echo()), "completer");
        completer.start();
        assertThat(slow.get(5, SECONDS).body()).isEqualTo("slow body from completer");
        completer.join(5000);
    }
}
