package io.github.edgestream.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.http.auth.AuthScheme;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * A test API taking {@code POST /session...} as a session ({@link HttpApi#streamsRequestBody}): its reply streams
 * while the body arrives. Query parameters:
 * <ul>
 * <li>{@code mode=echo} (default): each chunk received is written back upper-cased (ASCII) as one reply chunk, and
 * the reply ends when the body does;
 * <li>{@code mode=count}: nothing is echoed; when the body ends the reply is {@code bytes=<n> crc=<crc32 hex>};
 * <li>{@code pauseAt=<n>}: the session pauses reading once it has received n bytes, until the test calls
 * {@link Session#resume()};
 * <li>{@code late=true}: the session sets its receiver only when the test calls {@link Session#receiveNow()}.
 * </ul>
 * Every session is handed to the test through {@link #sessions}; {@link #handled} counts calls of {@link #handle}.
 * Other paths ({@code GET /session/ping}) are answered {@code pong} at once.
 */
public final class SessionApi implements HttpApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
    public final AtomicInteger handled = new AtomicInteger();

    @Override
    public String name() {
        return "session";
    }

    @Override
    public boolean matches(HttpRequest head) {
        return head.uri().startsWith("/session");
    }

    @Override
    public AuthScheme authScheme() {
        return AuthScheme.bearer();
    }

    @Override
    public boolean streamsRequestBody(HttpRequest head) {
        return head.method().equals(HttpMethod.POST);
    }

    @Override
    public CompletionStage<HttpReply> handle(HttpCall call) {
        handled.incrementAndGet();
        if (!call.isSession()) {
            call.operation("ping");
            return CompletableFuture.completedFuture(HttpReply.text(200, "text/plain", "pong"));
        }
        call.operation("session");
        Session session = new Session(call);
        sessions.add(session);
        return CompletableFuture.completedFuture(HttpReply.streaming(200, "application/octet-stream", session::start));
    }

    @Override
    public HttpReply problem(HttpProblem problem, HttpCall call) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", problem.kind().name());
        node.put("message", problem.message());
        return HttpReply.text(problem.kind().status(), "application/json", node.toString());
    }

    /** One session: what it received, whether it ended or broke off. */
    public static final class Session implements RequestBodyStream.Receiver {
        public final HttpCall call;
        private final boolean echo;
        private final long pauseAt;
        private final boolean late;
        /** The reply's stream, once the layer has started the reply. */
        public final CompletableFuture<ResponseStream> started = new CompletableFuture<>();
        public final AtomicLong received = new AtomicLong();
        public final AtomicInteger chunks = new AtomicInteger();
        /** Touched on the event loop only; read after {@link #ended}. */
        private final CRC32 crc = new CRC32();
        public final CompletableFuture<Long> ended = new CompletableFuture<>();
        public final CompletableFuture<Throwable> aborted = new CompletableFuture<>();
        /** Completes once the session has asked to pause. */
        public final CompletableFuture<Long> paused = new CompletableFuture<>();
        /** A callback broke a rule (called twice, off the event loop, after the end...): the first such. */
        public final CompletableFuture<String> misuse = new CompletableFuture<>();
        private volatile boolean over;

        Session(HttpCall call) {
            this.call = call;
            this.echo = !"count".equals(parameter("mode", "echo"));
            this.pauseAt = Long.parseLong(parameter("pauseAt", "-1"));
            this.late = Boolean.parseBoolean(parameter("late", "false"));
        }

        private String parameter(String name, String otherwise) {
            List<String> values = call.parameters().get(name);
            return values == null || values.isEmpty() ? otherwise : values.get(0);
        }

        void start(ResponseStream out) {
            started.complete(out);
            if (!late) {
                call.requestBody().receive(this);
            }
        }

        /** For {@code late=true}: sets the receiver now (from the test's thread). */
        public void receiveNow() {
            call.requestBody().receive(this);
        }

        /** Reads on after {@code pauseAt}. */
        public void resume() {
            call.requestBody().resume();
        }

        public long crc() {
            return ended.join();
        }

        private ResponseStream out() {
            return started.getNow(null);
        }

        @Override
        public void onChunk(ByteBuf chunk) {
            try {
                if (over) {
                    misuse.complete("a chunk after the end or abort");
                }
                int n = chunk.readableBytes();
                crc.update(chunk.nioBuffer());
                chunks.incrementAndGet();
                long total = received.addAndGet(n);
                if (echo) {
                    byte[] bytes = new byte[n];
                    chunk.getBytes(chunk.readerIndex(), bytes);
                    out().write(Unpooled.wrappedBuffer(new String(bytes, StandardCharsets.ISO_8859_1)
                            .toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1)));
                }
                if (pauseAt >= 0 && total >= pauseAt && !paused.isDone()) {
                    call.requestBody().pause();
                    paused.complete(total);
                }
            } finally {
                chunk.release();
            }
        }

        @Override
        public void onEnd() {
            if (over) {
                misuse.complete("onEnd after the end or abort");
            }
            over = true;
            if (!echo) {
                out().write(Unpooled.copiedBuffer("bytes=" + received.get() + " crc=" + Long.toHexString(crc.getValue()),
                        StandardCharsets.US_ASCII));
            }
            out().end();
            ended.complete(crc.getValue());
        }

        @Override
        public void onAbort(Throwable cause) {
            if (over) {
                misuse.complete("onAbort after the end or abort");
            }
            over = true;
            aborted.complete(cause);
            ResponseStream out = out();
            if (out != null) {
                out.end();
            }
        }
    }
}
