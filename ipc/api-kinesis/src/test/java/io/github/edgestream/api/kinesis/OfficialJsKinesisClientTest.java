package io.github.edgestream.api.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.fixture.NpmProject;
import io.github.edgestream.core.time.SystemScheduler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official AWS SDK for JavaScript v3 Kinesis client (npm {@code @aws-sdk/client-kinesis}, pinned with its
 * dependencies in {@code src/test/js/package-lock.json}) against our Kinesis API: proves that an unmodified Node
 * application can create, list, describe, tag, write, read by every iterator type and delete streams, and that it
 * sees the errors real Kinesis would give (duplicate and missing streams, tampered iterators, oversized records and
 * batches, bad signatures, unknown keys), both over the client's default HTTP/2 handler (h2c with prior knowledge on
 * an {@code http://} endpoint) and over HTTP/1.1.
 *
 * <p>How it runs: the script and lock file of {@code src/test/js} are copied into {@code target/kinesis-js}, where
 * {@code npm ci} installs the client once (skipped while the installed lock file is unchanged). A
 * {@link KinesisFixture} on the real clock (the script compares arrival timestamps with its own clock) serves the API
 * on a loopback port; {@code node kinesis.js <endpoint> <key> <secret>} runs against it with the admin credentials,
 * once with the default handler and once with {@code --http1}, each bounded by {@link #RUN_TIMEOUT} (the process is
 * destroyed at the deadline). The script prints one JSON line per case; each becomes a dynamic test of its own,
 * failing with the case's detail and the error it saw. Node.js 20 or later and npm must be on the PATH.
 */
class OfficialJsKinesisClientTest {

    private static final Path SOURCES = Path.of("src", "test", "js");
    private static final Path WORK = Path.of("target", "kinesis-js");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run of the script: the case lines it printed, its summary line (or null), exit code and stderr. */
    private record Run(String transport, List<JsonNode> cases, JsonNode summary, int exitCode, String stderr) {
    }

    @TestFactory
    Stream<DynamicNode> everyCaseOverBothTransports(@TempDir Path root) throws Exception {
        install();
        List<Run> runs = new ArrayList<>();
        try (KinesisFixture fixture = new KinesisFixture(root, Map.of(), Clock.systemUTC(),
                new SystemScheduler("kinesis-js-test-scheduler"))) {
            String endpoint = fixture.endpoint().toString();
            runs.add(run("h2c", endpoint, "--prefix=js-h2c"));
            runs.add(run("http1", endpoint, "--prefix=js-http1", "--http1"));
        }
        return runs.stream().map(OfficialJsKinesisClientTest::asContainer);
    }

    private static DynamicContainer asContainer(Run run) {
        List<DynamicNode> tests = new ArrayList<>();
        for (JsonNode line : run.cases()) {
            String name = line.path("case").asText("?");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (!line.path("ok").asBoolean(false)) {
                    String error = line.hasNonNull("error") ? "\n  error: " + line.get("error").asText() : "";
                    fail(run.transport() + " " + name + ": " + line.path("detail").asText() + error);
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("the script ran to its summary", () -> {
            if (run.summary() == null) {
                fail("kinesis.js (" + run.transport() + ") ended without its summary line, exit code "
                        + run.exitCode() + "; its stderr:\n" + run.stderr());
            }
            assertEquals(0, run.exitCode(), "exit code; stderr:\n" + run.stderr());
            assertEquals(run.cases().size(), run.summary().path("passed").asInt() + run.summary().path("failed")
                    .asInt(), "cases reported vs. counted in " + run.summary());
        }));
        return DynamicContainer.dynamicContainer(run.transport(), tests);
    }

    /** Runs kinesis.js against {@code endpoint} as the admin, destroying it at {@link #RUN_TIMEOUT}. */
    private static Run run(String transport, String endpoint, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "kinesis.js", endpoint, KinesisFixture.KEY_ID,
                KinesisFixture.SECRET));
        command.addAll(List.of(flags));
        Path stderr = WORK.resolve("kinesis-" + transport + ".stderr.log");
        Process node = start(new ProcessBuilder(command).directory(WORK.toFile()).redirectError(stderr.toFile()));
        List<JsonNode> cases = new ArrayList<>();
        JsonNode summary = null;
        AtomicBoolean killed = new AtomicBoolean();
        try {
            node.getOutputStream().close();
            // A hung script must not hang the build: kill it at the deadline, which ends the read loop below.
            node.onExit().completeOnTimeout(null, RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .thenAccept(exited -> {
                        if (exited == null) {
                            killed.set(true);
                            node.destroyForcibly();
                        }
                    });
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String text = out.readLine(); text != null; text = out.readLine()) {
                    if (!text.startsWith("{")) {
                        continue;
                    }
                    System.out.println("kinesis.js " + transport + ": " + text);
                    JsonNode line = JSON.readTree(text);
                    if ("summary".equals(line.path("case").asText())) {
                        summary = line;
                    } else {
                        cases.add(line);
                    }
                }
            }
            int exit = node.waitFor();
            String err = Files.readString(stderr);
            if (killed.get()) {
                err = "(killed after " + RUN_TIMEOUT + ")\n" + err;
            }
            return new Run(transport, cases, summary, exit, err);
        } finally {
            node.destroyForcibly();
        }
    }

    /** {@code npm ci} into target/kinesis-js unless the installed tree matches the lock file; copies the script. */
    private static void install() throws IOException, InterruptedException {
        NpmProject.install(SOURCES, WORK);
    }

    private static Process start(ProcessBuilder builder) {
        return NpmProject.start(builder);
    }
}
