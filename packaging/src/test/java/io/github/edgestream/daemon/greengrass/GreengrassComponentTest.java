package io.github.edgestream.daemon.greengrass;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.daemon.DaemonConfig;
import io.github.edgestream.daemon.OfficialJsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a Greengrass component: the nucleus (a stand-in speaking Greengrass IPC on a Unix socket) gave it
 * its SVCUID and socket, and other components connect with their own tokens through the official JavaScript client.
 * The daemon asks the nucleus about each token, and still accepts its own (the operator's CLI on the gateway).
 */
class GreengrassComponentTest {

    private static final String DAEMON_SVCUID = "svcuid-of-edgestream";
    private static final String COMPONENT_TOKEN = "svcuid-of-com.example.Sensors";

    @TempDir
    Path dir;

    private NucleusStandIn nucleus;
    private Daemon daemon;

    @BeforeEach
    void startTheNucleusAndTheDaemon() throws Exception {
        Path socket = dir.resolve("ipc.sock");
        nucleus = new NucleusStandIn(socket)
                .knowComponent(DAEMON_SVCUID, NucleusStandIn.STREAM_MANAGER)
                .validTokens(COMPONENT_TOKEN)
                .start();
        Path config = Files.writeString(dir.resolve("edgestream.yaml"), """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                observability:
                  enabled: false
                """.formatted(dir.resolve("data")));
        // what a nucleus puts in a component's environment
        Map<String, String> environment = Map.of(
                GreengrassIpcAuthenticator.SOCKET_PATH_VARIABLE, socket.toString(),
                GreengrassIpcAuthenticator.SVCUID_VARIABLE, DAEMON_SVCUID,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", DAEMON_SVCUID);
        daemon = Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config), environment), environment);
    }

    @AfterEach
    void stop() {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            nucleus.close();
        }
    }

    @Test
    void anotherComponentConnectsWithItsOwnTokenAsTheNucleusConfirms() throws Exception {
        var run = OfficialJsClient.run(Duration.ofMinutes(1), daemon.port(), COMPONENT_TOKEN, "component.js",
                "sensors");

        assertThat(run.stdout()).as("stderr: %s", run.stderr()).containsExactly("appended 0");
        assertThat(nucleus.validateCalls()).isEqualTo(1);
    }

    @Test
    void aTokenTheNucleusDoesNotKnowIsRefused() throws Exception {
        var run = OfficialJsClient.run(Duration.ofMinutes(1), daemon.port(), "not-a-component", "component.js",
                "sensors");

        assertThat(run.stdout()).singleElement().asString().startsWith("error ConnectFailedException");
        assertThat(daemon.store().list()).isEmpty();
    }

    @Test
    void theDaemonsOwnTokenNeedsNoNucleus() throws Exception {
        var run = OfficialJsClient.run(Duration.ofMinutes(1), daemon.port(), DAEMON_SVCUID, "component.js",
                "own");

        assertThat(run.stdout()).containsExactly("appended 0");
        assertThat(nucleus.validateCalls()).isZero();
    }
}
