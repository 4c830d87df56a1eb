package io.github.edgestream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a setting and a schema accept when they are declared; mistakes here are programming errors. */
class SettingTest {

    @Test
    void aSettingKeepsWhatItWasBuiltWith() {
        Setting<Integer> port = Setting.of("server.port", SettingTypes.PORT).defaultValue(8088)
                .env("STREAM_MANAGER_SERVER_PORT").env("PORT").describe("  TCP port.  ").build();

        assertThat(port.key()).isEqualTo("server.port");
        assertThat(port.type()).isSameAs(SettingTypes.PORT);
        assertThat(port.defaultValue()).contains(8088);
        assertThat(port.environmentVariables()).containsExactly("STREAM_MANAGER_SERVER_PORT", "PORT");
        assertThat(port.description()).isEqualTo("TCP port.");
        assertThat(port).hasToString("server.port");
    }

    @Test
    void aSettingWithoutDefaultIsOptional() {
        Setting<String> socket = Setting.of("server.unixSocket", SettingTypes.STRING).build();

        assertThat(socket.defaultValue()).isEmpty();
        assertThat(socket.environmentVariables()).isEmpty();
        assertThat(socket.description()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "server.", ".port", "server..port", "server port", "server-port", "1server",
            "server.1port", "server/port"})
    void aKeyIsDottedWords(String key) {
        assertThatThrownBy(() -> Setting.of(key, SettingTypes.INT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a setting key is dotted words, not \"" + key + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1PORT", "SERVER-PORT", "SERVER PORT"})
    void anEnvironmentVariableNameIsAnIdentifier(String name) {
        assertThatThrownBy(() -> Setting.of("server.port", SettingTypes.PORT).env(name))
                .hasMessage("server.port: \"" + name + "\" is not an environment variable name");
    }

    @Test
    void aDescriptionIsOneLine() {
        assertThatThrownBy(() -> Setting.of("server.port", SettingTypes.PORT).describe("TCP\nport"))
                .hasMessage("the description of server.port must be one line");
    }

    @Test
    void checksRunInOrderAndTheFirstFailureIsReported() {
        Setting<Integer> pool = Setting.of("pool", SettingTypes.INT).validate(v -> v >= 1, "be at least 1")
                .validate(v -> v <= 64, "be at most 64").validate(v -> v % 2 == 0, "be even").build();

        assertThat(pool.parse("8")).isEqualTo(8);
        assertThatThrownBy(() -> pool.parse("0")).hasMessage("be at least 1");
        assertThatThrownBy(() -> pool.parse("65")).hasMessage("be at most 64");
        assertThatThrownBy(() -> pool.parse("7")).hasMessage("be even");
        assertThatThrownBy(() -> pool.parse("x")).hasMessage("be a whole number");
    }

    @Test
    void aDefaultMustKeepItsOwnRules() {
        assertThatThrownBy(() -> Setting.of("pool", SettingTypes.INT).defaultValue(0)
                .validate(v -> v > 0, "be positive").build())
                .hasMessage("the default of pool breaks its own rule: must be positive");
        assertThatThrownBy(() -> Setting.of("host", SettingTypes.STRING).defaultValue(" ").build())
                .hasMessage("the default of host renders as \" \", which its type rejects: must not be empty");
    }

    // Otherwise the commented defaults file would not load back to the defaults.
    @Test
    void aDefaultMustReadBackFromItsRendering() {
        SettingType<Integer> lossy = SettingType.of("a number", Integer::valueOf, v -> String.valueOf(v / 10 * 10));

        assertThatThrownBy(() -> Setting.of("n", lossy).defaultValue(15).build())
                .hasMessage("the default of n renders as \"10\", which reads back as 10, not 15");
    }

    @Test
    void aSchemaKeepsItsOrder() {
        Setting<Integer> b = Setting.of("b.x", SettingTypes.INT).build();
        Setting<Integer> a = Setting.of("a.x", SettingTypes.INT).build();

        assertThat(ConfigSchema.of(b, a).settings()).containsExactly(b, a);
    }

    @Test
    void aSchemaRejectsDuplicateKeys() {
        Setting<Integer> port = Setting.of("server.port", SettingTypes.PORT).build();
        Setting<Integer> samePort = Setting.of("server.port", SettingTypes.INT).build();

        assertThatThrownBy(() -> ConfigSchema.of(port, samePort)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting server.port is defined twice");
    }

    // The file could not hold both "server: 1" and "server: {port: 1}".
    @Test
    void aSchemaRejectsAKeyThatIsAlsoASection() {
        Setting<Integer> port = Setting.of("server.port", SettingTypes.PORT).build();
        Setting<String> server = Setting.of("server", SettingTypes.STRING).build();

        assertThatThrownBy(() -> ConfigSchema.of(server, port))
                .hasMessage("server cannot be both a value and the parent of server.port");
        assertThatThrownBy(() -> ConfigSchema.of(port, server))
                .hasMessage("server cannot be both a value and the parent of server.port");
    }

    @Test
    void aConfigExceptionNeedsAProblem() {
        assertThatThrownBy(() -> new ConfigException(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProblemPrintsInOneOfThreeShapes() {
        assertThat(new ConfigProblem("server.port", "80x", "environment variable PORT", "be a port").message())
                .isEqualTo("server.port is \"80x\" (environment variable PORT) but must be a port");
        assertThat(new ConfigProblem("server.prot", null, "/etc/x.yaml", "unknown setting").message())
                .isEqualTo("server.prot (/etc/x.yaml): unknown setting");
        assertThat(new ConfigProblem(null, null, "/etc/x.yaml", "cannot read the config file: no such file"))
                .hasToString("/etc/x.yaml: cannot read the config file: no such file");
    }
}
