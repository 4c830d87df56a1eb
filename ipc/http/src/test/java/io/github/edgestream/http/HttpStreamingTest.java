package io.github.edgestream.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Streaming replies: server-sent events written one by one (on the event loop or from another thread) arrive
 * complete and in order, as chunks over HTTP/1.1 and as DATA frames over HTTP/2, and the connection is usable
 * afterwards.
 */
class HttpStreamingTest extends EchoServerTest {

    @Test
    void fiveEventsArriveInOrderAsChunksOverHttp1() throws Exception {
        RawHttp raw = servers.raw(server);

        Reply reply = raw.send(RawHttp.get("/echo/sse?n=5")).read();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("transfer-encoding")).isEqualToIgnoringCase("chunked");
        assertThat(reply.header("content-type")).isEqualTo("text/event-stream");
        assertThat(reply.body()).isEqualTo(EchoApi.sseBody(5));
        assertThat(raw.lastChunks).hasSize(5);
    }

    @Test
    void eventsWrittenFromAnotherThreadArriveInOrderOverHttp1() throws Exception {
        RawHttp raw = servers.raw(server);

        Reply reply = raw.send(RawHttp.get("/echo/sse?n=50&thread=true")).read();

        assertThat(reply.body()).isEqualTo(EchoApi.sseBody(50));
    }

    @Test
    void theConnectionServesTheNextRequestAfterAStream() throws Exception {
        RawHttp raw = servers.raw(server);

        raw.send(RawHttp.get("/echo/sse?n=5")).read();
        Reply next = raw.send(RawHttp.post("/echo/echo", "next")).read();

        assertThat(next.body()).isEqualTo("next");
    }

    @Test
    void fiveEventsArriveInOrderOverHttp2() throws Exception {
        Reply reply = servers.h2(server).get("/echo/sse?n=5").get(5, SECONDS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("content-type")).isEqualTo("text/event-stream");
        assertThat(reply.header("transfer-encoding")).isNull();
        assertThat(reply.body()).isEqualTo(EchoApi.sseBody(5));
    }

    @Test
    void eventsWrittenFromAnotherThreadArriveInOrderOverHttp2() throws Exception {
        Reply reply = servers.h2(server).get("/echo/sse?n=50&thread=true").get(5, SECONDS);

        assertThat(reply.body()).isEqualTo(EchoApi.sseBody(50));
    }
}
