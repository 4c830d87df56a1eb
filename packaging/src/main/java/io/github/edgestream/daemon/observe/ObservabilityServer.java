package io.github.edgestream.daemon.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.edgestream.core.export.ExportStatus;
import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.core.stream.StreamStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP endpoint for people and monitoring, on loopback by default ({@code observability.*}):
 * <ul>
 *   <li>{@code GET /health}: {@code {"live":true,"ready":true}}, 200 when ready, 503 while starting or stopping;</li>
 *   <li>{@code GET /metrics}: Prometheus text format ({@link DaemonMetrics});</li>
 *   <li>{@code GET /api/status}: every stream and export as JSON, for the status page;</li>
 *   <li>{@code GET /}: the status page, static files from the jar ({@code status-page/}), no build step.</li>
 * </ul>
 * Read-only; any other method gets 405, any other path 404.
 *
 * <p>Thread-safe. One small thread serves requests; {@link #close()} stops it.
 */
public final class ObservabilityServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/style.css", "style.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final ExecutorService executor;
    private final DaemonMetrics metrics;
    private final StreamStore store;
    private final ExportStatusSource exports;
    private final BooleanSupplier ready;
    private final Clock clock;

    private ObservabilityServer(HttpServer server, ExecutorService executor, DaemonMetrics metrics, StreamStore store,
            ExportStatusSource exports, BooleanSupplier ready, Clock clock) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
        this.store = store;
        this.exports = exports;
        this.ready = ready;
        this.clock = clock;
    }

    /**
     * Listens on {@code host:port} (0: a free port).
     *
     * @throws UncheckedIOException naming the address if it cannot listen (port in use)
     */
    public static ObservabilityServer start(String host, int port, DaemonMetrics metrics, StreamStore store,
            ExportStatusSource exports, BooleanSupplier ready, Clock clock) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the status page and metrics on " + host + ":" + port
                    + " (observability.host, observability.port): " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "edgestream-observability");
            thread.setDaemon(true);
            return thread;
        });
        var server = new ObservabilityServer(http, executor, metrics, store, exports, ready, clock);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "only GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/health" -> {
                    boolean up = ready.getAsBoolean();
                    send(exchange, up ? 200 : 503, "application/json",
                            ("{\"live\":true,\"ready\":" + up + "}").getBytes(StandardCharsets.UTF_8));
                }
                case "/metrics" -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8));
                case "/api/status" -> send(exchange, 200, "application/json", JSON.writeValueAsBytes(status()));
                default -> page(exchange, path);
            }
        } catch (RuntimeException e) {
            LOG.warn("observability request {} failed", exchange.getRequestURI(), e);
        }
    }

    private void page(HttpExchange exchange, String path) throws IOException {
        String file = PAGES.get(path);
        if (file == null) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = ObservabilityServer.class.getResourceAsStream("/status-page/" + file)) {
            if (in == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "missing from the jar\n"
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(exchange, 200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), in.readAllBytes());
        }
    }

    /** What the status page shows: streams with their fill level, exports with lag, state and last error. */
    ObjectNode status() {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", clock.millis());
        ArrayNode streams = root.putArray("streams");
        for (StreamName name : store.list()) {
            StreamInfo info;
            try {
                info = store.get(name).info();
            } catch (RuntimeException deletedMeanwhile) {
                continue;
            }
            ObjectNode stream = streams.addObject();
            stream.put("name", name.value());
            stream.put("persistence", info.definition().persistence().name());
            stream.put("storedBytes", info.totalSize().bytes());
            stream.put("maxBytes", info.definition().maxSize().bytes());
            stream.put("oldestSequenceNumber", info.oldestSequenceNumber());
            stream.put("newestSequenceNumber", info.newestSequenceNumber());
            stream.put("appendedMessages", info.appendedMessages());
            stream.put("appendedBytes", info.appendedBytes());
            ArrayNode list = stream.putArray("exports");
            for (ExportStatus status : exports.statuses(info.definition())) {
                ObjectNode export = list.addObject();
                export.put("identifier", status.exportIdentifier());
                export.put("lastExportedSequenceNumber", status.lastExportedSequenceNumber());
                export.put("lagMessages", Math.max(0, info.newestSequenceNumber()
                        - status.lastExportedSequenceNumber()));
                export.put("exportedMessages", status.exportedMessages());
                export.put("exportedBytes", status.exportedBytes());
                export.put("state", state(status, info));
                status.errorMessage().ifPresent(error -> export.put("lastError", error));
                status.lastExportTime().ifPresent(time -> export.put("lastExportTime", time.toEpochMilli()));
            }
        }
        return root;
    }

    private static String state(ExportStatus status, StreamInfo info) {
        boolean disabled = info.definition().exports().stream()
                .anyMatch(e -> e.identifier().equals(status.exportIdentifier()) && e.settings().disabled());
        if (disabled) {
            return "paused";
        }
        if (status.nextAttempt().isPresent() || status.consecutiveFailures() > 0) {
            return "retrying";
        }
        return status.lastExportedSequenceNumber() >= info.newestSequenceNumber() ? "idle" : "exporting";
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
