package io.github.edgestream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final Setting<Integer> PORT = Setting.of("server.port", SettingTypes.PORT).defaultValue(8088)
            .env("STREAM_MANAGER_SERVER_PORT").describe("TCP port.").build();
    static final Setting<Boolean> AUTH = Setting.of("server.authenticateClient", SettingTypes.BOOLEAN)
            .defaultValue(true).env("STREAM_MANAGER_AUTHENTICATE_CLIENT").describe("Require a token.").build();
    static final Setting<Long> SIZE = Setting.of("store.maxMessageSize", SettingTypes.BYTES).defaultValue(16L << 20)
            .validate(v -> v >= 1, "be at least 1 byte").describe("Largest message.").build();
    static final Setting<Duration> INTERVAL = Setting.of("store.retentionInterval", SettingTypes.DURATION)
            .defaultValue(Duration.ofSeconds(10)).describe("Retention pass.").build();
    static final Setting<Path> ROOT = Setting.of("store.rootDirectory", SettingTypes.PATH)
            .defaultValue(Path.of("data")).env("STREAM_MANAGER_STORE_ROOT_DIR").describe("Store.").build();
    static final Setting<Path> SOCKET = Setting.of("server.unixSocket", SettingTypes.PATH).describe("Socket.").build();
    static final Setting<Integer> POOL = Setting.of("exporter.threadPoolSize", SettingTypes.INT).defaultValue(5)
            .validate(v -> v >= 1, "be at least 1")
            .env("STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE", "STREAM_MANAGER_THREAD_POOL_SIZE")
            .describe("Exporter threads.").build();
    static final Setting<String> LEVEL = Setting.of("log.level", SettingTypes.oneOf("DEBUG", "INFO", "WARN"))
            .defaultValue("INFO").env("LOG_LEVEL").describe("Verbosity.").build();

    static final ConfigSchema SCHEMA = ConfigSchema.of(ROOT, SIZE, INTERVAL, PORT, SOCKET, AUTH, POOL, LEVEL);

    @TempDir
    Path directory;

    private Path file(String yaml) throws IOException {
        Path file = directory.resolve("edgestream.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void withNothingEverySettingHasItsDefault() throws Exception {
        Config config = ConfigLoader.load(SCHEMA, Optional.empty(), Map.of());

        assertThat(config.get(PORT)).isEqualTo(8088);
        assertThat(config.get(SIZE)).isEqualTo(16L << 20);
        assertThat(config.find(SOCKET)).isEmpty();
        assertThat(config.source(PORT)).isEqualTo(Config.Source.DEFAULT);
        assertThatThrownBy(() -> config.get(SOCKET)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFileOverridesDefaultsAndTheEnvironmentOverridesTheFile() throws Exception {
        Path file = file("""
                server:
                  port: 9000
                  unixSocket: /run/edgestream.sock
                store:
                  maxMessageSize: 64MiB
                  retentionInterval: 30s
                """);

        Config config = ConfigLoader.load(SCHEMA, Optional.of(file), Map.of("STREAM_MANAGER_SERVER_PORT", "9100",
                "STREAM_MANAGER_STORE_ROOT_DIR", ""));

        assertThat(config.get(PORT)).isEqualTo(9100);
        assertThat(config.source(PORT)).isEqualTo(Config.Source.ENVIRONMENT);
        assertThat(config.get(SOCKET)).isEqualTo(Path.of("/run/edgestream.sock"));
        assertThat(config.source(SOCKET)).isEqualTo(Config.Source.FILE);
        assertThat(config.get(SIZE)).isEqualTo(64L << 20);
        assertThat(config.get(INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(ROOT)).as("an empty environment variable counts as unset").isEqualTo(Path.of("data"));
    }

    @Test
    void theFirstSetOfSeveralEnvironmentVariablesWins() throws Exception {
        assertThat(ConfigLoader.load(SCHEMA, Optional.empty(), Map.of("STREAM_MANAGER_THREAD_POOL_SIZE", "3"))
                .get(POOL)).isEqualTo(3);
        assertThat(ConfigLoader.load(SCHEMA, Optional.empty(), Map.of("STREAM_MANAGER_THREAD_POOL_SIZE", "3",
                "STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE", "7")).get(POOL)).isEqualTo(7);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsSourceAndRule() throws Exception {
        Path file = file("""
                server:
                  prot: 80
                  authenticateClient: yes please
                store:
                  maxMessageSize: lots
                  retentionInterval: [1, 2]
                exporter:
                  threadPoolSize: 0
                mystery: 1
                """);

        assertThatThrownBy(() -> ConfigLoader.load(SCHEMA, Optional.of(file), Map.of(
                "STREAM_MANAGER_SERVER_PORT", "80x", "LOG_LEVEL", "loud")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException config = (ConfigException) e;
                    assertThat(config.problems()).extracting(ConfigProblem::message).containsExactlyInAnyOrder(
                            "server.prot (" + file + "): unknown setting; did you mean \"server.port\"?",
                            "server.authenticateClient is \"yes please\" (" + file + ") but must be true or false",
                            "store.maxMessageSize is \"lots\" (" + file + ") but must be a size such as 5242880,"
                                    + " 512KiB, 16MiB or 1GB",
                            "store.retentionInterval (" + file + "): must be a single value, not a list",
                            "exporter.threadPoolSize is \"0\" (" + file + ") but must be at least 1",
                            "mystery (" + file + "): unknown setting",
                            "server.port is \"80x\" (environment variable STREAM_MANAGER_SERVER_PORT) but must be a"
                                    + " whole number between 0 and 65535",
                            "log.level is \"loud\" (environment variable LOG_LEVEL) but must be one of DEBUG, INFO,"
                                    + " WARN");
                    assertThat(config.getMessage()).startsWith("8 problems in the configuration:\n  - ");
                });
    }

    @Test
    void aSectionGivenAsAValueIsAProblem() throws Exception {
        Path file = file("server: 8088\n");

        assertThatThrownBy(() -> ConfigLoader.load(SCHEMA, Optional.of(file), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server (" + file
                        + "): must be a map of settings (server.*)");
    }

    @Test
    void environmentReferencesInTheFileAreReplaced() throws Exception {
        Path file = file("""
                store:
                  rootDirectory: ${DATA_HOME}/edgestream
                server:
                  unixSocket: ${RUNTIME_DIR:-/run}/edgestream.sock
                """);

        Config config = ConfigLoader.load(SCHEMA, Optional.of(file), Map.of("DATA_HOME", "/var/lib"));

        assertThat(config.get(ROOT)).isEqualTo(Path.of("/var/lib/edgestream"));
        assertThat(config.get(SOCKET)).isEqualTo(Path.of("/run/edgestream.sock"));
        assertThatThrownBy(() -> ConfigLoader.load(SCHEMA, Optional.of(file), Map.of()))
                .hasMessageContaining("DATA_HOME is not set");
    }

    @Test
    void aMissingOrBrokenFileIsAProblemNotACrash() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(SCHEMA, Optional.of(directory.resolve("nope.yaml")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no such file");
        Path broken = file("server:\n  port: [1,\n");
        assertThatThrownBy(() -> ConfigLoader.load(SCHEMA, Optional.of(broken), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is not valid YAML")
                .hasMessageContaining("line");
        assertThat(ConfigLoader.load(SCHEMA, Optional.of(file("")), Map.of()).get(PORT)).isEqualTo(8088);
    }

    @Test
    void theRenderedDocumentationLoadsBackToEveryDefault() throws Exception {
        String yaml = ConfigDocs.renderYaml(SCHEMA);

        assertThat(yaml).contains("# TCP port. [env: STREAM_MANAGER_SERVER_PORT]\n  port: 8088\n")
                .contains("  maxMessageSize: 16MiB\n").contains("  # unixSocket:\n")
                .startsWith("store:\n  # Store. [env: STREAM_MANAGER_STORE_ROOT_DIR]\n  rootDirectory: data\n");
        Config config = ConfigLoader.load(SCHEMA, Optional.of(file(yaml)), Map.of());
        for (Setting<?> setting : SCHEMA.settings()) {
            assertThat(config.find(setting)).as(setting.key()).isEqualTo(setting.defaultValue());
        }
    }

    @Test
    void aSchemaRejectsDuplicateAndOverlappingKeys() {
        assertThatThrownBy(() -> ConfigSchema.of(PORT, PORT)).hasMessageContaining("defined twice");
        Setting<String> server = Setting.of("server", SettingTypes.STRING).build();
        assertThatThrownBy(() -> ConfigSchema.of(server, PORT)).hasMessageContaining("both a value and the parent");
        assertThatThrownBy(() -> Setting.of("pool", SettingTypes.INT).defaultValue(0)
                .validate(v -> v > 0, "be positive").build()).hasMessageContaining("breaks its own rule");
    }
}
