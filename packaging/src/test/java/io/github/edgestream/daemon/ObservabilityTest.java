package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's HTTP endpoint: /health, /metrics scraped as Prometheus would, and the status page rendered by a real
 * headless Chromium, whose numbers must be the ones /metrics reports.
 */
class ObservabilityTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path root;
    private ScriptedHttpServer failing;
    private Daemon daemon;
    private StreamManagerClient client;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        failing = ScriptedHttpServer.start().answerByDefault(ScriptedHttpServer.Answer.of(503, "down for a while"));
        Path config = Files.writeString(root.resolve("edgestream.yaml"), """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                  authenticateClient: false
                observability:
                  port: 0
                """.formatted(root.resolve("data")));
        daemon = Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config), Map.of()), Map.of());
        base = URI.create("http://127.0.0.1:" + daemon.observabilityPort().orElseThrow());
        client = new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port()));
        client.createMessageStream(StreamDefinition.builder("plant", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .persistence(Persistence.FILE).maxSize(DataSize.ofMebibytes(1)).build()).get(10, TimeUnit.SECONDS);
        client.createMessageStream(StreamDefinition.builder("stuck", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.MEMORY)
                .exports(List.of(new ExportConfig.Http(ExportSettings.of("to-http"), failing.uri("/ingest"),
                        Optional.empty())))
                .build()).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            client.appendMessage("plant", ("reading " + i).getBytes()).get(10, TimeUnit.SECONDS);
            client.appendMessage("stuck", ("event " + i).getBytes()).get(10, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        client.close();
        daemon.close();
        failing.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample of {@code /metrics}, labels in any order. */
    static double metric(String metrics, String name, String... labels) {
        for (String line : metrics.lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no sample " + name + " " + List.of(labels) + " in\n" + metrics);
    }

    private String metricsOnceTheExportIsRetrying() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            String metrics = get("/metrics").body();
            if (metrics.contains("edgestream_export_retrying{export=\"to-http\",stream=\"stuck\"} 1.0")) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the export never reported retrying:\n" + metrics);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    @Test
    void healthSaysLiveAndReady() throws Exception {
        var health = get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"live\":true,\"ready\":true}");
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsCoverStreamsExportsAndRequests() throws Exception {
        // refused by the handler (no such stream) and before it (minMessageCount above maxMessageCount)
        assertThat(client.appendMessage("nowhere", new byte[] {1})).failsWithin(Duration.ofSeconds(10));
        assertThat(client.readMessages("plant", 0, 5, 1, Duration.ZERO)).failsWithin(Duration.ofSeconds(10));
        String metrics = metricsOnceTheExportIsRetrying();

        assertThat(get("/metrics").headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(metric(metrics, "edgestream_stream_appended_messages_total", "stream=\"plant\"")).isEqualTo(10);
        assertThat(metric(metrics, "edgestream_stream_appended_bytes_total", "stream=\"plant\"")).isEqualTo(90);
        assertThat(metric(metrics, "edgestream_stream_stored_bytes", "stream=\"plant\"")).isEqualTo(90 + 10 * 24);
        assertThat(metric(metrics, "edgestream_stream_max_bytes", "stream=\"plant\"")).isEqualTo(1 << 20);
        assertThat(metric(metrics, "edgestream_stream_newest_sequence_number", "stream=\"plant\"")).isEqualTo(9);
        assertThat(metric(metrics, "edgestream_export_lag_messages", "stream=\"stuck\"")).isEqualTo(10);
        assertThat(metric(metrics, "edgestream_export_lag_bytes", "stream=\"stuck\"")).isEqualTo(70 + 10 * 24);   // "event 0" is 7 bytes
        assertThat(metric(metrics, "edgestream_export_oldest_unexported_age_seconds", "stream=\"stuck\""))
                .isGreaterThanOrEqualTo(0);
        assertThat(metric(metrics, "edgestream_export_exported_messages_total", "stream=\"stuck\"")).isZero();
        assertThat(metric(metrics, "edgestream_export_failures_total", "stream=\"stuck\"", "class=\"retryable\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "edgestream_export_consecutive_failures", "stream=\"stuck\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "edgestream_requests_seconds_count", "operation=\"APPEND_MESSAGE\"",
                "status=\"SUCCESS\"")).isEqualTo(20);
        assertThat(metric(metrics, "edgestream_requests_seconds_count", "operation=\"APPEND_MESSAGE\"",
                "status=\"RESOURCE_NOT_FOUND\"")).isEqualTo(1);
        assertThat(metric(metrics, "edgestream_requests_seconds_count", "operation=\"READ_MESSAGES\"",
                "status=\"INVALID_REQUEST\"")).isEqualTo(1);
        assertThat(metric(metrics, "edgestream_server_connections")).isEqualTo(1);
    }

    @Test
    void consumersCursorsAreReadersWithLagLikeExports() throws Exception {
        client.commitCursor("plant", "dashboard", 4, 0).get(10, TimeUnit.SECONDS);
        client.resetCursor("plant", "archiver", 10).get(10, TimeUnit.SECONDS);

        String metrics = get("/metrics").body();

        assertThat(metric(metrics, "edgestream_reader_lag_messages", "stream=\"plant\"", "reader=\"dashboard\"",
                "kind=\"consumer\"")).isEqualTo(6);
        assertThat(metric(metrics, "edgestream_reader_position", "reader=\"dashboard\"")).isEqualTo(4);
        assertThat(metric(metrics, "edgestream_reader_lag_messages", "reader=\"archiver\"")).isZero();

        client.resetCursor("plant", "dashboard", 0).get(10, TimeUnit.SECONDS);
        assertThat(metric(get("/metrics").body(), "edgestream_reader_lag_messages", "reader=\"dashboard\""))
                .isEqualTo(10);
    }

    @Test
    void theStatusPageInAHeadlessBrowserShowsTheNumbersOfMetrics() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (.ci/run installs it)");
        groupOverThreePartitions();
        String metrics = metricsOnceTheExportIsRetrying();

        String dom = chromium("--dump-dom", base.resolve("/").toString());

        assertThat(dom).contains("data-loaded=\"true\"");
        long stored = (long) metric(metrics, "edgestream_stream_stored_bytes", "stream=\"plant\"");
        long max = (long) metric(metrics, "edgestream_stream_max_bytes", "stream=\"plant\"");
        // byte counts read as 330 B or 1.0 MiB; the exact number is in data-bytes and the tooltip
        assertThat(byteCell(dom, "plant", "stored_bytes")).isEqualTo(new ByteCell(stored, stored + " B",
                String.format(Locale.US, "%,d bytes", stored)));
        assertThat(byteCell(dom, "plant", "max_bytes")).isEqualTo(new ByteCell(max, "1.0 MiB", "1,048,576 bytes"));
        assertThat(cell(dom, "stuck", "to-http", "lag_messages"))
                .isEqualTo((long) metric(metrics, "edgestream_export_lag_messages", "stream=\"stuck\""));
        assertThat(dom).contains(">retrying<").contains("503");
        // the consumer groups' table: a row per partition, with the lag /metrics reports for it
        for (int p = 0; p < 3; p++) {
            String partition = "partition=\"" + p + "\"";
            assertThat(groupCell(dom, "orders", "billing", p, "group_lag_messages")).as(partition).isEqualTo(
                    (long) metric(metrics, "edgestream_group_lag_messages", "group=\"billing\"", partition));
        }
        assertThat(groupCell(dom, "orders", "billing", 0, "committed_position")).isEqualTo(1);
        assertThat(groupCell(dom, "orders", "billing", 2, "group_lag_messages")).isEqualTo(3);

        Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium("--screenshot=" + screenshot, "--window-size=1280,900", base.resolve("/").toString());
        assertThat(screenshot).exists();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    /**
     * A stream of an S2 basin's namespace named like a default-namespace stream ({@code stuck}), with an export of
     * the same identifier: both have their own series (the default one's unchanged, without a namespace label; the
     * basin's with {@code namespace="s2.plant-a"}) and their own rows on the status page; the basin's go with it.
     */
    @Test
    void namespacedStreamsHaveSeriesAndRowsOfTheirOwn() throws Exception {
        Namespace basin = Namespace.of("s2.plant-a");
        StreamStore catalogue = daemon.store().createNamespace(basin);
        MessageStream namesake = catalogue.create(StreamDefinition.builder("stuck", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.MEMORY).maxSize(DataSize.ofMebibytes(2))
                .exports(List.of(new ExportConfig.Http(ExportSettings.of("to-http"), failing.uri("/ingest"),
                        Optional.empty())))
                .build());
        for (int i = 0; i < 3; i++) {
            namesake.appendAsync(java.nio.ByteBuffer.wrap(("basin " + i).getBytes())).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }
        String ns = "namespace=\"s2.plant-a\"";
        String metrics = metricsOnceRetrying("edgestream_export_retrying{export=\"to-http\"," + ns
                + ",stream=\"stuck\"} 1.0");
        metrics = metricsOnceRetrying("edgestream_export_retrying{export=\"to-http\",stream=\"stuck\"} 1.0");

        // the default namespace's series, exactly as before: no namespace label
        assertThat(metrics).contains("edgestream_stream_appended_messages_total{stream=\"stuck\"} 10.0")
                .contains("edgestream_export_lag_messages{export=\"to-http\",stream=\"stuck\"} 10.0")
                .doesNotContain("namespace=\"default\"");
        assertThat(metricIn(metrics, "edgestream_stream_appended_messages_total", null, "stream=\"stuck\""))
                .isEqualTo(10);
        assertThat(metricIn(metrics, "edgestream_export_lag_messages", null, "stream=\"stuck\"")).isEqualTo(10);
        // the basin's
        assertThat(metricIn(metrics, "edgestream_stream_appended_messages_total", basin, "stream=\"stuck\""))
                .isEqualTo(3);
        assertThat(metricIn(metrics, "edgestream_stream_appended_bytes_total", basin, "stream=\"stuck\""))
                .isEqualTo(21);
        assertThat(metricIn(metrics, "edgestream_stream_max_bytes", basin, "stream=\"stuck\"")).isEqualTo(2 << 20);
        assertThat(metricIn(metrics, "edgestream_stream_newest_sequence_number", basin, "stream=\"stuck\""))
                .isEqualTo(2);
        assertThat(metricIn(metrics, "edgestream_export_lag_messages", basin, "export=\"to-http\"")).isEqualTo(3);
        assertThat(metricIn(metrics, "edgestream_export_exported_messages_total", basin, "export=\"to-http\""))
                .isZero();
        assertThat(metricIn(metrics, "edgestream_export_consecutive_failures", basin, "export=\"to-http\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metricIn(metrics, "edgestream_export_failures_total", basin, "class=\"retryable\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(metricIn(metrics, "edgestream_export_error_info", basin, "error=")).isEqualTo(1);
        // a consumer's cursor of the same name on both: two readers
        client.resetCursor("stuck", "dashboard", 4).get(10, TimeUnit.SECONDS);
        new io.github.edgestream.core.cursor.CursorStore(namesake.checkpoints(), java.time.Clock.systemUTC())
                .reset("dashboard", 1);
        metrics = get("/metrics").body();
        assertThat(metricIn(metrics, "edgestream_reader_lag_messages", null, "stream=\"stuck\"",
                "reader=\"dashboard\"")).isEqualTo(6);
        assertThat(metricIn(metrics, "edgestream_reader_lag_messages", basin, "stream=\"stuck\"",
                "reader=\"dashboard\"", "kind=\"consumer\"")).isEqualTo(2);

        var status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/api/status").body())
                .path("streams");
        List<String> rows = new ArrayList<>();
        status.forEach(stream -> rows.add(stream.path("namespace").asText() + "/" + stream.path("name").asText()
                + " " + stream.path("appendedMessages").asLong() + " " + stream.path("exports").path(0)
                .path("lagMessages").asLong()));
        assertThat(rows).containsExactly("default/plant 10 0", "default/stuck 10 10", "s2.plant-a/stuck 3 3");

        if (Files.isExecutable(CHROMIUM)) {
            String dom = chromium("--dump-dom", base.resolve("/").toString());
            assertThat(cell(dom, "stuck", "to-http", "lag_messages")).isEqualTo(10);
            Matcher row = Pattern.compile("<tr data-stream=\"stuck\" data-namespace=\"s2.plant-a\""
                    + " data-export=\"to-http\">(.*?)</tr>").matcher(dom);
            assertThat(row.find()).as(dom).isTrue();
            assertThat(row.group(1)).contains(">s2.plant-a / stuck<").contains("data-metric=\"lag_messages\">3<");
        }

        assertThat(daemon.store().deleteNamespace(basin)).isTrue();
        String after = get("/metrics").body();
        assertThat(after).doesNotContain(ns)
                .contains("edgestream_export_lag_messages{export=\"to-http\",stream=\"stuck\"} 10.0");
        assertThat(get("/api/status").body()).doesNotContain("s2.plant-a");
    }

    /**
     * The value of one sample of {@code /metrics} of a stream of {@code namespace}: with its namespace label, or
     * without any for the default namespace ({@code null}).
     */
    static double metricIn(String metrics, String name, Namespace namespace, String... labels) {
        for (String line : metrics.lines().toList()) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            boolean all = namespace == null ? !line.contains("namespace=")
                    : line.contains("namespace=\"" + namespace.value() + "\"");
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no sample " + name + " " + namespace + " " + List.of(labels) + " in\n" + metrics);
    }

    private String metricsOnceRetrying(String sample) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            String metrics = get("/metrics").body();
            if (metrics.contains(sample)) {
                return metrics;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never " + sample + ":\n" + metrics);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    /**
     * A stream "orders" of 3 partitions holding 4, 5 and 3 messages, and a group "billing" committed at 1, 5 and 0
     * (kept with partition 0, as the daemon's StreamService keeps a group spanning the partitions).
     */
    private void groupOverThreePartitions() throws Exception {
        StreamStore store = daemon.store();
        store.create(StreamDefinition.builder("orders", StrategyOnFull.REJECT_NEW_DATA).partitions(3).build());
        List<MessageStream> partitions = store.partitions(io.github.edgestream.core.model.StreamName.of("orders"));
        int[] counts = {4, 5, 3};
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < counts[p]; i++) {
                partitions.get(p).appendAsync(java.nio.ByteBuffer.wrap(("order " + i).getBytes()))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        new io.github.edgestream.core.cursor.ConsumerGroups(new io.github.edgestream.core.cursor.CursorStore(
                partitions.get(0).checkpoints(), java.time.Clock.systemUTC()), 3).reset("billing", List.of(1L, 5L, 0L));
    }

    /** The number in the cell {@code data-metric=metric} of a consumer group's row for one partition. */
    private static long groupCell(String dom, String stream, String group, int partition, String metric) {
        Matcher row = Pattern.compile("<tr data-stream=\"" + Pattern.quote(stream) + "\" data-group=\""
                + Pattern.quote(group) + "\" data-partition=\"" + partition + "\">(.*?)</tr>").matcher(dom);
        if (row.find()) {
            Matcher value = Pattern.compile("data-metric=\"" + metric + "\"[^>]*>(\\d+)<").matcher(row.group(1));
            if (value.find()) {
                return Long.parseLong(value.group(1));
            }
        }
        throw new AssertionError("no " + metric + " cell for group " + group + " partition " + partition
                + " of " + stream + " in the page:\n" + dom);
    }

    record ByteCell(long bytes, String text, String title) {
    }

    /** The cell {@code data-metric=metric} of the stream's row: its data-bytes, its text and its title. */
    private static ByteCell byteCell(String dom, String stream, String metric) {
        Matcher rows = Pattern.compile("<tr data-stream=\"" + Pattern.quote(stream) + "\">(.*?)</tr>").matcher(dom);
        while (rows.find()) {
            Matcher td = Pattern.compile("<td ([^>]*data-metric=\"" + metric + "\"[^>]*)>([^<]*)<")
                    .matcher(rows.group(1));
            if (td.find()) {
                return new ByteCell(Long.parseLong(attribute(td.group(1), "data-bytes")), td.group(2),
                        attribute(td.group(1), "title"));
            }
        }
        throw new AssertionError("no " + metric + " cell for " + stream + " in the page:\n" + dom);
    }

    private static String attribute(String attributes, String name) {
        Matcher value = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(attributes);
        if (!value.find()) {
            throw new AssertionError("no " + name + " in <td " + attributes + ">");
        }
        return value.group(1);
    }

    /** The number in the cell {@code data-metric=metric} of the row for that stream (and export). */
    private static long cell(String dom, String stream, String export, String metric) {
        Pattern row = Pattern.compile("<tr data-stream=\"" + Pattern.quote(stream) + "\""
                + (export == null ? "" : " data-export=\"" + Pattern.quote(export) + "\"") + ">(.*?)</tr>");
        Matcher rows = row.matcher(dom);
        while (rows.find()) {
            Matcher value = Pattern.compile("data-metric=\"" + metric + "\"[^>]*>(\\d+)<").matcher(rows.group(1));
            if (value.find()) {
                return Long.parseLong(value.group(1));
            }
        }
        throw new AssertionError("no " + metric + " cell for " + stream + "/" + export + " in the page:\n" + dom);
    }

    private String chromium(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(root, "chromium"), "--virtual-time-budget=8000"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(root, "chromium", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s");
        }
        return Files.readString(out);
    }
}
