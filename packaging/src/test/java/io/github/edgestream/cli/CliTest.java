package io.github.edgestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.daemon.DaemonConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a running daemon (in this JVM, over a real socket, with client authentication on). */
class CliTest {

    @TempDir
    Path root;
    Daemon daemon;
    Map<String, String> environment;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
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
    }

    private Run runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgestreamCli.execute(new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), environment, args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return runWithInput("", args);
    }

    @Test
    void aStreamsLifeFromTheCommandLine() throws Exception {
        assertThat(run("streams", "create", "telemetry", "--strategy", "overwrite", "--max-size", "64MiB",
                "--segment-size", "4MiB", "--ttl", "7d")).isEqualTo(new Run(0, "created stream \"telemetry\"\n", ""));

        assertThat(run("append", "telemetry", "first", "second").out())
                .isEqualTo("appended 2 messages to \"telemetry\" as sequence numbers 0..1\n");
        assertThat(runWithInput("a\nb\n\nc\n", "append", "telemetry", "--stdin").out())
                .isEqualTo("appended 3 messages to \"telemetry\" as sequence numbers 2..4\n");
        Path file = root.resolve("blob.bin");
        Files.write(file, new byte[] {0, 1, 2, (byte) 0xff});
        assertThat(run("append", "telemetry", "--file", file.toString()).out())
                .isEqualTo("appended to \"telemetry\" as sequence number 5\n");

        Run read = run("read", "telemetry", "--from", "1", "--max", "5");
        assertThat(read.exitCode()).isZero();
        assertThat(read.out().lines().toList()).hasSize(6).element(5).asString().endsWith("base64:AAEC/w==");
        assertThat(read.out()).contains("  second\n").contains("  c\n");

        JsonNode described = new ObjectMapper().readTree(run("--json", "streams", "describe", "telemetry").out());
        assertThat(described.at("/definition/maxSize").asLong()).isEqualTo(64L << 20);
        assertThat(described.at("/definition/timeToLiveMillis").asLong()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(described.at("/newestSequenceNumber").asLong()).isEqualTo(5);

        assertThat(run("streams", "update", "telemetry", "--max-size", "128MiB").exitCode()).isZero();
        JsonNode updated = new ObjectMapper().readTree(run("streams", "describe", "telemetry", "--json").out());
        assertThat(updated.at("/definition/maxSize").asLong()).as("changed").isEqualTo(128L << 20);
        assertThat(updated.at("/definition/timeToLiveMillis").asLong()).as("kept").isEqualTo(7L * 24 * 3600 * 1000);

        assertThat(run("streams", "list").out()).contains("telemetry").contains("File").contains("128 MiB")
                .contains("0..5");
        assertThat(run("streams", "delete", "telemetry").exitCode()).isZero();
        assertThat(run("--json", "streams", "list").out().trim()).isEqualTo("[ ]");
    }

    @Test
    void conditionalAppendsReadingFromATimeAndReadersFromTheCommandLine() throws Exception {
        run("streams", "create", "events", "--strategy", "reject");
        assertThat(run("append", "events", "--expect-seq", "0", "a", "b").out())
                .isEqualTo("appended 2 messages to \"events\" as sequence numbers 0..1\n");

        Run lost = run("append", "events", "--expect-seq", "0", "c");
        assertThat(lost.exitCode()).isNotZero();
        assertThat(lost.err()).contains("expected the next sequence number to be 0 but it is 2");
        assertThat(run("--json", "streams", "describe", "events").out()).contains("\"newestSequenceNumber\" : 1");

        assertThat(run("read", "events", "--since", "1h").out()).contains("  a\n").contains("  b\n");
        Run future = run("read", "events", "--from-time", "2999-01-01T00:00:00Z");
        assertThat(future.exitCode()).isZero();
        assertThat(future.err()).contains("no messages from sequence number 2");
        assertThat(run("read", "events", "--from-time", "yesterday").err()).contains("ISO 8601");
        assertThat(run("read", "events", "--from", "1", "--since", "1h").exitCode()).isEqualTo(ExitCodes.USAGE);

        Run reset = run("groups", "reset", "events", "dashboard", "--to", "1");
        assertThat(reset.out()).as(reset.err())
                .isEqualTo("reset \"dashboard\" of stream \"events\" to sequence number 1 (generation 1)\n");
        Run listed = run("groups", "list", "events");
        assertThat(listed.out()).contains("dashboard").contains("CONSUMER");
        JsonNode readers = new ObjectMapper().readTree(run("--json", "groups", "list", "events").out());
        assertThat(readers.at("/0/lag").asLong()).isEqualTo(1);
        assertThat(run("groups", "reset", "events", "dashboard", "--to-latest").out()).contains("sequence number 2");
        assertThat(run("groups", "describe", "events", "dashboard").out()).contains("position").contains("2");
        assertThat(run("groups", "describe", "events", "nobody").exitCode()).isNotZero();
    }

    /** A consumer group over a partitioned stream has a position and a lag in each partition: a row per partition. */
    @Test
    void aGroupOverAPartitionedStreamIsListedAndDescribedPartitionByPartition() throws Exception {
        var store = daemon.store();
        store.create(io.github.edgestream.core.model.StreamDefinition.builder("orders",
                io.github.edgestream.core.model.StrategyOnFull.REJECT_NEW_DATA).partitions(3).build());
        var partitions = store.partitions(io.github.edgestream.core.model.StreamName.of("orders"));
        int[] counts = {4, 5, 3};
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < counts[p]; i++) {
                partitions.get(p).appendAsync(java.nio.ByteBuffer.wrap(new byte[] {(byte) i})).toCompletableFuture()
                        .get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        // kept with partition 0, as the daemon's StreamService keeps a group spanning the partitions
        new io.github.edgestream.core.cursor.ConsumerGroups(new io.github.edgestream.core.cursor.CursorStore(
                partitions.get(0).checkpoints(), java.time.Clock.systemUTC()), 3)
                .reset("billing", java.util.List.of(1L, 5L, 0L));

        Run listed = run("groups", "list", "orders");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out().lines().map(line -> java.util.List.of(line.trim().split("\\s+")).subList(0, 6)
                .toString()).toList()).containsExactly(
                        "[NAME, KIND, PARTITION, POSITION, LAG, GENERATION]",
                        "[billing, GROUP, 0, 1, 3, 1]",
                        "[billing, GROUP, 1, 5, 0, 1]",
                        "[billing, GROUP, 2, 0, 3, 1]");
        JsonNode json = new ObjectMapper().readTree(run("--json", "groups", "describe", "orders", "billing").out());
        assertThat(json.at("/0/position").asLong()).isEqualTo(1);
        assertThat(json.at("/0/lag").asLong()).as("summed over the partitions").isEqualTo(6);
        assertThat(json.at("/0/partitions/2/position").asLong()).isZero();
        assertThat(json.at("/0/partitions/2/lag").asLong()).isEqualTo(3);
        assertThat(run("groups", "describe", "orders", "billing").out()).contains("PARTITION")
                .containsPattern("(?m)^1\\s+5\\s+0\\s*$").containsPattern("(?m)^2\\s+0\\s+3\\s*$");
    }

    @Test
    void recordsWithKeysHeadersAndTimestampsAndStreamsOfAnotherNamespace() throws Exception {
        run("streams", "create", "rich", "--strategy", "reject");
        Run appended = run("append", "rich", "--key", "pump-3", "--header", "unit=°C", "--header", "site=a",
                "--timestamp", "2026-12-05T08:00:00.000123Z", "in-default");
        assertThat(appended.out()).as(appended.err()).isEqualTo("appended to \"rich\" as sequence number 0\n");

        Run read = run("read", "rich", "--records");
        assertThat(read.out()).contains("2026-12-05T08:00:00.000123Z").contains("pump-3").contains("unit=°C,site=a")
                .contains("in-default");
        JsonNode json = new ObjectMapper().readTree(run("--json", "read", "rich", "--records").out());
        assertThat(json.at("/0/timestampMicros").asLong()).isEqualTo(1_796_457_600_000_123L);
        assertThat(json.at("/0/headers/1/value").asText()).isEqualTo("a");
        assertThat(run("append", "rich", "--header", "novalue", "x").err()).contains("NAME=VALUE");

        daemon.store().createNamespace(io.github.edgestream.core.model.Namespace.of("s2.plant-a")).create(
                io.github.edgestream.core.model.StreamDefinition.builder("rich",
                        io.github.edgestream.core.model.StrategyOnFull.REJECT_NEW_DATA).build());
        assertThat(run("append", "rich", "--namespace", "s2.plant-a", "in-basin").out())
                .contains("sequence number 0");
        assertThat(run("read", "rich", "--namespace", "s2.plant-a").out()).contains("in-basin")
                .doesNotContain("in-default");
        assertThat(run("groups", "reset", "rich", "reader", "--namespace", "s2.plant-a", "--to-latest").out())
                .contains("to sequence number 1");
        assertThat(run("groups", "list", "rich", "--namespace", "s2.plant-a").out()).contains("reader");
        assertThat(run("read", "rich", "--namespace", "s2.nowhere").err()).contains("does not exist");
    }

    @Test
    void aDefinitionFileUsesTheProtocolsFieldNamesAndEnumNames() throws Exception {
        Path file = root.resolve("stream.yaml");
        Files.writeString(file, """
                name: plant-data
                maxSize: 10485760
                streamSegmentSize: 1048576
                strategyOnFull: OverwriteOldestData
                persistence: Memory
                exportDefinition:
                  kinesis:
                    - identifier: to-kinesis
                      kinesisStreamName: plant
                      batchSize: 100
                  http:
                    - identifier: to-http
                      uri: http://127.0.0.1:9000/ingest
                      exportFormat: JSON_BATCHED
                """);

        assertThat(run("streams", "create", "--file", file.toString()).exitCode()).isZero();

        JsonNode described = new ObjectMapper().readTree(run("--json", "streams", "describe", "plant-data").out());
        assertThat(described.at("/definition/persistence").asText()).isEqualTo("Memory");
        assertThat(described.at("/definition/exports")).extracting(JsonNode::asText)
                .containsExactly("http:to-http", "kinesis:to-kinesis");
        assertThat(described.at("/exportStatuses/0/exportConfigIdentifier").asText()).isEqualTo("to-http");
    }

    @Test
    void anInvalidDefinitionFileIsRefusedWithEveryProblemBeforeAnythingIsSent() throws Exception {
        Path file = root.resolve("bad.json");
        Files.writeString(file, "{\"name\":\"x\",\"maxSize\":5,\"strategyOnFull\":\"Sometimes\","
                + "\"exportDefinition\":{\"kinesis\":[{\"identifier\":\"k\",\"batchSize\":9999}]}}");

        Run run = run("streams", "create", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("definition.maxSize is 5 but must be between 1024")
                .contains("definition.strategyOnFull is the text \"Sometimes\" but must be an integer")
                .contains("definition.exportDefinition.kinesis[0].batchSize is 9999 but must be between 1 and 500")
                .contains("kinesisStreamName is missing");
        assertThat(run("streams", "list").out()).doesNotContain(" x ");
    }

    @Test
    void exitCodesTellWhatWentWrong() {
        assertThat(run("streams", "describe", "missing")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(ExitCodes.REFUSED);
            assertThat(r.err()).contains("RESOURCE_NOT_FOUND").contains("\"missing\" does not exist");
        });
        assertThat(run("streams", "create", "bad/name", "--strategy", "reject")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("name is \"bad/name\" but must be");
        });
        assertThat(run("streams", "create", "nostrategy").err()).contains("missing --strategy");
        assertThat(run("streams", "create", "x", "--strategy", "reject", "--max-size", "lots")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("\"lots\" must be a size");
        });
        assertThat(run("streams", "list", "--port", "1")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err()).contains("cannot connect to the edgestream daemon at 127.0.0.1:1: connection refused")
                    .contains("is it running?");
        });
        environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong");
        assertThat(run("streams", "list")).satisfies(r -> {
            assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err()).contains("UNAUTHORIZED").contains("daemon at 127.0.0.1:" + daemon.port());
        });
        assertThat(run("streams", "list", "--token", "cli-test-token").exitCode()).isZero();
    }

    @Test
    void createsHelpAndErrorSayThatStrategyIsRequiredAndWhatItsValuesAre() {
        Run help = run("streams", "create", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).as("synopsis: --strategy is not optional, --file is the alternative")
                .contains("edgestream streams create NAME --strategy=reject|overwrite")
                .contains("or: edgestream streams create [NAME] --file=FILE");
        assertThat(help.out().replaceAll("\\s+", " ")).as("the option's description")
                .contains("--strategy=reject|overwrite Required (unless --file): when the stream is full, reject "
                        + "(RejectNewData: refuse new messages) or overwrite (OverwriteOldestData: delete the oldest "
                        + "messages to make room).");

        environment.put("STREAM_MANAGER_SERVER_PORT", Integer.toString(closedPort()));
        Run missing = run("streams", "create", "sensors", "--max-size", "64MiB");
        assertThat(missing.exitCode()).as("checked before connecting").isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("missing --strategy").contains("reject (RejectNewData")
                .contains("overwrite (OverwriteOldestData").contains("or give --file");
        assertThat(run("streams", "create", "sensors", "--strategy", "sometimes").err())
                .contains("--strategy is \"sometimes\" but must be reject (RejectNewData) or overwrite"
                        + " (OverwriteOldestData)");
        assertThat(run("streams", "create", "sensors", "--strategy", "reject", "--persistence", "disk").err())
                .contains("--persistence is \"disk\" but must be file or memory");
        assertThat(run("streams", "create").err()).contains("give a stream name and --strategy, or --file");
    }

    @Test
    void aDaemonThatCannotBeReachedIsNamedInPlainWords() throws Exception {
        int port = closedPort();
        Run tcp = run("streams", "list", "--port", Integer.toString(port));

        assertThat(tcp.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(tcp.err()).startsWith("edgestream: cannot connect to the edgestream daemon at 127.0.0.1:" + port
                + ": connection refused (is it running?").contains("STREAM_MANAGER_SERVER_PORT").contains("--port")
                .doesNotContain("finishConnect").doesNotContain("error(-").doesNotContain("/127.0.0.1")
                .doesNotContain("Exception");

        Path socket = root.resolve("no-such.sock");
        Run unix = run("--socket", socket.toString(), "streams", "list");

        assertThat(unix.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unix.err()).startsWith("edgestream: cannot connect to the edgestream daemon at " + socket
                + ": no such file (").contains("--socket").doesNotContain("null").doesNotContain("error(-")
                .doesNotContain("Exception");

        Path notASocket = Files.writeString(root.resolve("plain-file"), "");
        assertThat(run("streams", "list", "--socket", notASocket.toString()).err())
                .startsWith("edgestream: cannot connect to the edgestream daemon at " + notASocket
                        + ": connection refused (").doesNotContain("error(-");
    }

    /** A TCP port on 127.0.0.1 that nothing listens on (just released by the OS). */
    private static int closedPort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void withoutATokenTheCliReadsTheDaemonsTokenFile() throws Exception {
        Path tokenFile = root.resolve("token");
        Files.writeString(tokenFile, "cli-test-token\n");
        environment.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN");

        assertThat(run("streams", "list").exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run("streams", "list", "--token-file", tokenFile.toString()).exitCode()).isZero();
    }

    @Test
    void readingAnEmptyStreamSaysSoAndSucceeds() {
        run("streams", "create", "quiet", "--strategy", "reject", "--persistence", "memory");

        Run read = run("read", "quiet");

        assertThat(read.exitCode()).isZero();
        assertThat(read.err()).contains("no messages from sequence number 0");
        assertThat(run("--json", "read", "quiet").out().trim()).isEqualTo("[ ]");
    }
}
