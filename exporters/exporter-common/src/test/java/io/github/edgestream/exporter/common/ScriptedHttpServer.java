package io.github.edgestream.exporter.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP server on 127.0.0.1 for exporter tests: it records every request (method, path, headers, body) and
 * answers from a script: queued one-off answers first, then the default answer, which may depend on the request.
 * An answer can also be {@link Answer#hanging()}: hold the request without answering until the server stops.
 *
 * <p>Thread-safe. Close it in the test ({@code try}-with-resources or {@code @AfterEach}).
 */
public final class ScriptedHttpServer implements AutoCloseable {

    /** What the server received. Header names are lower-case. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** What the server answers. */
    public record Answer(int status, Map<String, String> headers, byte[] body, boolean hangs) {
        public static Answer of(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"),
                    body.getBytes(StandardCharsets.UTF_8), false);
        }

        public static Answer of(int status) {
            return new Answer(status, Map.of(), new byte[0], false);
        }

        /** Never answers; the client's timeout has to end the call. */
        public static Answer hanging() {
            return new Answer(0, Map.of(), new byte[0], true);
        }

        public Answer withHeader(String name, String value) {
            var all = new TreeMap<>(headers);
            all.put(name, value);
            return new Answer(status, all, body, hangs);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "scripted-http");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Answer> queued = new ArrayDeque<>();
    private Function<Request, Answer> defaultAnswer = request -> Answer.of(200);

    private ScriptedHttpServer(HttpServer server) {
        this.server = server;
    }

    /** Starts a server on an ephemeral loopback port, answering 200 with an empty body until told otherwise. */
    public static ScriptedHttpServer start() {
        return start(0);
    }

    /** As {@link #start()}, on this loopback port (a destination that comes back where it was). */
    public static ScriptedHttpServer start(int port) {
        try {
            var http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            var scripted = new ScriptedHttpServer(http);
            http.createContext("/", scripted::handle);
            http.setExecutor(scripted.executor);
            http.start();
            return scripted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI uri(String path) {
        return uri().resolve(path);
    }

    /** The answer for every request that no queued answer takes. */
    public synchronized ScriptedHttpServer answerByDefault(Function<Request, Answer> answer) {
        defaultAnswer = answer;
        return this;
    }

    public ScriptedHttpServer answerByDefault(Answer answer) {
        return answerByDefault(request -> answer);
    }

    /** The next requests get these answers, in order, before the default applies again. */
    public synchronized ScriptedHttpServer thenAnswer(Answer... answers) {
        queued.addAll(List.of(answers));
        return this;
    }

    /** Every request so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits until at least {@code count} requests have arrived. */
    public List<Request> awaitRequests(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (requests.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " requests within " + timeout + ", got "
                            + requests.size());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = new TreeMap<String, String>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
            var request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    headers, exchange.getRequestBody().readAllBytes());
            Answer answer;
            synchronized (this) {
                requests.add(request);
                answer = queued.isEmpty() ? defaultAnswer.apply(request) : queued.poll();
                notifyAll();
            }
            if (answer.hangs()) {
                stopping.await();
                return;
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                exchange.getResponseBody().write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
