package io.github.edgestream.api.kinesis;


import io.github.edgestream.core.fixture.CaseScript;
import io.github.edgestream.core.fixture.NpmProject;
import io.github.edgestream.core.time.SystemScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
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

    @TestFactory
    Stream<DynamicNode> everyCaseOverBothTransports(@TempDir Path root) throws Exception {
        install();
        List<CaseScript.Run> runs = new ArrayList<>();
        try (KinesisFixture fixture = new KinesisFixture(root, Map.of(), Clock.systemUTC(),
                new SystemScheduler("kinesis-js-test-scheduler"))) {
            String endpoint = fixture.endpoint().toString();
            runs.add(run("h2c", endpoint, "--prefix=js-h2c"));
            runs.add(run("http1", endpoint, "--prefix=js-http1", "--http1"));
        }
        return runs.stream().map(CaseScript::asContainer);
    }

    /** Runs kinesis.js against {@code endpoint} as the admin, destroying it at {@link #RUN_TIMEOUT}. */
    private static CaseScript.Run run(String transport, String endpoint, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "kinesis.js", endpoint, KinesisFixture.KEY_ID,
                KinesisFixture.SECRET));
        command.addAll(List.of(flags));
        return CaseScript.run(transport, command, WORK, Map.of(), RUN_TIMEOUT);
    }

    /** {@code npm ci} into target/kinesis-js unless the installed tree matches the lock file; copies the script. */
    private static void install() throws IOException, InterruptedException {
        NpmProject.install(SOURCES, WORK);
    }
}
