package io.github.edgestream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgestream config defaults | check}, and the defaults file shipped in the distribution. */
class ConfigCommandTest {

    private static final Path SHIPPED = Path.of("src", "dist", "conf", "edgestream.yaml");

    @TempDir
    Path root;

    @Test
    void theShippedDefaultsFileIsWhatConfigDefaultsPrints() throws Exception {
        assertThat(Files.readString(SHIPPED))
                .as("regenerate it: packaging/target/edgestream/bin/edgestream config defaults > " + SHIPPED)
                .isEqualTo(Cli.run("config", "defaults").out);
    }

    @Test
    void theShippedDefaultsFileLoadsAndChecksCleanAsTheDefaults() {
        Cli.Result result = Cli.run("config", "check", "--config", SHIPPED.toString());

        assertThat(result.code).isZero();
        assertThat(result.out).contains("server.port").containsPattern("server.port +8088 +" + SHIPPED)
                .containsPattern("server.unixSocket +\\(not set\\) +default");
    }

    @Test
    void checkNamesWhereEachValueCameFrom() throws Exception {
        Path file = root.resolve("edgestream.yaml");
        Files.writeString(file, "server:\n  maxConnections: 16\n");

        Cli.Result result = Cli.run(Map.of("STREAM_MANAGER_SERVER_PORT", "9000"),
                "--json", "config", "check", "--config", file.toString());

        assertThat(result.code).isZero();
        assertThat(result.out).contains("\"server.port\" : {").contains("\"value\" : \"9000\"")
                .contains("\"source\" : \"environment\"")
                .contains("\"value\" : \"16\"").contains("\"source\" : \"" + file + "\"");
    }

    @Test
    void checkListsEveryProblemAndExits4() throws Exception {
        Path file = root.resolve("edgestream.yaml");
        Files.writeString(file, "server:\n  prot: 1\nlog:\n  level: LOUD\n");

        Cli.Result result = Cli.run("config", "check", "--config", file.toString());

        assertThat(result.code).isEqualTo(ExitCodes.CONFIG);
        assertThat(result.err).contains("2 problems").contains("server.prot").contains("log.level is \"LOUD\"");
    }

    /** Runs the CLI in-process. */
    private static final class Cli {
        record Result(int code, String out, String err) {
        }

        static Result run(String... args) {
            return run(Map.of(), args);
        }

        static Result run(Map<String, String> environment, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = EdgestreamCli.execute(new PrintWriter(out), new PrintWriter(err),
                    new ByteArrayInputStream(new byte[0]), environment, args);
            return new Result(code, out.toString(), err.toString());
        }
    }
}
