package io.github.edgestream.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code systemd-analyze verify} on the unit, after {@code mvn package} built the launcher it starts. */
class SystemdUnitIT {

    private static final Path UNIT = Path.of("src", "dist", "systemd", "edgestream.service");

    @TempDir
    Path root;

    @Test
    void systemdAnalyzeVerifyFindsNothingToSay() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Path launcher = Path.of("target", "edgestream", "bin", "edgestream").toAbsolutePath();
        Assumptions.assumeTrue(Files.isExecutable(launcher), "run mvn package first");
        // verify checks that ExecStart exists: point it at the distribution built here
        Path copy = root.resolve("edgestream.service");
        Files.writeString(copy, Files.readString(UNIT).replace("/opt/edgestream/bin/edgestream", launcher.toString()));

        Process verify = new ProcessBuilder(analyze.toString(), "verify", copy.toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).as("systemd-analyze verify output").isBlank();
    }
}
