package io.github.edgestream.daemon.http;

import io.github.edgestream.config.Config;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.daemon.DaemonConfig;
import io.github.edgestream.daemon.SecretFiles;
import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpApiProvider;
import io.github.edgestream.http.HttpAuthenticator;
import io.github.edgestream.http.HttpServer;
import io.github.edgestream.http.HttpSettings;
import io.github.edgestream.http.auth.Credential;
import io.github.edgestream.http.auth.CredentialAuthenticator;
import io.github.edgestream.http.auth.IssuedTokens;
import io.github.edgestream.net.RequestObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the daemon's HTTP port: the installed API providers ({@link ServiceLoader}) that are enabled, the
 * credentials (the file's, plus the daemon's own token with every permission) and the server.
 */
public final class HttpFront {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

    private HttpFront() {
    }

    /**
     * The HTTP server, not started; empty if {@code http.enabled} is off or no API is enabled.
     *
     * @param daemonToken the daemon's own token, if client authentication has one
     * @throws IllegalArgumentException if an API's settings or the credentials file are wrong (every problem)
     */
    public static Optional<HttpServer> build(Config config, StreamService service, Clock clock,
            Optional<String> daemonToken, RequestObserver observer) {
        if (!config.get(DaemonConfig.HTTP_ENABLED)) {
            return Optional.empty();
        }
        byte[] secret = secret(config.get(DaemonConfig.STORE_ROOT).resolve("http-secret"));
        // tokens issued through the APIs (S2 access tokens), kept hashed beside the store
        IssuedTokens tokens = new IssuedTokens(config.get(DaemonConfig.STORE_ROOT).resolve("issued-tokens.json"),
                clock);
        List<HttpApi> apis = new ArrayList<>();
        for (HttpApiProvider provider : ServiceLoader.load(HttpApiProvider.class)) {
            if (!DaemonConfig.apiEnabled(config, provider.name())) {
                LOG.info("HTTP API {} is off (api.{}.enabled)", provider.name(), provider.name());
                continue;
            }
            apis.add(provider.create(new HttpApiContext(service, clock, DaemonConfig.apiOptions(config,
                    provider.name()), secret, tokens)));
        }
        if (apis.isEmpty()) {
            return Optional.empty();
        }
        HttpSettings settings = DaemonConfig.httpSettings(config);
        HttpAuthenticator authenticator = HttpAuthenticator.OPEN;
        if (settings.authenticate()) {
            List<Credential> credentials = config.find(DaemonConfig.HTTP_CREDENTIALS).map(CredentialsFile::read)
                    .orElse(List.of());
            authenticator = new CredentialAuthenticator(credentials, daemonToken, clock, tokens);
            LOG.info("HTTP authentication: {} credential(s) from {}{}", credentials.size(),
                    config.find(DaemonConfig.HTTP_CREDENTIALS).map(Path::toString).orElse("(no credentials file)"),
                    daemonToken.isPresent() ? ", and the daemon's token (access key id "
                            + CredentialAuthenticator.DAEMON_ACCESS_KEY_ID + " for SigV4)" : "");
        } else {
            LOG.warn("HTTP authentication is OFF (http.authenticateClient): anyone who can connect to {}:{} may"
                    + " read, write and delete every stream", settings.host(), settings.port());
        }
        HttpServer server = new HttpServer(settings, apis, authenticator);
        server.observe(observer);
        return Optional.of(server);
    }

    /**
     * The key the APIs sign what they hand out with (iterators, tokens): 32 random bytes kept in the store
     * directory (mode 0600), so that what a client holds survives a restart of the daemon.
     */
    static byte[] secret(Path file) {
        return SecretFiles.readOrCreate(file, "HTTP signing key file", 32, random -> random,
                content -> content.length >= 32);
    }
}
