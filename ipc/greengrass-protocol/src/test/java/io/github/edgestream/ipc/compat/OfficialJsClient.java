package io.github.edgestream.ipc.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official Greengrass Stream Manager JavaScript client (npm {@code aws-greengrass-core-sdk@1.7.0}) for the tests
 * of this module: installed once with {@code npm ci} from {@code src/test/js/package-lock.json} into
 * {@code target/js-compat}, next to the scripts of {@code src/test/js} that drive it.
 */
final class OfficialJsClient {

    static final Path SOURCES = Path.of("src", "test", "js");
    static final Path WORK = Path.of("target", "js-compat");
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

    /** What a script printed and how it ended. */
    record Run(int exitCode, List<String> stdout, String stderr) {
        /** The rest of the first stdout line that starts with {@code prefix} and a space. */
        String line(String prefix) {
            return stdout.stream().filter(l -> l.startsWith(prefix + " ")).map(l -> l.substring(prefix.length() + 1))
                    .findFirst().orElseThrow(() -> new AssertionError("no \"" + prefix + "\" line in " + this));
        }
    }

    private OfficialJsClient() {
    }

    /** {@code npm ci} into target/js-compat unless the installed tree matches the lock file; copies the scripts. */
    static synchronized void install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        try (var scripts = Files.list(SOURCES)) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".js")).toList()) {
                Files.copy(script, WORK.resolve(script.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path lock = SOURCES.resolve("package-lock.json");
        boolean current = Files.exists(WORK.resolve("node_modules/aws-greengrass-core-sdk/stream-manager/index.js"))
                && Files.exists(WORK.resolve("package-lock.json"))
                && Files.mismatch(lock, WORK.resolve("package-lock.json")) == -1
                && Files.exists(WORK.resolve("node_modules").resolve(".package-lock.json"));
        if (current) {
            return;
        }
        Files.copy(SOURCES.resolve("package.json"), WORK.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(lock, WORK.resolve("package-lock.json"), StandardCopyOption.REPLACE_EXISTING);
        Path log = WORK.resolve("npm-ci.log");
        Process npm = start(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(WORK.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()));
        if (!npm.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            npm.destroyForcibly();
            fail("npm ci did not finish within " + NPM_TIMEOUT + "; its output:\n" + Files.readString(log));
        }
        if (npm.exitValue() != 0) {
            fail("npm ci failed with exit code " + npm.exitValue() + "; its output:\n" + Files.readString(log));
        }
    }

    /** Runs {@code node <script> <args>} against a server on {@code port}, waiting at most {@code timeout}. */
    static Run run(Duration timeout, int port, String token, String script, String... args) throws Exception {
        install();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile());
        builder.environment().put("STREAM_MANAGER_SERVER_PORT", Integer.toString(port));
        builder.environment().put("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
        Path stderr = Files.createTempFile(WORK.toAbsolutePath(), "stderr", ".log");
        builder.redirectError(stderr.toFile());
        Process node = start(builder);
        node.getOutputStream().close();
        // A hung script must not hang the build: kill it at the deadline, which ends the read below.
        node.onExit().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).thenRun(node::destroyForcibly);
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = node.waitFor();
        String err = Files.readString(stderr);
        Files.delete(stderr);
        return new Run(exit, out.lines().toList(), err);
    }

    static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + builder.command().get(0) + " (" + e.getMessage()
                    + "): this test needs Node.js 20 or later and npm on the PATH, see README.md", e);
        }
    }
}
