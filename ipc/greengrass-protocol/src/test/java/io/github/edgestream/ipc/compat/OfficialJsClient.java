package io.github.edgestream.ipc.compat;


import io.github.edgestream.core.fixture.NpmProject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    static void install() throws IOException, InterruptedException {
        NpmProject.install(SOURCES, WORK);
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
        return NpmProject.start(builder);
    }
}
