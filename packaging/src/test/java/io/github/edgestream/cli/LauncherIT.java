package io.github.edgestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.client.StreamManagerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an operator runs it: {@code target/edgestream/bin/edgestream} (built by {@code mvn package}),
 * the daemon and the CLI as separate processes talking over loopback TCP and a Unix socket.
 */
class LauncherIT {


    @TempDir
    Path root;

    private final List<DaemonProcess> daemons = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        daemons.forEach(d -> d.process.destroyForcibly());
    }

    @Test
    void versionPrintsTheProjectVersion() throws Exception {
        Result result = cli("--version");

        assertThat(result.exitCode).isZero();
        assertThat(result.out).startsWith("edgestream ").doesNotContain("${");
    }

    /** A gateway daemon must not size its heap from the machine's memory; an operator's own setting wins. */
    @Test
    void theLauncherCapsTheHeapAt256MibUnlessJvmArgsSayOtherwise() throws Exception {
        assertThat(maxHeapWith("-XX:+PrintCommandLineFlags")).isEqualTo(256L << 20);
        assertThat(maxHeapWith("-XX:+PrintCommandLineFlags -Xmx96m")).isEqualTo(96L << 20);
        assertThat(maxHeapWith("-XX:+PrintCommandLineFlags -XX:MaxRAMPercentage=10"))
                .as("a percentage is not overridden by the default").isNotEqualTo(256L << 20);
    }

    private long maxHeapWith(String jvmArgs) throws Exception {
        ProcessBuilder builder = builder("--version").redirectErrorStream(true);
        builder.environment().put("JVM_ARGS", jvmArgs);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        var flag = java.util.regex.Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(out);
        assertThat(flag.find()).as("PrintCommandLineFlags output: %s", out).isTrue();
        return Long.parseLong(flag.group(1));
    }

    @Test
    void anUnknownSettingStopsTheDaemonBeforeItStartsWithExitCode4() throws Exception {
        Path config = root.resolve("bad.yaml");
        Files.writeString(config, "server:\n  prot: 8088\n");

        Result result = cli("run", "--config", config.toString());

        assertThat(result.exitCode).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.out).contains("server.prot").contains("unknown setting").contains("server.port");
    }

    @Test
    void theDaemonServesTheCliOverTcpAndItsUnixSocketStopsOnSigtermAndKeepsTheData() throws Exception {
        Path data = root.resolve("data");
        Path socket = root.resolve("edgestream.sock");
        Path config = root.resolve("edgestream.yaml");
        Files.writeString(config, """
                server:
                  port: 0
                  unixSocket: %s
                  unixSocketPermissions: rw-------
                store:
                  rootDirectory: %s
                """.formatted(socket, data));

        DaemonProcess daemon = startDaemon(config);
        Path tokenFile = data.resolve("auth-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        String port = Integer.toString(daemon.port);
        String token = "--token-file=" + tokenFile;

        assertThat(cli("streams", "create", "plant", "--strategy", "reject", "--port", port, token).exitCode).isZero();
        Result appended = cli("--json", "append", "plant", "first", "second", "--socket", socket.toString(), token);
        assertThat(appended.exitCode).as(appended.out).isZero();
        Result refused = cli("streams", "list", "--port", port, "--token=wrong");
        assertThat(refused.exitCode).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(refused.out).contains("token");

        // A read waiting for data when SIGTERM arrives is answered, not cut off.
        StreamManagerClient client = new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port)
                .withAuthToken(Files.readString(tokenFile).strip()));
        CompletableFuture<List<Message>> waiting = client.readMessages("plant", 2, 1, 1, Duration.ofMinutes(1));
        client.listStreams().get(10, TimeUnit.SECONDS); // the read has reached the daemon and waits

        daemon.terminate();
        assertThat(waiting).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StreamManagerException.class).withMessageContaining("shutting down");
        client.close();
        assertThat(daemon.process.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGTERM").isTrue();
        assertThat(daemon.process.exitValue()).isZero();
        assertThat(daemon.output()).anyMatch(line -> line.contains("stopped in"));
        assertThat(socket).doesNotExist();

        DaemonProcess again = startDaemon(config);
        Result read = cli("--json", "read", "plant", "--max", "10", "--port", Integer.toString(again.port), token);
        assertThat(read.exitCode).as(read.out).isZero();
        JsonNode messages = new ObjectMapper().readTree(read.out);
        assertThat(messages).extracting(m -> new String(Base64.getDecoder().decode(m.get("payloadBase64").asText()),
                StandardCharsets.UTF_8)).containsExactly("first", "second");
        assertThat(messages).extracting(m -> m.get("sequenceNumber").asLong()).containsExactly(0L, 1L);
        again.terminate();
        assertThat(again.process.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }

    private DaemonProcess startDaemon(Path config) throws Exception {
        DaemonProcess daemon = DaemonProcess.start(root, config, Map.of());
        daemons.add(daemon);
        return daemon;
    }

    private Result cli(String... args) throws Exception {
        Process process = builder(args).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("edgestream %s finished", List.of(args)).isTrue();
        return new Result(process.exitValue(), out);
    }

    private ProcessBuilder builder(String... args) {
        return DaemonProcess.launcher(root, args);
    }

    private record Result(int exitCode, String out) {
    }
}
