package io.github.edgestream.bench;

import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The daemon's footprint as an operator sees it: the distribution ({@code target/edgestream/bin/edgestream}, built by
 * {@code mvn package}) started as its own process with {@code JVM_ARGS=-Xmx64m}; time from the process start until
 * {@code /health} says ready; then heap (from {@code /metrics}) and resident memory (from {@code /proc/PID/status}:
 * VmRSS, and RssAnon, which leaves out the page cache of mapped files such as Chronicle's segments), idle and while
 * 100 File streams take 10,000 appends per second in total from 4 connections. Peak values over the load period.
 *
 * <pre>
 * mvn -q package -DskipTests && mvn -q -Pbench -pl packaging test-compile exec:exec \
 *     -Dbench.main=io.github.edgestream.bench.FootprintBenchmark -Dbench.args="30 5"
 * </pre>
 * Arguments: seconds of load, start-up repetitions. Not thread-safe; a main program.
 */
public final class FootprintBenchmark {

    private static final Path LAUNCHER = Path.of("target", "edgestream", "bin", "edgestream").toAbsolutePath();
    private static final Pattern READY = Pattern.compile("tcp 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STATUS_PAGE = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int starts = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = Path.of("target", "bench-footprint").toAbsolutePath();
        if (Files.exists(work)) {
            try (var old = Files.walk(work)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work);
        System.out.println("launcher " + LAUNCHER + ", JVM_ARGS=" + Optional.ofNullable(System.getenv("FOOTPRINT_JVM_ARGS")).orElse("-Xmx64m"));
        for (int i = 0; i < starts; i++) {
            try (Daemon daemon = Daemon.start(work.resolve("start-" + i))) {
                System.out.printf("start %d: ready (/health 200) %d ms after the process started%n", i + 1,
                        daemon.readyMillis);
            }
        }
        try (Daemon daemon = Daemon.start(work.resolve("load"))) {
            idleSettle();
            System.out.printf("idle: %s%n", daemon.sample());
            Sample peak = load(daemon, seconds);
            System.out.printf("under 10,000 appends/s into 100 streams for %d s (peak): %s%n", seconds, peak);
        }
    }

    private static void idleSettle() {
        LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
    }

    private static Sample load(Daemon daemon, int seconds) throws Exception {
        List<StreamManagerClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port)));
        }
        for (int s = 0; s < 100; s++) {
            clients.get(0).createMessageStream(StreamDefinition.builder("sensor-" + s,
                    StrategyOnFull.OVERWRITE_OLDEST_DATA).persistence(Persistence.FILE)
                    .maxSize(DataSize.ofMebibytes(64)).build()).get(10, TimeUnit.SECONDS);
        }
        byte[] payload = "{\"t\":21.5,\"unit\":\"C\",\"sensor\":\"line-3/temperature\",\"quality\":\"GOOD\"}"
                .getBytes(StandardCharsets.UTF_8);
        AtomicLong sent = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        Sample peak = daemon.sample();
        long nextSample = start;
        // 10 ms ticks of 100 appends: one per stream, spread over the connections
        for (long tick = start; tick < end; tick += 10_000_000) {
            LockSupport.parkNanos(tick - System.nanoTime());
            List<CompletableFuture<Long>> acks = new ArrayList<>(100);
            for (int s = 0; s < 100; s++) {
                acks.add(clients.get(s % 4).appendMessage("sensor-" + s, payload));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            sent.addAndGet(100);
            if (System.nanoTime() >= nextSample) {
                peak = peak.max(daemon.sample());
                nextSample += TimeUnit.SECONDS.toNanos(1);
            }
        }
        double rate = sent.get() / ((System.nanoTime() - start) / 1e9);
        System.out.printf("appended %,d messages at %,.0f/s%n", sent.get(), rate);
        clients.forEach(StreamManagerClient::close);
        return peak.max(daemon.sample());
    }

    /** Heap used (MiB), resident (MiB), anonymous resident (MiB). */
    private record Sample(double heap, double rss, double rssAnon) {
        Sample max(Sample other) {
            return new Sample(Math.max(heap, other.heap), Math.max(rss, other.rss), Math.max(rssAnon, other.rssAnon));
        }

        @Override
        public String toString() {
            return String.format("heap used %.1f MiB, VmRSS %.1f MiB, RssAnon (without mapped files) %.1f MiB", heap,
                    rss, rssAnon);
        }
    }

    /** The distribution running as a child process. */
    private static final class Daemon implements AutoCloseable {
        final Process process;
        final int port;
        final int httpPort;
        final long readyMillis;

        private Daemon(Process process, int port, int httpPort, long readyMillis) {
            this.process = process;
            this.port = port;
            this.httpPort = httpPort;
            this.readyMillis = readyMillis;
        }

        static Daemon start(Path root) throws Exception {
            Files.createDirectories(root);
            Path config = Files.writeString(root.resolve("edgestream.yaml"), """
                    store:
                      rootDirectory: %s
                    server:
                      port: 0
                      authenticateClient: false
                    observability:
                      port: 0
                    """.formatted(root.resolve("data")));
            ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "run", "--config", config.toString())
                    .redirectErrorStream(true);
            builder.environment().put("JVM_ARGS", Optional.ofNullable(System.getenv("FOOTPRINT_JVM_ARGS")).orElse("-Xmx64m"));
            builder.environment().keySet().removeIf(key -> key.startsWith("STREAM_MANAGER_"));
            long started = System.nanoTime();
            Process process = builder.start();
            var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            int httpPort = -1;
            while (port < 0 || httpPort < 0) {
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    port = Integer.parseInt(ready.group(1));
                }
                Matcher page = STATUS_PAGE.matcher(line);
                if (page.find()) {
                    httpPort = Integer.parseInt(page.group(1));
                }
            }
            if (port < 0 || httpPort < 0) {
                process.destroyForcibly();
                throw new IllegalStateException("the daemon did not start");
            }
            Thread drain = new Thread(() -> {
                try {
                    lines.lines().forEach(l -> { });
                } catch (java.io.UncheckedIOException closed) {
                    // the daemon stopped
                }
            }, "daemon-output");
            drain.setDaemon(true);
            drain.start();
            var health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build();
            while (HTTP.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                LockSupport.parkNanos(1_000_000);
            }
            long readyMillis = (System.nanoTime() - started) / 1_000_000;
            return new Daemon(process, port, httpPort, readyMillis);
        }

        Sample sample() throws Exception {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            double heap = 0;
            for (String line : metrics.lines().toList()) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            String status = Files.readString(Path.of("/proc", Long.toString(process.pid()), "status"));
            return new Sample(heap / (1 << 20), kib(status, "VmRSS") / 1024.0, kib(status, "RssAnon") / 1024.0);
        }

        private static long kib(String status, String field) {
            Matcher m = Pattern.compile(field + ":\\s+(\\d+) kB").matcher(status);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
