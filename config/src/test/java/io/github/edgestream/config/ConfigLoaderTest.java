package io.github.edgestream.config;

import static io.github.edgestream.config.ExampleSettings.AUTH;
import static io.github.edgestream.config.ExampleSettings.BANDWIDTH;
import static io.github.edgestream.config.ExampleSettings.INTERVAL;
import static io.github.edgestream.config.ExampleSettings.LEVEL;
import static io.github.edgestream.config.ExampleSettings.POOL;
import static io.github.edgestream.config.ExampleSettings.PORT;
import static io.github.edgestream.config.ExampleSettings.ROOT;
import static io.github.edgestream.config.ExampleSettings.SCHEMA;
import static io.github.edgestream.config.ExampleSettings.SIZE;
import static io.github.edgestream.config.ExampleSettings.SOCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Precedence (default < file < environment), substitution, and every problem reported at once. */
class ConfigLoaderTest {

    @TempDir
    Path directory;

    private Path file(String yaml) throws IOException {
        Path file = directory.resolve("edgestream.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static ConfigException problemsOf(Path file, Map<String, String> environment) {
        return catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(SCHEMA, Optional.ofNullable(file), environment));
    }

    @Test
    void withNoFileAndNoEnvironmentEverySettingHasItsDefault() throws Exception {
        Config config = ConfigLoader.load(SCHEMA, Optional.empty(), Map.of());

        for (Setting<?> setting : SCHEMA.settings()) {
            assertThat(config.find(setting)).as(setting.key()).isEqualTo(setting.defaultValue());
            assertThat(config.source(setting)).as(setting.key()).isEqualTo(Config.Source.DEFAULT);
        }
        assertThat(config.get(PORT)).isEqualTo(8088);
        assertThat(config.get(SIZE)).isEqualTo(16L << 20);
    }

    @Test
    void anOptionalSettingWithoutValueIsEmptyAndGetRefusesIt() throws Exception {
        Config config = ConfigLoader.load(SCHEMA, Optional.empty(), Map.of());

        assertThat(config.find(SOCKET)).isEmpty();
        assertThatThrownBy(() -> config.get(SOCKET)).isInstanceOf(IllegalStateException.class)
                .hasMessage("server.unixSocket has no value");
    }

    @Test
    void theFileOverridesTheDefaults() throws Exception {
        Path file = file("""
                server:
                  port: 9000
                  unixSocket: /run/edgestream.sock
                store:
                  maxMessageSize: 64MiB
                  retentionInterval: 30s
                """);

        Config config = ConfigLoader.load(SCHEMA, Optional.of(file), Map.of());

        assertThat(config.get(PORT)).isEqualTo(9000);
        assertThat(config.source(PORT)).isEqualTo(Config.Source.FILE);
        assertThat(config.get(SOCKET)).isEqualTo(Path.of("/run/edgestream.sock"));
        assertThat(config.get(SIZE)).isEqualTo(64L << 20);
        assertThat(config.get(INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(ROOT)).isEqualTo(Path.of("data"));
        assertThat(config.source(ROOT)).isEqualTo(Config.Source.DEFAULT);
    }

    @Test
    void theEnvironmentOverridesTheFile() throws Exception {
        Path file = file("server:\n  port: 9000\n");

        Config config = ConfigLoader.load(SCHEMA, Optional.of(file), Map.of("STREAM_MANAGER_SERVER_PORT", "9100"));

        assertThat(config.get(PORT)).isEqualTo(9100);
        assertThat(config.source(PORT)).isEqualTo(Config.Source.ENVIRONMENT);
    }

    @Test
    void theEnvironmentOverridesTheDefaultWithoutAFile() throws Exception {
        Config config = ConfigLoader.load(SCHEMA, Optional.empty(), Map.of("STREAM_MANAGER_EXPORTER_MAX_BANDWIDTH",
                "512", "LOG_LEVEL", "debug"));

        assertThat(config.find(BANDWIDTH)).contains(512L);
        assertThat(config.get(LEVEL)).isEqualTo("DEBUG");
        assertThat(config.source(LEVEL)).isEqualTo(Config.Source.ENVIRONMENT);
    }

    // Greengrass recipes pass "" for every parameter nobody set.
    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void anEmptyEnvironmentVariableCountsAsUnset(String empty) throws Exception {
        Path file = file("server:\n  port: 9000\n");

        Config config = ConfigLoader.load(SCHEMA, Optional.of(file), Map.of("STREAM_MANAGER_SERVER_PORT", empty,
                "STREAM_MANAGER_STORE_ROOT_DIR", empty));

        assertThat(config.get(PORT)).isEqualTo(9000);
        assertThat(config.source(PORT)).isEqualTo(Config.Source.FILE);
        assertThat(config.get(ROOT)).isEqualTo(Path.of("data"));
        assertThat(config.source(ROOT)).isEqualTo(Config.Source.DEFAULT);
    }

    @Test
    void theFirstSetOfSeveralEnvironmentVariablesWins() throws Exception {
        assertThat(ConfigLoader.load(SCHEMA, Optional.empty(), Map.of("STREAM_MANAGER_THREAD_POOL_SIZE", "3"))
                .get(POOL)).isEqualTo(3);
        assertThat(ConfigLoader.load(SCHEMA, Optional.empty(), Map.of("STREAM_MANAGER_THREAD_POOL_SIZE", "3",
                "STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE", "7")).get(POOL)).isEqualTo(7);
        assertThat(ConfigLoader.load(SCHEMA, Optional.empty(), Map.of("STREAM_MANAGER_THREAD_POOL_SIZE", "3",
                "STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE", "")).get(POOL)).isEqualTo(3);
    }

    @Test
    void anInvalidEnvironmentValueIsAProblemNotAFallBackToTheFile() throws Exception {
        Path file = file("server:\n  port: 9000\n");

        ConfigException e = problemsOf(file, Map.of("STREAM_MANAGER_SERVER_PORT", "80x"));

        assertThat(e.problems()).containsExactly(new ConfigProblem("server.port", "80x",
                "environment variable STREAM_MANAGER_SERVER_PORT", "be a whole number between 0 and 65535"));
        assertThat(e.problems().get(0).message()).isEqualTo("server.port is \"80x\" (environment variable"
                + " STREAM_MANAGER_SERVER_PORT) but must be a whole number between 0 and 65535");
    }

    // Otherwise the file breaks on the day the variable goes away.
    @Test
    void aBadFileValueIsReportedEvenWhenTheEnvironmentOverridesIt() throws Exception {
        Path file = file("server:\n  port: 80x\n");

        ConfigException e = problemsOf(file, Map.of("STREAM_MANAGER_SERVER_PORT", "9100"));

        assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
                "server.port is \"80x\" (" + file + ") but must be a whole number between 0 and 65535");
    }

    @Test
    void aSettingsOwnRuleIsCheckedForEverySource() throws Exception {
        Path file = file("exporter:\n  threadPoolSize: 0\n");

        assertThat(problemsOf(file, Map.of()).problems()).extracting(ConfigProblem::message).containsExactly(
                "exporter.threadPoolSize is \"0\" (" + file + ") but must be at least 1");
        assertThat(problemsOf(null, Map.of("STREAM_MANAGER_THREAD_POOL_SIZE", "-2")).problems())
                .extracting(ConfigProblem::message).containsExactly("exporter.threadPoolSize is \"-2\" (environment"
                        + " variable STREAM_MANAGER_THREAD_POOL_SIZE) but must be at least 1");
    }

    @Test
    void everyProblemIsReportedAtOnceFileFirstThenInSchemaOrder() throws Exception {
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

        ConfigException e = problemsOf(file, Map.of("STREAM_MANAGER_SERVER_PORT", "80x", "LOG_LEVEL", "loud"));

        assertThat(e.problems()).hasSize(8).extracting(ConfigProblem::message).containsExactly(
                "server.prot (" + file + "): unknown setting; did you mean \"server.port\"?",
                "store.retentionInterval (" + file + "): must be a single value, not a list",
                "mystery (" + file + "): unknown setting",
                "store.maxMessageSize is \"lots\" (" + file + ") but must be a size such as 5242880, 512KiB, 16MiB"
                        + " or 1GB",
                "server.port is \"80x\" (environment variable STREAM_MANAGER_SERVER_PORT) but must be a whole number"
                        + " between 0 and 65535",
                "server.authenticateClient is \"yes please\" (" + file + ") but must be true or false",
                "exporter.threadPoolSize is \"0\" (" + file + ") but must be at least 1",
                "log.level is \"loud\" (environment variable LOG_LEVEL) but must be one of DEBUG, INFO, WARN");
        assertThat(e.getMessage()).startsWith("8 problems in the configuration:\n  - server.prot (")
                .endsWith("\n  - log.level is \"loud\" (environment variable LOG_LEVEL) but must be one of DEBUG,"
                        + " INFO, WARN")
                .hasLineCount(9);
    }

    @Test
    void oneProblemIsSummedUpInTheSingular() throws Exception {
        ConfigException e = problemsOf(null, Map.of("LOG_LEVEL", "loud"));

        assertThat(e.getMessage()).isEqualTo("1 problem in the configuration:\n  - log.level is \"loud\""
                + " (environment variable LOG_LEVEL) but must be one of DEBUG, INFO, WARN");
    }

    @Test
    void environmentReferencesInTheFileAreReplaced() throws Exception {
        Path file = file("""
                store:
                  rootDirectory: ${DATA_HOME}/edgestream
                server:
                  unixSocket: ${RUNTIME_DIR:-/run}/edgestream.sock
                  host: ${HOST_ADDRESS:-127.0.0.1}
                """);

        Config config = ConfigLoader.load(SCHEMA, Optional.of(file), Map.of("DATA_HOME", "/var/lib",
                "HOST_ADDRESS", "0.0.0.0"));

        assertThat(config.get(ROOT)).isEqualTo(Path.of("/var/lib/edgestream"));
        assertThat(config.source(ROOT)).isEqualTo(Config.Source.FILE);
        assertThat(config.get(SOCKET)).isEqualTo(Path.of("/run/edgestream.sock"));
        assertThat(config.get(ExampleSettings.HOST)).isEqualTo("0.0.0.0");
    }

    @Test
    void anEmptyVariableTakesTheFallback() throws Exception {
        Path file = file("server:\n  unixSocket: ${RUNTIME_DIR:-/run}/edgestream.sock\n");

        Config config = ConfigLoader.load(SCHEMA, Optional.of(file), Map.of("RUNTIME_DIR", ""));

        assertThat(config.get(SOCKET)).isEqualTo(Path.of("/run/edgestream.sock"));
    }

    @Test
    void aReferenceThatComesOutEmptyLeavesTheSettingUnset() throws Exception {
        Path file = file("server:\n  port: ${PORT:-}\n  unixSocket: ${SOCKET:-}\n");

        Config config = ConfigLoader.load(SCHEMA, Optional.of(file), Map.of());

        assertThat(config.get(PORT)).isEqualTo(8088);
        assertThat(config.source(PORT)).isEqualTo(Config.Source.DEFAULT);
        assertThat(config.find(SOCKET)).isEmpty();
    }

    @Test
    void aReferenceToAnUnsetVariableIsAProblemPerVariable() throws Exception {
        Path file = file("store:\n  rootDirectory: ${DATA_HOME}/${APP}\n");

        ConfigException e = problemsOf(file, Map.of("DATA_HOME", ""));

        assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
                "store.rootDirectory is \"${DATA_HOME}/${APP}\" (" + file + ") but must refer only to set environment"
                        + " variables (DATA_HOME is not set; ${DATA_HOME:-fallback} gives a fallback)",
                "store.rootDirectory is \"${DATA_HOME}/${APP}\" (" + file + ") but must refer only to set environment"
                        + " variables (APP is not set; ${APP:-fallback} gives a fallback)");
    }

    @Test
    void aSubstitutedValueIsCheckedLikeAnyOther() throws Exception {
        Path file = file("server:\n  port: ${PORT}\n");

        ConfigException e = problemsOf(file, Map.of("PORT", "http"));

        assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
                "server.port is \"http\" (" + file + ") but must be a whole number between 0 and 65535");
    }

    @Test
    void theEnvironmentIsOnlyWhatTheCallerPasses() throws Exception {
        // PATH and HOME are set in any real process environment; the loader must not see them
        Setting<String> path = Setting.of("path", SettingTypes.STRING).env("PATH", "HOME").build();

        Config config = ConfigLoader.load(ConfigSchema.of(path), Optional.empty(), Map.of());

        assertThat(config.find(path)).isEmpty();
    }

    @Test
    void aConfigAnswersOnlyForTheSettingsOfItsSchema() throws Exception {
        Config config = ConfigLoader.load(SCHEMA, Optional.empty(), Map.of());
        Setting<Integer> lookalike = Setting.of("server.port", SettingTypes.PORT).defaultValue(1).build();

        assertThatThrownBy(() -> config.get(lookalike)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("server.port is not a setting of this configuration's schema");
        assertThatThrownBy(() -> config.source(lookalike)).isInstanceOf(IllegalArgumentException.class);
        assertThat(config.get(AUTH)).isTrue();
    }
}
