package io.github.edgestream.api.s2;

import io.github.edgestream.core.fixture.CaseScript;
import io.github.edgestream.core.fixture.NpmProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official S2 TypeScript SDK (npm {@code @s2-dev/streamstore}, pinned in {@code src/test/js/package-lock.json},
 * unchanged) against our S2 API: proves that an unmodified Node application can manage basins, streams and access
 * tokens, append (JSON and protobuf; conditional, fenced, trimming), read by every start and stop, and run read
 * sessions, append sessions and the SDK's {@code Producer}, and that it sees the errors S2 would give (409 on
 * duplicates, 412 {@code SeqNumMismatchError}/{@code FencingTokenMismatchError}, 416 with the tail, 422 on a
 * missing required timestamp, 401/403 on bad or narrow tokens).
 *
 * <p>How it runs: the script and lock file of {@code src/test/js} are copied into {@code target/s2-js}, where
 * {@code npm ci} installs the SDK once (skipped while the installed lock file is unchanged). An {@link S2Fixture}
 * serves the API on a loopback port; {@code node s2.js <endpoint> <adminToken> <readerToken>} runs against it twice,
 * each bounded by {@link #RUN_TIMEOUT}: with the SDK's default session transport (in Node: s2s frames over h2c) and
 * with {@code --fetch}, which opens every stream with {@code forceTransport: "fetch"} (read sessions over SSE, append
 * sessions as sequential POSTs). Each run uses basins of its own. The script prints one JSON line per case; each
 * becomes a dynamic test, failing with the case's detail and the error it saw. Node.js 20 or later and npm must be
 * on the PATH.
 */
class OfficialS2ClientTest {

    private static final Path SOURCES = Path.of("src", "test", "js");
    private static final Path WORK = Path.of("target", "s2-js");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    @TestFactory
    Stream<DynamicNode> everyCaseOverBothSessionTransports(@TempDir Path root) throws Exception {
        NpmProject.install(SOURCES, WORK);
        List<CaseScript.Run> runs = new ArrayList<>();
        try (S2Fixture fixture = new S2Fixture(root)) {
            String endpoint = fixture.endpoint().toString();
            String stamp = Long.toString(System.currentTimeMillis(), 36);
            runs.add(run("s2s", endpoint, "--prefix=js-s2s-" + stamp));
            runs.add(run("fetch", endpoint, "--prefix=js-fetch-" + stamp, "--fetch"));
        }
        return runs.stream().map(CaseScript::asContainer);
    }

    /** Runs s2.js against {@code endpoint} with the fixture's tokens, destroying it at {@link #RUN_TIMEOUT}. */
    private static CaseScript.Run run(String label, String endpoint, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "s2.js", endpoint, S2Fixture.ADMIN_TOKEN,
                S2Fixture.READER_TOKEN));
        command.addAll(List.of(flags));
        return CaseScript.run(label, command, WORK, Map.of(), RUN_TIMEOUT);
    }
}
