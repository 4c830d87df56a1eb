package io.github.edgestream.ipc.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.ipc.server.IpcSettings;
import io.github.edgestream.ipc.server.ServerFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon restarts under a connected official JavaScript client (the server closed and started again on the same
 * port and store): the client's next call reconnects and is answered, and so are concurrent calls after it. This is
 * the usage README.md's troubleshooting section recommends; see {@code reconnect.js} for what the client itself
 * cannot survive.
 */
class OfficialJsClientReconnectTest {

    @TempDir
    Path root;

    @Test
    void afterARestartTheNextCallReconnectsAndConcurrentCallsAfterItAreAllAnswered() throws Exception {
        OfficialJsClient.install();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String token = "reconnect-token";
        IpcSettings settings = new IpcSettings(true, "127.0.0.1", port, java.util.Optional.empty(), "rw-rw----",
                java.util.Optional.empty(), IpcSettings.loopbackForTests().maxFrameSize(),
                IpcSettings.loopbackForTests().maxResponseSize(), 1024, 1024, java.time.Duration.ZERO,
                java.time.Duration.ofSeconds(30), 1, IpcSettings.loopbackForTests().transport())
                .withAuthentication(Set.of(token));
        Path stderr = Files.createTempFile(root, "node", ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "reconnect.js", "r").directory(
                OfficialJsClient.WORK.toFile()).redirectError(stderr.toFile());
        builder.environment().put("STREAM_MANAGER_SERVER_PORT", Integer.toString(port));
        builder.environment().put("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
        List<String> out = new ArrayList<>();
        ServerFixture first = new ServerFixture(root, settings);
        ServerFixture second = null;
        Process node = OfficialJsClient.start(builder);
        node.onExit().completeOnTimeout(null, 2, TimeUnit.MINUTES).thenRun(node::destroyForcibly);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8)); Writer in = node.outputWriter(StandardCharsets.UTF_8)) {
            assertThat(lines.readLine()).as("stderr: %s", Files.readString(stderr)).isEqualTo("connected");

            first.close();   // the daemon goes away with the client connected
            second = new ServerFixture(root, settings);
            in.write("restarted\n");
            in.flush();

            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.add(line);
            }
            assertThat(node.waitFor()).as("output %s, stderr %s", out, Files.readString(stderr)).isZero();
            assertThat(out).containsExactly("first 1", "concurrent [2,3,4,5,6,7,8,9,10,11]");
            assertThat(second.store.get(StreamName.of("r")).info().newestSequenceNumber()).isEqualTo(11);
        } finally {
            node.destroyForcibly();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
