package io.github.edgestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgestream run} refuses a bad configuration, listing every problem, before starting anything. */
class RunCommandTest {

    @TempDir
    Path root;

    @Test
    void anInvalidConfigurationExitsWithCode4AndListsEveryProblem() throws Exception {
        Path config = root.resolve("edgestream.yaml");
        Files.writeString(config, """
                server:
                  port: 99999
                  maxConections: 10
                store:
                  maxMessageSize: 1GiB
                """);
        StringWriter err = new StringWriter();

        int code = EdgestreamCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
                new ByteArrayInputStream(new byte[0]), Map.of("STREAM_MANAGER_AUTHENTICATE_CLIENT", "maybe"),
                "run", "--config", config.toString());

        assertThat(code).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString())
                .contains("4 problems in the configuration")
                .contains("server.port is \"99999\"")
                .contains("server.maxConections (" + config + "): unknown setting; did you mean"
                        + " \"server.maxConnections\"?")
                .contains("store.maxMessageSize is \"1GiB\"").contains("be between 1 and 256MiB")
                .contains("server.authenticateClient is \"maybe\" (environment variable"
                        + " STREAM_MANAGER_AUTHENTICATE_CLIENT) but must be true or false");
        assertThat(root.resolve("edgestream-data")).doesNotExist();
    }

    @Test
    void thePortAlreadyInUseIsAClearStartFailure() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int code = EdgestreamCli.execute(new PrintWriter(new StringWriter()), new PrintWriter(err),
                    new ByteArrayInputStream(new byte[0]), Map.of(
                            "STREAM_MANAGER_SERVER_PORT", Integer.toString(taken.getLocalPort()),
                            "STREAM_MANAGER_STORE_ROOT_DIR", root.resolve("store").toString(),
                            "STREAM_MANAGER_AUTHENTICATE_CLIENT", "false"), "run");

            assertThat(code).isEqualTo(ExitCodes.REFUSED);
            assertThat(err.toString()).contains("cannot start").contains(Integer.toString(taken.getLocalPort()));
        }
    }
}
