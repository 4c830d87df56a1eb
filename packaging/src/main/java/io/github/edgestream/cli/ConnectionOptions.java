package io.github.edgestream.cli;

import io.github.edgestream.ipc.client.ClientSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * How client commands reach the daemon, and how they print. Defaults follow the official SDKs and the daemon's own
 * defaults: port from {@code STREAM_MANAGER_SERVER_PORT} (else 8088), token from
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}, else the daemon's token file under its store directory. The options
 * are inherited: they may come before or after the command ({@code edgestream --json streams list}).
 */
final class ConnectionOptions {

    @Option(scope = ScopeType.INHERIT, names = "--host", description = "Daemon host (default: 127.0.0.1).")
    String host;

    @Option(scope = ScopeType.INHERIT, names = "--port", description = "Daemon TCP port (default: $STREAM_MANAGER_SERVER_PORT, else 8088).")
    Integer port;

    @Option(scope = ScopeType.INHERIT, names = "--socket", description = "Connect to this Unix domain socket instead of TCP.")
    Path socket;

    @Option(scope = ScopeType.INHERIT, names = "--token", description = "Auth token (default: $AWS_CONTAINER_AUTHORIZATION_TOKEN, else the "
            + "token file).")
    String token;

    @Option(scope = ScopeType.INHERIT, names = "--token-file", description = "File holding the auth token (default: auth-token in the store "
            + "directory, $STREAM_MANAGER_STORE_ROOT_DIR or ./edgestream-data).")
    Path tokenFile;

    @Option(scope = ScopeType.INHERIT, names = "--timeout", description = "How long to wait for each answer (default: 60s).",
            converter = Parsers.DurationConverter.class)
    Duration timeout;

    @Option(scope = ScopeType.INHERIT, names = "--json", description = "Print JSON instead of tables, for scripts.")
    boolean json;

    /** Where and how to connect, from the options, the environment and the client's defaults. */
    ClientSettings settings(Map<String, String> environment) {
        ClientSettings settings = ClientSettings.defaults();
        if (host != null) {
            settings = new ClientSettings(host, settings.port(), settings.unixSocket(), settings.authToken(),
                    settings.connectTimeout(), settings.requestTimeout(), settings.maxFrameSize());
        }
        int resolvedPort = port != null ? port
                : Optional.ofNullable(environment.get("STREAM_MANAGER_SERVER_PORT")).filter(p -> !p.isBlank())
                        .map(Integer::parseInt).orElse(settings.port());
        settings = settings.withPort(resolvedPort);
        if (socket != null) {
            settings = settings.withUnixSocket(socket);
        }
        if (timeout != null) {
            settings = settings.withRequestTimeout(timeout);
        }
        return settings.withAuthToken(resolveToken(environment).orElse(null));
    }

    private Optional<String> resolveToken(Map<String, String> environment) {
        if (token != null) {
            return Optional.of(token);
        }
        String fromEnvironment = environment.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment);
        }
        Path file = tokenFile != null ? tokenFile
                : Path.of(Optional.ofNullable(environment.get("STREAM_MANAGER_STORE_ROOT_DIR"))
                        .filter(d -> !d.isBlank()).orElse("edgestream-data")).resolve("auth-token");
        try {
            return Files.isReadable(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
