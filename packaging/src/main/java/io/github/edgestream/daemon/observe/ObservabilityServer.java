package io.github.edgestream.daemon.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.edgestream.core.export.ExportStatus;
import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.Scheduler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *   <li>{@code GET /api/status}: every stream, export and consumer group of every namespace as JSON, for the status
 *       page;</li>
 *   <li>{@code GET /}: the status page, static files from the jar ({@code status-page/}), no build step.</li>
 * </ul>
 * Read-only; any other method gets 405, any other path 404.
 *
 * <p>Streams come first: if the address cannot be bound (the port is taken), the daemon goes on serving streams; the
 * failure is logged once as an error and the bind is retried in the background (after 1 s, doubling up to
 * {@link #MAX_RETRY_DELAY}) until it succeeds or the daemon stops. {@link #port()} is -1 until then.
 *
 * <p>Thread-safe. One small thread serves requests; {@link #close()} stops it and any retry.
 */
public final class ObservabilityServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/style.css", "style.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

    private final String host;
    private final int requestedPort;
    private final Scheduler scheduler;
    private final ExecutorService executor;
    private final DaemonMetrics metrics;
    private final StreamStore store;
    private final ExportStatusSource exports;
    private final BooleanSupplier ready;
    private final Clock clock;
    private HttpServer server;          // guarded by this; null until bound
    private Scheduler.Cancellable retry; // guarded by this
    private int failedAttempts;         // guarded by this
    private boolean closed;             // guarded by this

    private ObservabilityServer(String host, int port, Scheduler scheduler, DaemonMetrics metrics, StreamStore store,
            ExportStatusSource exports, BooleanSupplier ready, Clock clock) {
        this.host = host;
        this.requestedPort = port;
        this.scheduler = scheduler;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "edgestream-observability");
            thread.setDaemon(true);
            return thread;
        });
        this.metrics = metrics;
        this.store = store;
        this.exports = exports;
        this.ready = ready;
        this.clock = clock;
    }

    /**
     * Listens on {@code host:port} (0: a free port) now if it can, else keeps trying in the background on
     * {@code scheduler}. Never throws for an address that cannot be bound: see the class comment.
     */
    public static ObservabilityServer start(String host, int port, Scheduler scheduler, DaemonMetrics metrics,
            StreamStore store, ExportStatusSource exports, BooleanSupplier ready, Clock clock) {
        var server = new ObservabilityServer(host, port, scheduler, metrics, store, exports, ready, clock);
        server.bind();
        return server;
    }

    private synchronized void bind() {
        if (closed || server != null) {
            return;
        }
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(host, requestedPort), 16);
            http.createContext("/", this::handle);
            http.setExecutor(executor);
            http.start();
            server = http;
            if (failedAttempts > 0) {
                LOG.info("status page, /metrics and /health now served on http://{}:{}/ (after {} failed attempts)",
                        host, port(), failedAttempts);
            }
        } catch (IOException | RuntimeException e) {
            failedAttempts++;
            long doublings = Math.min(failedAttempts - 1, 16);
            Duration delay = FIRST_RETRY_DELAY.multipliedBy(1L << doublings);
            delay = delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
            if (failedAttempts == 1) {
                LOG.error("cannot serve the status page and metrics on {}:{} ({}); streams are served anyway; retrying"
                        + " in the background, up to every {} s (move it with observability.port or {})", host,
                        requestedPort, e.getMessage(), MAX_RETRY_DELAY.toSeconds(),
                        "EDGESTREAM_OBSERVABILITY_PORT");
            } else {
                LOG.debug("observability bind attempt {} on {}:{} failed: {}", failedAttempts, host, requestedPort,
                        e.toString());
            }
            retry = scheduler.schedule(delay, this::bind);
        }
    }

    /** The bound port, or -1 while the address could not be bound yet. */
    public synchronized int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    /** Failed attempts to bind so far (0 once bound at the first try). */
    synchronized int failedAttempts() {
        return failedAttempts;
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

    /**
     * What the status page shows: streams with their fill level, exports with lag, state and last error, consumer
     * groups with their committed position and lag per partition ({@link GroupLags}); the
     * default namespace's streams first, then those of every other namespace (S2 basins...), each with its
     * {@code namespace}.
     */
    ObjectNode status() {
        ObjectNode root = JSON.createObjectNode();
        root.put("time", clock.millis());
        ArrayNode streams = root.putArray("streams");
        for (Namespace namespace : DaemonMetrics.namespaces(store)) {
            Optional<StreamStore> catalogue = namespace.isDefault() ? Optional.of(store)
                    : store.findNamespace(namespace);
            if (catalogue.isPresent()) {
                addStreams(streams, namespace, catalogue.get(), exports.inNamespace(namespace), clock);
            }
        }
        return root;
    }

    private static void addStreams(ArrayNode streams, Namespace namespace, StreamStore catalogue,
            ExportStatusSource exports, Clock clock) {
        List<StreamName> names;
        try {
            names = catalogue.list();
        } catch (RuntimeException deletedMeanwhile) {
            return;
        }
        for (StreamName name : names) {
            StreamInfo info;
            try {
                info = catalogue.get(name).info();
            } catch (RuntimeException deletedMeanwhile) {
                continue;
            }
            ObjectNode stream = streams.addObject();
            stream.put("name", name.value());
            stream.put("namespace", namespace.value());
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
            ArrayNode groups = stream.putArray("groups");
            for (GroupLags.PartitionLag lag : GroupLags.of(catalogue, name, clock)) {
                ObjectNode group = groups.addObject();
                group.put("group", lag.group());
                group.put("partition", lag.partition());
                group.put("committedPosition", lag.committed());
                group.put("lagMessages", lag.messages());
                group.put("lagBytes", lag.bytes());
                group.put("lagAgeSeconds", lag.ageSeconds());
            }
        }
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
    public synchronized void close() {
        closed = true;
        if (retry != null) {
            retry.cancel();
        }
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }
}
