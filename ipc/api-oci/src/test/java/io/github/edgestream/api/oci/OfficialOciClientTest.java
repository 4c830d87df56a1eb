package io.github.edgestream.api.oci;

import io.github.edgestream.core.fixture.CaseScript;
import io.github.edgestream.core.fixture.NpmProject;
import java.nio.file.Files;
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
 * The official OCI TypeScript SDK (npm {@code oci-streaming} and {@code oci-common} 2.139.1, pinned in
 * {@code src/test/js/package-lock.json}, unchanged) against our OCI Streaming API, with real RSA keys and the SDK's
 * own signing provider: proves that an unmodified Node application can manage stream pools and streams (waiters
 * included), produce with keys, read with cursors of every type, consume with a group of two instances over three
 * partitions (each partition reserved by one, taken over when the other stops heartbeating, nothing read twice when
 * every batch is committed), use commit-on-get and UpdateGroup resets, and that it sees OCI's errors for forged,
 * foreign and expired cursors, bad signatures (wrong key, unknown key, unsigned, altered body, a stale date) and a
 * narrow key's scope.
 *
 * <p>How it runs: the script and lock file of {@code src/test/js} are copied into {@code target/oci-js}, where
 * {@code npm ci} installs the SDK once. An {@link OciFixture} serves the API on a loopback port;
 * {@code node oci.js <endpoint> <keys.json> main} runs every case, leaving cursors in {@code expire.json}; the API's
 * clock then moves 6 minutes on and {@code node oci.js … expired} checks that those cursors are refused. Each phase
 * is bounded by {@link #RUN_TIMEOUT}; each case the script prints becomes a dynamic test. Node.js 20 or later and npm
 * must be on the PATH.
 */
class OfficialOciClientTest {

    private static final Path SOURCES = Path.of("src", "test", "js");
    private static final Path WORK = Path.of("target", "oci-js");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(150);

    @TestFactory
    Stream<DynamicNode> everyOperationThroughTheOfficialSdk(@TempDir Path root) throws Exception {
        NpmProject.install(SOURCES, WORK);
        Files.deleteIfExists(WORK.resolve("expire.json"));
        List<CaseScript.Run> runs = new ArrayList<>();
        try (OciFixture fixture = new OciFixture(root.resolve("store"), root.resolve("keys"))) {
            Path keys = root.resolve("keys.json");
            Files.writeString(keys, fixture.keysJson());
            String endpoint = fixture.endpoint().toString();
            String prefix = "--prefix=js" + Long.toString(System.currentTimeMillis(), 36);
            runs.add(run("main", endpoint, keys, "main", prefix));
            fixture.advanceApiClock(OciCursors.TTL.plusMinutes(1));
            runs.add(run("expired", endpoint, keys, "expired", prefix));
        }
        return runs.stream().map(CaseScript::asContainer);
    }

    private static CaseScript.Run run(String label, String endpoint, Path keys, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "oci.js", endpoint, keys.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return CaseScript.run(label, command, WORK, Map.of(), RUN_TIMEOUT);
    }
}
