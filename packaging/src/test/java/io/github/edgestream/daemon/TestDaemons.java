package io.github.edgestream.daemon;

import io.github.edgestream.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** In-process daemons for the HTTP APIs' daemon tests: every port free, the HTTP port with a credentials file. */
final class TestDaemons {

    private TestDaemons() {
    }

    /**
     * Writes {@code config} (store in {@code data}; Greengrass, observability and HTTP ports free;
     * {@code http.credentialsFile}; then {@code moreYaml}, top-level keys or empty) and starts the daemon with
     * {@code token} as its Greengrass token.
     */
    static Daemon start(Path config, Path data, Path credentials, String token, String moreYaml) throws Exception {
        Files.writeString(config, """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                observability:
                  port: 0
                http:
                  port: 0
                  credentialsFile: %s
                """.formatted(data, credentials) + moreYaml);
        return Daemon.start(ConfigLoader.load(DaemonConfig.SCHEMA, Optional.of(config), Map.of()),
                Map.of("AWS_CONTAINER_AUTHORIZATION_TOKEN", token));
    }
}
