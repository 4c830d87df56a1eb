package io.github.edgestream.config;

import static io.github.edgestream.config.ExampleSettings.AUTH;
import static io.github.edgestream.config.ExampleSettings.HOST;
import static io.github.edgestream.config.ExampleSettings.PORT;
import static io.github.edgestream.config.ExampleSettings.SCHEMA;
import static io.github.edgestream.config.ExampleSettings.SOCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The YAML file's rules: a strict tree of maps, read as written. */
class ConfigFileTest {

    @TempDir
    Path directory;

    private Path file(String yaml) throws IOException {
        Path file = directory.resolve("edgestream.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static Config load(Path file) throws ConfigException {
        return ConfigLoader.load(SCHEMA, Optional.of(file), Map.of());
    }

    private static List<String> problems(Path file) {
        return catchThrowableOfType(ConfigException.class, () -> load(file)).problems().stream()
                .map(ConfigProblem::message).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "# only a comment\n", "---\n", "~\n"})
    void anEmptyFileGivesTheDefaults(String yaml) throws Exception {
        Config config = load(file(yaml));

        assertThat(config.get(PORT)).isEqualTo(8088);
        assertThat(config.source(PORT)).isEqualTo(Config.Source.DEFAULT);
    }

    @Test
    void emptyValuesAndEmptySectionsCountAsNotSet() throws Exception {
        Config config = load(file("server:\n  port:\n  host: ~\n  unixSocket: ''\nstore:\nexporter: {}\n"));

        assertThat(config.get(PORT)).isEqualTo(8088);
        assertThat(config.get(HOST)).isEqualTo("127.0.0.1");
        assertThat(config.find(SOCKET)).isEmpty();
    }

    @Test
    void anUnknownKeyIsAProblemWithTheClosestKnownKeyOrSection() throws Exception {
        Path file = file("""
                server:
                  prot: 80
                  Port: 81
                sever:
                  host: x
                store:
                  rootDirectory: data
                  completelyDifferent: 1
                lg: {}
                """);

        assertThat(problems(file)).containsExactly(
                "server.prot (" + file + "): unknown setting; did you mean \"server.port\"?",
                "server.Port (" + file + "): unknown setting; did you mean \"server.port\"?",
                "sever (" + file + "): unknown setting; did you mean \"server\"?",
                "store.completelyDifferent (" + file + "): unknown setting",
                "lg (" + file + "): unknown setting; did you mean \"log\"?");
    }

    @Test
    void aMapOrListWhereAValueBelongsIsAProblem() throws Exception {
        Path file = file("server:\n  port:\n    number: 8088\n  host: [a, b]\n");

        assertThat(problems(file)).containsExactly(
                "server.port (" + file + "): must be a single value, not a map",
                "server.host (" + file + "): must be a single value, not a list");
    }

    @Test
    void aValueOrListWhereASectionBelongsIsAProblem() throws Exception {
        Path file = file("server: 8088\nstore: [a]\n");

        assertThat(problems(file)).containsExactly(
                "server (" + file + "): must be a map of settings (server.*), not a single value",
                "store (" + file + "): must be a map of settings (store.*), not a list");
    }

    @Test
    void theTopLevelMustBeAMap() throws Exception {
        Path file = file("- server\n- store\n");

        assertThat(problems(file)).containsExactly(file + ": the top level must be a map of settings, not a list");
    }

    @Test
    void aDottedKeyIsAProblemNamingTheNestedSpelling() throws Exception {
        Path file = file("server.port: 9000\nserver:\n  \"tls.enabled\": true\nlog.levl: INFO\n");

        assertThat(problems(file)).containsExactly(
                "server.port (" + file + "): must be written nested, server: {port: ...}, not as one dotted key",
                "server.tls.enabled (" + file + "): unknown setting",
                "log.levl (" + file + "): unknown setting; did you mean \"log.level\"?");
    }

    // A repeated section would otherwise silently replace the first one, settings and all.
    @Test
    void aKeyGivenTwiceInOneMapIsAProblem() throws Exception {
        Path file = file("""
                server:
                  port: 9000
                store:
                  rootDirectory: a
                server:
                  host: 0.0.0.0
                  host: 0.0.0.1
                """);

        assertThat(problems(file)).containsExactly(
                "server (" + file + "): is given twice (lines 1 and 5); keep one",
                "server.host (" + file + "): is given twice (lines 6 and 7); keep one");
    }

    @Test
    void anAliasIsAProblem() throws Exception {
        Path file = file("server:\n  host: &address 127.0.0.1\nstore:\n  rootDirectory: *address\n");

        assertThat(problems(file)).containsExactly(
                "store.rootDirectory (" + file + "): must be written out, not a YAML alias (*address)");
    }

    @Test
    void aSecondDocumentIsAProblem() throws Exception {
        Path file = file("server:\n  port: 1\n---\nserver:\n  port: 2\n");

        assertThat(problems(file)).containsExactly(file + ": holds more than one YAML document; keep every setting in"
                + " one");
    }

    // YAML 1.1 would make these true, 8, 31 and 1.1 before the setting's type saw them.
    @Test
    void valuesAreReadAsWrittenNotAsYamlWouldConvertThem() throws Exception {
        Path file = file("server:\n  authenticateClient: yes\n  port: 0x1F\n  host: 1.10\nstore:\n"
                + "  rootDirectory: 010\n");

        assertThat(problems(file)).containsExactly(
                "server.port is \"0x1F\" (" + file + ") but must be a whole number between 0 and 65535",
                "server.authenticateClient is \"yes\" (" + file + ") but must be true or false");
        Config config = load(file("server:\n  port: 010\n  host: 1.10\n  authenticateClient: FALSE\n"));
        assertThat(config.get(PORT)).isEqualTo(10);
        assertThat(config.get(HOST)).isEqualTo("1.10");
        assertThat(config.get(AUTH)).isFalse();
    }

    @Test
    void quotedAndBlockValuesAreTheirText() throws Exception {
        Config config = load(file("server:\n  port: \"9000\"\n  host: 'local host'\n  unixSocket: >\n"
                + "    /run/edgestream.sock\n"));

        assertThat(config.get(PORT)).isEqualTo(9000);
        assertThat(config.get(HOST)).isEqualTo("local host");
        assertThat(config.get(SOCKET)).isEqualTo(Path.of("/run/edgestream.sock"));
    }

    @Test
    void aMissingFileIsAProblem() {
        Path missing = directory.resolve("nope.yaml");

        assertThat(problems(missing)).containsExactly(missing + ": cannot read the config file: no such file");
    }

    @Test
    void aDirectoryIsAProblem() {
        assertThat(problems(directory)).containsExactly(directory + ": cannot read the config file: it is a"
                + " directory");
    }

    @Test
    void aFileThatIsNotUtf8IsAProblem() throws Exception {
        Path file = directory.resolve("latin1.yaml");
        Files.write(file, new byte[] {'h', 'o', 's', 't', ':', ' ', (byte) 0xE9, '\n'});

        assertThat(problems(file)).containsExactly(file + ": cannot read the config file: it is not UTF-8 text");
    }

    @Test
    void aYamlSyntaxErrorIsOneProblemWithItsLineAndColumn() throws Exception {
        Path file = file("server:\n  port: 1\n  host: a: b\n");

        assertThat(problems(file)).containsExactly(file + ": is not valid YAML: mapping values are not allowed here at"
                + " line 3, column 10");
    }

    @Test
    void anUnclosedListIsOneProblemOnOneLine() throws Exception {
        Path file = file("server:\n  port: [1,\n");

        List<String> problems = problems(file);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith(file + ": is not valid YAML: ").contains("at line 2, column")
                .doesNotContain("\n");
    }

    @Test
    void fileProblemsAreReportedTogetherWithEnvironmentProblems() {
        Path missing = directory.resolve("nope.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(SCHEMA,
                Optional.of(missing), Map.of("STREAM_MANAGER_SERVER_PORT", "-1")));

        assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
                missing + ": cannot read the config file: no such file",
                "server.port is \"-1\" (environment variable STREAM_MANAGER_SERVER_PORT) but must be a whole number"
                        + " between 0 and 65535");
    }
}
