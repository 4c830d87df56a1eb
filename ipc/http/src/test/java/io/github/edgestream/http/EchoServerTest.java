package io.github.edgestream.http;

import io.github.edgestream.http.auth.AuthScheme;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A test against one server with one {@link EchoApi} on {@code /echo/} (Bearer), default loopback settings; what
 * the test starts is closed after each test.
 */
abstract class EchoServerTest {

    @RegisterExtension
    final Servers servers = new Servers();
    final EchoApi api = EchoApi.byPath("echo", "/echo/", AuthScheme.bearer());
    HttpServer server;

    @BeforeEach
    void startServer() {
        server = servers.start(HttpSettings.loopbackForTests(), api);
    }
}
