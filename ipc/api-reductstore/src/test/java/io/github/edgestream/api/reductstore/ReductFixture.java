package io.github.edgestream.api.reductstore;

import io.github.edgestream.core.fixture.RealStore;
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
 * A real store and service and an HTTP server with the ReductStore API on a loopback port, on the real clock. Tokens:
 * {@link #ADMIN_TOKEN} may do everything; {@link #READER_TOKEN} may only read entries named {@code sensor-*} in any
 * bucket.
 */
final class ReductFixture implements AutoCloseable {

    static final String ADMIN_TOKEN = "reduct-admin-token-0123456789abcdef";
    static final String READER_TOKEN = "reduct-reader-token-0123456789abcdef";

    private final RealStore real;
    final HttpServer server;
    /** The tokens issued at run time, shared by the API and the authenticator. */
    final IssuedTokens tokens;

    ReductFixture(Path root) {
        real = new RealStore(root);
        Clock clock = Clock.systemUTC();
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        tokens = IssuedTokens.inMemory(clock);
        var api = new ReductApiProvider().create(new HttpApiContext(real.service, clock, Map.of(), secret, tokens));
        List<Credential> credentials = List.of(
                new Credential("admin", Optional.empty(), Optional.empty(), Optional.of(ADMIN_TOKEN),
                        List.of(Scope.EVERYTHING)),
                new Credential("sensor-reader", Optional.empty(), Optional.empty(), Optional.of(READER_TOKEN),
                        List.of(new Scope(List.of("reduct.*"), List.of("sensor-*"), EnumSet.of(Permission.READ)))));
        server = new HttpServer(HttpSettings.loopbackForTests(), List.of(api),
                new CredentialAuthenticator(credentials, Optional.empty(), clock, tokens));
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
