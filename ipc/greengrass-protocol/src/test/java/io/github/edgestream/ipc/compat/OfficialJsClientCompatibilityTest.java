package io.github.edgestream.ipc.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.edgestream.ipc.server.IpcSettings;
import io.github.edgestream.ipc.server.ServerFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Greengrass Stream Manager JavaScript client (npm {@code aws-greengrass-core-sdk@1.7.0}) against our
 * server: installs it with {@code npm ci} from {@code src/test/js/package-lock.json}, runs {@code src/test/js/compat.js}
 * under Node against a server on a free loopback port with client authentication on, and reports each of the
 * script's cases as a test of its own.
 *
 * <p>The server's clock is manual: when the script prints {@code advance-clock N}, this test moves it N ms and answers
 * {@code advanced N} on the script's stdin, so read timeouts pass without anyone sleeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialJsClientCompatibilityTest {

    private static final Path WORK = OfficialJsClient.WORK;
    private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(3);
    private static final int CASES = 25;

    private final String token = "compat-" + UUID.randomUUID();
    private final List<String> results = new ArrayList<>();
    private String summary;
    private int exitCode;

    @BeforeAll
    void runTheScriptAgainstTheServer(@TempDir Path root) throws Exception {
        OfficialJsClient.install();
        Path stderr = WORK.resolve("compat.stderr.log");

        try (ServerFixture fixture = new ServerFixture(root,
                IpcSettings.loopbackForTests().withAuthentication(Set.of(token)))) {
            ProcessBuilder builder = new ProcessBuilder("node", "compat.js")
                    .directory(WORK.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().put("STREAM_MANAGER_SERVER_PORT", Integer.toString(fixture.server.port()));
            builder.environment().put("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
            builder.environment().put("COMPAT_CLOCK_MILLIS", Long.toString(fixture.clock.millis()));
            Process node = OfficialJsClient.start(builder);
            // A hung script must not hang the build: kill it at the deadline, which ends the read loop below.
            node.onExit().completeOnTimeout(null, SUITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .thenRun(node::destroyForcibly);

            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                    Writer in = node.outputWriter(StandardCharsets.UTF_8)) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("advance-clock ")) {
                        long millis = Long.parseLong(line.substring("advance-clock ".length()));
                        fixture.clock.advance(Duration.ofMillis(millis));
                        in.write("advanced " + millis + "\n");
                        in.flush();
                    } else if (line.startsWith("ok ") || line.startsWith("not ok ")) {
                        results.add(line);
                    } else if (line.startsWith("done ")) {
                        summary = line;
                    }
                }
            }
            exitCode = node.waitFor();
        }
        if (summary == null) {
            fail("compat.js stopped without its summary line (exit code " + exitCode + "); its stderr:\n"
                    + Files.readString(stderr));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseOfTheScript() {
        return results.stream().map(line -> DynamicTest.dynamicTest(caseName(line), () -> {
            if (line.startsWith("not ok ")) {
                fail(line.substring(line.indexOf(" :: ") + 4));
            }
        }));
    }

    @Test
    void theScriptRanEveryCaseAndPassed() {
        assertThat(results).as("cases reported").hasSize(CASES);
        assertThat(summary).isEqualTo("done " + CASES + " 0");
        assertThat(exitCode).isZero();
    }

    private static String caseName(String line) {
        String rest = line.startsWith("ok ") ? line.substring(3) : line.substring(7);
        int reason = rest.indexOf(" :: ");
        return reason < 0 ? rest : rest.substring(0, reason);
    }
}
