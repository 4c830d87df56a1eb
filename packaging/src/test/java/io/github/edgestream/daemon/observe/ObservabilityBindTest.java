package io.github.edgestream.daemon.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.config.ConfigLoader;
import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.daemon.DaemonConfig;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams come first: a taken observability port neither stops the daemon nor stays a problem once it is free. */
class ObservabilityBindTest {

    @TempDir
    Path root;

    @Test
    void aTakenPortIsRetriedWithGrowingDelaysUntilItIsFree() throws Exception {
        ManualClock clock = ManualClock.startingAt2026();
        ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = squatter.getLocalPort();
        try (ObservabilityServer server = ObservabilityServer.start("127.0.0.1", port, clock, new DaemonMetrics(clock),
                null, ExportStatusSource.NOT_STARTED, () -> true, clock)) {
            assertThat(server.port()).isEqualTo(-1);
            assertThat(clock.pendingDelays()).containsExactly(Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(2));
            assertThat(server.failedAttempts()).isEqualTo(3);
            assertThat(clock.pendingDelays()).containsExactly(Duration.ofSeconds(4));

            squatter.close();
            clock.advance(Duration.ofSeconds(4));

            assertThat(server.port()).isEqualTo(port);
            assertThat(clock.pendingDelays()).isEmpty();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("{\"live\":true,\"ready\":true}");
        } finally {
            squatter.close();
        }
    }

    @Test
    void retriesAreCappedAtAMinuteAndStopWhenTheServerCloses() throws Exception {
        ManualClock clock = ManualClock.startingAt2026();
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ObservabilityServer server = ObservabilityServer.start("127.0.0.1", squatter.getLocalPort(), clock,
                    new DaemonMetrics(clock), null, ExportStatusSource.NOT_STARTED, () -> true, clock);
            for (int i = 0; i < 10; i++) {
                clock.advance(clock.pendingDelays().get(0));
            }
            assertThat(clock.pendingDelays()).containsExactly(Duration.ofMinutes(1));

            server.close();
            clock.advance(Duration.ofMinutes(1));

            assertThat(server.failedAttempts()).isEqualTo(11);
            assertThat(clock.pendingDelays()).isEmpty();
        }
    }

    @Test
    void theDaemonServesStreamsWhileItsObservabilityPortIsTaken() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = Files.writeString(root.resolve("edgestream.yaml"), """
                    store:
                      rootDirectory: %s
                    server:
                      port: 0
                      authenticateClient: false
                    """.formatted(root.resolve("data")));
            // the port as Greengrass would pass it: through the environment
            Map<String, String> environment = Map.of("EDGESTREAM_OBSERVABILITY_PORT",
                    Integer.toString(squatter.getLocalPort()));
            try (Daemon daemon = Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config),
                    environment), environment);
                    StreamManagerClient client = new StreamManagerClient(ClientSettings.defaults()
                            .withPort(daemon.port()))) {
                assertThat(daemon.observabilityPort()).isEmpty();
                client.createMessageStream(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build())
                        .get(10, TimeUnit.SECONDS);
                assertThat(client.appendMessage("s", new byte[] {1}).get(10, TimeUnit.SECONDS)).isZero();
            }
        }
    }
}
