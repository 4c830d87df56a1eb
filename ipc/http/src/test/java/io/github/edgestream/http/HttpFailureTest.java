package io.github.edgestream.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Handlers that fail (throw, or return a failed stage) are answered with the API's INTERNAL problem (500 here),
 * which names the exception class but not its message; the connection and the server keep serving. A reply
 * completed later from another thread is delivered, with the request body still readable then.
 */
class HttpFailureTest extends EchoServerTest {

    @Test
    void aThrowingHandlerIsAnInternalProblemAndTheConnectionKeepsServing() throws Exception {
        RawHttp raw = servers.raw(server);

        Reply failed = raw.send(RawHttp.post("/echo/fail", "x")).read();
        Reply next = raw.send(RawHttp.post("/echo/echo", "next")).read();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json("kind")).isEqualTo("INTERNAL");
        assertThat(failed.json("message")).contains("IllegalStateException").doesNotContain("broke");
        assertThat(next.body()).isEqualTo("next");
    }

    @Test
    void aFailedStageIsAnInternalProblemAndTheConnectionKeepsServing() throws Exception {
        RawHttp raw = servers.raw(server);

        Reply failed = raw.send(RawHttp.post("/echo/failstage", "x")).read();
        Reply next = raw.send(RawHttp.post("/echo/echo", "next")).read();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json("kind")).isEqualTo("INTERNAL");
        assertThat(failed.json("message")).contains("IllegalStateException");
        assertThat(next.body()).isEqualTo("next");
    }

    @Test
    void aFailingHandlerOverHttp2IsAnInternalProblem() throws Exception {
        H2Client client = servers.h2(server);

        Reply failed = client.post("/echo/fail", "x").get(5, SECONDS);
        Reply next = client.post("/echo/echo", "next").get(5, SECONDS);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json("kind")).isEqualTo("INTERNAL");
        assertThat(next.body()).isEqualTo("next");
    }

    @Test
    void aReplyCompletedLaterFromAnotherThreadIsDelivered() throws Exception {
        RawHttp raw = servers.raw(server);
        raw.send(RawHttp.post("/echo/slow", "slow body"));
        EchoApi.Slow pending = api.pending.poll(5, SECONDS);
        assertThat(pending).as("the handler was called").isNotNull();

        CompletableFuture.runAsync(() -> pending.reply().complete(pending.echo()),
                r -> new Thread(r, "completer").start());

        Reply reply = raw.read();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("slow body from completer");
        assertThat(raw.send(RawHttp.post("/echo/echo", "after")).read().body()).isEqualTo("after");
    }

    @Test
    void aStageFailedLaterFromAnotherThreadIsAnInternalProblem() throws Exception {
        RawHttp raw = servers.raw(server);
        raw.send(RawHttp.post("/echo/slow", "x"));
        EchoApi.Slow pending = api.pending.poll(5, SECONDS);

        new Thread(() -> pending.reply().completeExceptionally(new ArithmeticException("late")), "failer").start();

        Reply reply = raw.read();
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json("message")).contains("ArithmeticException");
    }
}
