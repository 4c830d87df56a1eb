package io.github.edgestream.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scripts of {@code src/test/js} under Node with the official Stream Manager JavaScript client
 * ({@code aws-greengrass-core-sdk@1.7.0}, installed once with {@code npm ci} into {@code target/js-producer}).
 */
public final class OfficialJsClient {

    private static final Path SOURCES = Path.of("src", "test", "js");
    private static final Path WORK = Path.of("target", "js-producer");

    /** What a script printed and how it ended. */
    public record Run(int exitCode, List<String> stdout, String stderr) {
        public String line(String prefix) {
            return stdout.stream().filter(l -> l.startsWith(prefix + " ")).map(l -> l.substring(prefix.length() + 1))
                    .findFirst().orElseThrow(() -> new AssertionError("no \"" + prefix + "\" line in " + this));
        }
    }

    private OfficialJsClient() {
    }

    static synchronized void install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        boolean fresh = copy("package.json") | copy("package-lock.json");
        copy("kinesis-producer.js");
        copy("s3-tasks.js");
        copy("component.js");
        if (fresh || !Files.isDirectory(WORK.resolve("node_modules/aws-greengrass-core-sdk"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                    .directory(WORK.toFile()).redirectErrorStream(true)
                    .redirectOutput(WORK.resolve("npm.log").toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed in " + WORK + ": " + Files.readString(WORK.resolve("npm.log")));
            }
        }
    }

    /** Copies a source file into the work directory; true if it changed. */
    private static boolean copy(String name) throws IOException {
        Path target = WORK.resolve(name);
        byte[] source = Files.readAllBytes(SOURCES.resolve(name));
        if (Files.exists(target) && java.util.Arrays.equals(source, Files.readAllBytes(target))) {
            return false;
        }
        Files.copy(SOURCES.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    /** Runs {@code node <script> <args>} with the client's environment (port, token), waiting at most {@code timeout}. */
    public static Run run(Duration timeout, int port, String token, String script, String... args) throws Exception {
        install();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile());
        Map<String, String> env = builder.environment();
        env.put("STREAM_MANAGER_SERVER_PORT", Integer.toString(port));
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
        Path stderr = Files.createTempFile(WORK.toAbsolutePath(), "stderr", ".log");
        builder.redirectError(stderr.toFile());
        Process node = builder.start();
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            node.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + timeout + "; stdout: " + out);
        }
        String err = Files.readString(stderr);
        Files.delete(stderr);
        return new Run(node.exitValue(), out.lines().toList(), err);
    }
}
