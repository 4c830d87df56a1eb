package io.github.edgestream.ipc.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.ipc.client.ClientConnectionException.Reason;
import io.netty.channel.ConnectTimeoutException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection that cannot be opened is reported in plain words, with the address as people write it. */
class ConnectFailuresTest {

    @TempDir
    Path root;

    @Test
    void aClosedPortIsConnectionRefusedAtHostColonPort() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (StreamManagerClient client = StreamManagerClient.onPort(port)) {
            assertThatThrownBy(() -> client.listStreams().get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(ClientConnectionException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("cannot connect to 127.0.0.1:" + port
                                + ": connection refused (is the stream manager running?)");
                        assertThat(e.address()).hasValue("127.0.0.1:" + port);
                        assertThat(e.reason()).hasValue(Reason.CONNECTION_REFUSED);
                        assertThat(e.detail()).hasValue("connection refused");
                    });
        }
    }

    @Test
    void aMissingUnixSocketIsNoSuchFileAtItsPath() {
        Path socket = root.resolve("missing.sock");
        try (StreamManagerClient client = new StreamManagerClient(ClientSettings.defaults().withUnixSocket(socket))) {
            assertThatThrownBy(() -> client.listStreams().get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(ClientConnectionException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("cannot connect to " + socket
                                + ": no such file (is the stream manager running?)");
                        assertThat(e.reason()).hasValue(Reason.NO_SUCH_FILE);
                    });
        }
    }

    @Test
    void theReasonComesFromTheTypeTheNativeErrorNumberOrTheSystemsWords() {
        // the native (epoll) transport: errno in the message, text possibly localized; no message for ENOENT
        assertThat(reasonOf(new ConnectException("finishConnect(..) failed with error(-111): Connection refused")))
                .isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(reasonOf(new ConnectException("connect(..) failed with error(-111): Verbindung verweigert")))
                .isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(reasonOf(new FileNotFoundException())).isEqualTo(Reason.NO_SUCH_FILE);
        assertThat(reasonOf(new ConnectException("connect(..) failed with error(-13): Permission denied")))
                .isEqualTo(Reason.PERMISSION_DENIED);
        assertThat(reasonOf(new ConnectException("connect(..) failed with error(-113): No route to host")))
                .isEqualTo(Reason.UNREACHABLE);
        // the JDK's NIO transport
        assertThat(reasonOf(new ConnectException("Connection refused"))).isEqualTo(Reason.CONNECTION_REFUSED);
        assertThat(reasonOf(new SocketException("No such file or directory"))).isEqualTo(Reason.NO_SUCH_FILE);
        assertThat(reasonOf(new SocketException("Permission denied"))).isEqualTo(Reason.PERMISSION_DENIED);
        // either
        assertThat(reasonOf(new ConnectTimeoutException("connection timed out after 3000 ms: /10.0.0.1:8088")))
                .isEqualTo(Reason.TIMED_OUT);
        assertThat(reasonOf(new UnknownHostException("no.such.host"))).isEqualTo(Reason.UNKNOWN_HOST);
        assertThat(reasonOf(new IOException("wrapped", new SocketException("Permission denied"))))
                .isEqualTo(Reason.PERMISSION_DENIED);
    }

    @Test
    void theMessageHasNoTransportInternals() {
        assertThat(ConnectFailures.cannotConnect("127.0.0.1:8088", new ConnectException(
                "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:8088"), Duration.ZERO)
                .getMessage()).isEqualTo("cannot connect to 127.0.0.1:8088: connection refused (is the stream manager"
                        + " running?)");
        assertThat(ConnectFailures.cannotConnect("10.0.0.1:8088", new ConnectTimeoutException(
                "connection timed out after 3000 ms: /10.0.0.1:8088"), Duration.ofSeconds(3)).getMessage())
                .isEqualTo("cannot connect to 10.0.0.1:8088: timed out after 3000 ms");
        assertThat(ConnectFailures.cannotConnect("/run/sm.sock", new ConnectException(
                "connect(..) failed with error(-13): Permission denied: /run/sm.sock"), Duration.ZERO).getMessage())
                .isEqualTo("cannot connect to /run/sm.sock: permission denied");
        assertThat(ConnectFailures.cannotConnect("127.0.0.1:8088", new ConnectException(
                "connect(..) failed with error(-98): Address already in use: /127.0.0.1:8088"), Duration.ZERO))
                .satisfies(e -> {
                    assertThat(e.getMessage()).isEqualTo("cannot connect to 127.0.0.1:8088: Address already in use");
                    assertThat(e.reason()).hasValue(Reason.OTHER);
                });
    }

    @Test
    void addressesAreWrittenAsPeopleWriteThem() {
        ClientSettings defaults = ClientSettings.defaults();
        assertThat(defaults.withPort(9000).address()).isEqualTo("127.0.0.1:9000");
        assertThat(new ClientSettings("::1", 8088, Optional.empty(), Optional.empty(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1024).address()).isEqualTo("[::1]:8088");
        assertThat(defaults.withUnixSocket(Path.of("/run/edgestream/sm.sock")).address())
                .isEqualTo("/run/edgestream/sm.sock");
    }

    private static Reason reasonOf(Throwable failure) {
        return ConnectFailures.reason(failure);
    }
}
