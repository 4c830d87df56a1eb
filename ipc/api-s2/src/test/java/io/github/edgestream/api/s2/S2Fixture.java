package io.github.edgestream.api.s2;

import io.github.edgestream.core.fixture.RealStore;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpServer;
import io.github.edgestream.http.HttpSettings;
import io.github.edgestream.http.auth.Credential;
import io.github.edgestream.http.auth.CredentialAuthenticator;
import io.github.edgestream.http.auth.IssuedTokens;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Scope;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real store (file streams in a temporary directory), service and HTTP server with the S2 API on a loopback
 * port, on the real clock (S2 clients compare timestamps with their own). Tokens: {@link #ADMIN_TOKEN} may do
 * everything (and manage access tokens), {@link #READER_TOKEN} may only read streams named {@code sensor-*} in any
 * basin; the daemon's token {@link #DAEMON_TOKEN} may do everything.
 */
final class S2Fixture implements AutoCloseable {

    static final String ADMIN_TOKEN = "s2-admin-token-0123456789abcdef";
    static final String READER_TOKEN = "s2-reader-token-0123456789abcdef";
    static final String DAEMON_TOKEN = "daemon-token-0123456789abcdef";

    private final RealStore real;
    final StreamStore store;
    final StreamService service;
    final HttpServer server;
    final IssuedTokens tokens;

    S2Fixture(Path root) {
        this(root, Map.of());
    }

    S2Fixture(Path root, Map<String, String> options) {
        Clock clock = Clock.systemUTC();
        real = new RealStore(root);
        store = real.store;
        service = real.service;
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        tokens = IssuedTokens.inMemory(clock);
        var api = new S2ApiProvider().create(new HttpApiContext(service, clock, options, secret, tokens));
        List<Credential> credentials = List.of(
                new Credential("admin", Optional.empty(), Optional.empty(), Optional.of(ADMIN_TOKEN),
                        List.of(Scope.EVERYTHING)),
                new Credential("sensor-reader", Optional.empty(), Optional.empty(), Optional.of(READER_TOKEN),
                        List.of(new Scope(List.of("s2.*"), List.of("sensor-*"), EnumSet.of(Permission.READ)))));
        var authenticator = new CredentialAuthenticator(credentials, Optional.of(DAEMON_TOKEN), clock, tokens);
        server = new HttpServer(HttpSettings.loopbackForTests(), List.of(api), authenticator);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() throws Exception {
        server.close();
        real.close();
    }
}
