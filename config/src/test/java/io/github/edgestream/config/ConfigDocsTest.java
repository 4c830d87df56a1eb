package io.github.edgestream.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commented defaults file, and that it loads back to every default. */
class ConfigDocsTest {

    @TempDir
    Path directory;

    private Config loadRendered(ConfigSchema schema) throws Exception {
        Path file = directory.resolve("defaults.yaml");
        Files.writeString(file, ConfigDocs.renderYaml(schema));
        return ConfigLoader.load(schema, Optional.of(file), Map.of());
    }

    @Test
    void everySettingIsListedNestedWithItsDescriptionVariablesAndDefault() {
        assertThat(ConfigDocs.renderYaml(ExampleSettings.SCHEMA)).isEqualTo("""
                store:
                  # Store. [env: STREAM_MANAGER_STORE_ROOT_DIR]
                  rootDirectory: data
                  # Largest message.
                  maxMessageSize: 16MiB
                  # Retention pass.
                  retentionInterval: 10s

                server:
                  # TCP port. [env: STREAM_MANAGER_SERVER_PORT]
                  port: 8088
                  # Socket.
                  # unixSocket:
                  # Require a token. [env: STREAM_MANAGER_AUTHENTICATE_CLIENT]
                  authenticateClient: true
                  # Address.
                  host: 127.0.0.1

                exporter:
                  # Exporter threads. [env: STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE, STREAM_MANAGER_THREAD_POOL_SIZE]
                  threadPoolSize: 5
                  # Upload limit; unset is unlimited. [env: STREAM_MANAGER_EXPORTER_MAX_BANDWIDTH]
                  # maxBandwidthKbps:

                log:
                  # Verbosity. [env: LOG_LEVEL]
                  level: INFO
                """);
    }

    @Test
    void theRenderedDocumentLoadsBackToEveryDefault() throws Exception {
        Config config = loadRendered(ExampleSettings.SCHEMA);

        for (Setting<?> setting : ExampleSettings.SCHEMA.settings()) {
            assertThat(config.find(setting)).as(setting.key()).isEqualTo(setting.defaultValue());
            assertThat(config.source(setting)).as(setting.key())
                    .isEqualTo(setting.defaultValue().isPresent() ? Config.Source.FILE : Config.Source.DEFAULT);
        }
    }

    // Defaults YAML would read as something else unless quoted.
    @Test
    void awkwardDefaultsAreQuotedSoTheyLoadBackUnchanged() throws Exception {
        ConfigSchema schema = ConfigSchema.of(
                text("a.nullWord", "null"), text("a.tilde", "~"), text("a.yes", "yes"), text("a.version", "1.10"),
                text("a.colon", "key: value"), text("a.hash", "x # not a comment"), text("a.dash", "-v"),
                text("a.quote", "say \"hi\" \\ bye"), text("a.braces", "{not: a map}"), text("a.star", "*alias"),
                text("a.tab", "a\tb"), text("a.unicode", "grüße"),
                Setting.of("b.subMillisecond", SettingTypes.DURATION).defaultValue(Duration.ofNanos(1_500)).build(),
                Setting.of("b.negative", SettingTypes.DURATION).defaultValue(Duration.ofSeconds(-5)).build(),
                Setting.of("b.path", SettingTypes.PATH).defaultValue(Path.of("/var/lib/edge stream")).build(),
                Setting.of("b.size", SettingTypes.BYTES).defaultValue(1000L).build(),
                Setting.of("b.min", SettingTypes.LONG).defaultValue(Long.MIN_VALUE).build());

        Config config = loadRendered(schema);

        for (Setting<?> setting : schema.settings()) {
            assertThat(config.find(setting)).as(setting.key()).isEqualTo(setting.defaultValue());
        }
    }

    @Test
    void aSectionIsWrittenOnceEvenIfTheSchemaListsItsSettingsApart() throws Exception {
        Setting<Integer> first = Setting.of("server.port", SettingTypes.PORT).defaultValue(1).build();
        Setting<Integer> middle = Setting.of("log.depth.max", SettingTypes.INT).defaultValue(2).build();
        Setting<Integer> last = Setting.of("server.backlog", SettingTypes.INT).defaultValue(3).build();
        Setting<Integer> top = Setting.of("verbose", SettingTypes.INT).defaultValue(4).describe("Top level.").build();
        ConfigSchema schema = ConfigSchema.of(first, middle, last, top);

        assertThat(ConfigDocs.renderYaml(schema)).isEqualTo("""
                server:
                  port: 1
                  backlog: 3

                log:
                  depth:
                    max: 2
                # Top level.
                verbose: 4
                """);
        assertThat(loadRendered(schema).get(last)).isEqualTo(3);
    }

    private static Setting<String> text(String key, String defaultValue) {
        return Setting.of(key, SettingTypes.STRING).defaultValue(defaultValue).build();
    }
}
