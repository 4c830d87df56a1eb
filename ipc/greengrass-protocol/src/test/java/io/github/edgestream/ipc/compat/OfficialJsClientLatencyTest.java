package io.github.edgestream.ipc.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.ipc.server.IpcSettings;
import io.github.edgestream.ipc.server.ServerFixture;
import io.github.edgestream.net.Transport;
import io.netty.channel.epoll.Epoll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sequential requests of the unchanged official JavaScript client are not held up by delayed ACKs. The client writes
 * each frame as two writes with Nagle's algorithm on; without {@code QuickAckHandler} every append here takes about
 * 40 ms (measured: 44-46 ms median), with it well under one. The bound is generous, for a loaded 2-core machine.
 * Both transports: epoll and the NIO fallback set the option differently.
 */
class OfficialJsClientLatencyTest {

    private static final Pattern LATENCY = Pattern.compile("n=(\\d+) median=([0-9.]+) p90=([0-9.]+) max=([0-9.]+)");

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sequentialAppendsOfTheJsClientAreNotDelayedByDelayedAcks(Transport transport) throws Exception {
        Assumptions.assumeTrue(transport == Transport.NIO || Epoll.isAvailable(), "native epoll is not available");
        String token = "latency-token";
        try (ServerFixture fixture = new ServerFixture(root, IpcSettings.loopbackForTests()
                .withAuthentication(Set.of(token)).withTransport(transport))) {
            var run = OfficialJsClient.run(Duration.ofMinutes(2), fixture.server.port(), token, "latency.js", "200");

            assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
            System.out.println("official JS client, " + transport + ": " + run.line("latency"));
            Matcher m = LATENCY.matcher(run.line("latency"));
            assertThat(m.matches()).as(run.line("latency")).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(200);
            assertThat(Double.parseDouble(m.group(2))).as("median ms per append (%s), %s", transport, run.line("latency"))
                    .isLessThan(10.0);
        }
    }
}
