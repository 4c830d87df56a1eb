package io.github.edgestream.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Servers and clients of one test, closed in reverse order by {@link #close()} (call it from {@code @AfterEach});
 * plus an HTTP/1.1 JDK client and a bounded wait on conditions.
 */
public final class Servers implements AutoCloseable, org.junit.jupiter.api.extension.AfterEachCallback {

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    /** Shared: a JDK 17 client cannot be closed, and each one keeps a selector thread. */
    private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts a server on a free loopback port. */
    public HttpServer start(HttpSettings settings, List<HttpApi> apis, HttpAuthenticator authenticator) {
        HttpServer server = new HttpServer(settings, apis, authenticator);
        resources.push(server);
        server.start();
        return server;
    }

    public HttpServer start(HttpSettings settings, HttpApi... apis) {
        return start(settings, List.of(apis), HttpAuthenticator.OPEN);
    }

    public <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    public RawHttp raw(HttpServer server) throws IOException {
        return add(new RawHttp(server.port()));
    }

    public H2Client h2(HttpServer server) {
        return add(new H2Client(server.port()));
    }

    /** An HTTP/1.1 request with the JDK client; {@code configure} adds the method, headers, body. */
    public HttpResponse<String> send(HttpServer server, String path,
            java.util.function.UnaryOperator<HttpRequest.Builder> configure) throws IOException, InterruptedException {
        HttpRequest request = configure.apply(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(5))).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(HttpServer server, String path) throws IOException, InterruptedException {
        return send(server, path, b -> b.GET());
    }

    public HttpResponse<String> post(HttpServer server, String path, String body)
            throws IOException, InterruptedException {
        return send(server, path, b -> b.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Waits up to five seconds for the condition; fails the test if it does not hold by then. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** As a registered extension ({@code @RegisterExtension}): closes everything after each test. */
    @Override
    public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
