package io.github.edgestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.daemon.DaemonConfig;
import io.github.edgestream.exporter.common.ScriptedHttpServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream of an S2 basin (namespace {@code s2.<basin>}) gets an HTTP export from the command line
 * ({@code streams update --namespace}), and what is appended to it arrives at a loopback HTTP server: the daemon in
 * this JVM, over a real socket, with client authentication on.
 */
class NamespaceExportCliTest {

    private static final Namespace BASIN = Namespace.of("s2.plant-a");

    @TempDir
    Path root;
    Daemon daemon;
    ScriptedHttpServer collector;
    Map<String, String> environment;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        collector = ScriptedHttpServer.start();
        Map<String, String> daemonEnvironment = Map.of("STREAM_MANAGER_SERVER_PORT", "0",
                "STREAM_MANAGER_STORE_ROOT_DIR", root.resolve("store").toString(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "cli-test-token");
        daemon = Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.empty(), daemonEnvironment),
                daemonEnvironment);
        environment = new HashMap<>(Map.of("STREAM_MANAGER_SERVER_PORT", Integer.toString(daemon.port()),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "cli-test-token"));
    }

    @AfterEach
    void stop() {
        daemon.stop();
        collector.close();
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgestreamCli.execute(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(new byte[0]), environment, args);
        return new Run(code, out.toString(), err.toString());
    }

    private JsonNode json(String... args) throws Exception {
        Run run = run(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return new ObjectMapper().readTree(run.out());
    }

    @Test
    void aBasinsStreamIsUpdatedFromTheCommandLineToExportOverHttpAndItsRecordsArrive() throws Exception {
        // a basin's stream, as the S2 API creates it (a namespace of its own), and one of the same name elsewhere
        StreamStore basin = daemon.store().createNamespace(BASIN);
        basin.create(StreamDefinition.builder("readings", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .persistence(Persistence.FILE).maxSize(DataSize.ofMebibytes(2)).segmentSize(DataSize.ofMebibytes(1))
                .build());
        daemon.store().create(StreamDefinition.builder("readings", StrategyOnFull.REJECT_NEW_DATA).build());
        for (String payload : List.of("a", "b", "c")) {
            basin.get(StreamName.of("readings")).append(payload.getBytes(StandardCharsets.UTF_8));
        }
        Path exports = Files.writeString(root.resolve("exports.yaml"), """
                http:
                  - identifier: to-collector
                    uri: %s
                    exportFormat: RAW_NOT_BATCHED
                """.formatted(collector.uri("/ingest")));

        assertThat(run("streams", "update", "readings", "--namespace", "s2.plant-a", "--exports", exports.toString()))
                .isEqualTo(new Run(0, "updated stream \"readings\" in namespace \"s2.plant-a\"\n", ""));
        assertThat(run("append", "readings", "--namespace", "s2.plant-a", "d", "e").exitCode()).isZero();

        List<ScriptedHttpServer.Request> received = collector.awaitRequests(5, Duration.ofSeconds(20));
        assertThat(received).extracting(ScriptedHttpServer.Request::bodyText).containsExactly("a", "b", "c", "d", "e");
        assertThat(received).allSatisfy(request -> {
            assertThat(request.path()).isEqualTo("/ingest");
            assertThat(request.header("X-Edgestream-Export")).isEqualTo("to-collector");
        });

        JsonNode described = json("--json", "streams", "describe", "readings", "--namespace", "s2.plant-a");
        assertThat(described.at("/definition/maxSize").asLong()).as("the rest of the definition kept")
                .isEqualTo(2L << 20);
        assertThat(described.at("/definition/strategyOnFull").asText()).isEqualTo("OverwriteOldestData");
        assertThat(described.at("/definition/exports/0").asText()).isEqualTo("http:to-collector");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (described.at("/exportStatuses/0/lastExportedSequenceNumber").asLong() != 4
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
            described = json("--json", "streams", "describe", "readings", "--namespace", "s2.plant-a");
        }
        assertThat(described.at("/exportStatuses/0/lastExportedSequenceNumber").asLong())
                .as("describe in a namespace shows the export's progress").isEqualTo(4);
        assertThat(described.at("/exportStatuses/0/exportedMessagesCount").asLong()).isEqualTo(5);

        JsonNode inDefault = json("--json", "streams", "describe", "readings");
        assertThat(inDefault.at("/definition/exports").isMissingNode()).as("the default namespace's stream of the"
                + " same name is another stream").isTrue();
        assertThat(run("streams", "list", "--namespace", "s2.plant-a").out()).contains("readings")
                .contains("2 MiB").contains("0..4");
        assertThat(collector.requests()).as("nothing more, nothing twice").hasSize(5);
    }

    @Test
    void aBasinsStreamNamedByS2sRuleCanBeDescribedAndGivenExports() throws Exception {
        StreamName name = StreamName.anyOf("line-1/\u00e9v\u00e9nements");
        daemon.store().createNamespace(BASIN).create(StreamDefinition.builder(name,
                StrategyOnFull.OVERWRITE_OLDEST_DATA).build()).append("x".getBytes(StandardCharsets.UTF_8));
        Path exports = Files.writeString(root.resolve("exports-slash.yaml"), """
                http:
                  - identifier: to-collector
                    uri: %s
                    exportFormat: RAW_NOT_BATCHED
                """.formatted(collector.uri("/slash")));

        Run updated = run("streams", "update", name.value(), "--namespace", "s2.plant-a", "--exports",
                exports.toString());
        assertThat(updated.exitCode()).as(updated.toString()).isZero();
        JsonNode described = json("--json", "streams", "describe", name.value(), "--namespace", "s2.plant-a");
        assertThat(described.at("/definition/name").asText()).isEqualTo(name.value());
        Run appended = run("append", name.value(), "--namespace", "s2.plant-a", "y");
        assertThat(appended.exitCode()).as(appended.toString()).isZero();
        assertThat(collector.awaitRequests(2, Duration.ofSeconds(20))).extracting(
                ScriptedHttpServer.Request::bodyText).contains("x", "y");
        assertThat(run("streams", "list", "--namespace", "s2.plant-a").out()).contains(name.value());
    }

    @Test
    void aNamespaceThatDoesNotExistIsReportedAsSuch() {
        Run describe = run("streams", "describe", "readings", "--namespace", "s2.nowhere");
        assertThat(describe.exitCode()).isNotZero();
        assertThat(describe.err()).contains("namespace \"s2.nowhere\" does not exist");
        Run list = run("streams", "list", "--namespace", "s2.nowhere");
        assertThat(list.exitCode()).isNotZero();
        assertThat(list.err()).contains("namespace \"s2.nowhere\" does not exist");
        Run invalid = run("streams", "list", "--namespace", "no/slashes");
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.err()).contains("namespace");
    }
}
