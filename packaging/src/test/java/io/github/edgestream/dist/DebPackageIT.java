package io.github.edgestream.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb that {@code mvn package} built, read with dpkg-deb: what it installs and what its scripts do. */
class DebPackageIT {

    private static Path deb;

    @TempDir
    Path root;

    @BeforeAll
    static void findTheDeb() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "dpkg-deb is not installed");
        try (var files = Files.list(Path.of("target"))) {
            deb = files.filter(p -> p.getFileName().toString().endsWith("_all.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no .deb in target; run mvn package"));
        }
    }

    private static String dpkgDeb(String... args) throws Exception {
        var command = new java.util.ArrayList<String>(java.util.List.of("dpkg-deb"));
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void installsUnderOptEtcAndTheSystemdDirectoryWithTheConfigAsAConffile() throws Exception {
        String contents = dpkgDeb("--contents", deb.toString());

        assertThat(contents).contains("./opt/edgestream/bin/edgestream", "./opt/edgestream/lib/",
                "./etc/edgestream/edgestream.yaml", "./lib/systemd/system/edgestream.service", "./var/lib/edgestream/");
        assertThat(contents).containsPattern("-rwxr-xr-x .* \\./opt/edgestream/bin/edgestream");
        String info = dpkgDeb("--info", deb.toString());
        assertThat(info).contains("Package: edgestream", "Architecture: all", "java17-runtime-headless");

        dpkgDeb("--control", deb.toString(), root.toString());
        assertThat(Files.readString(root.resolve("conffiles")).strip()).isEqualTo("/etc/edgestream/edgestream.yaml");
        dpkgDeb("--extract", deb.toString(), root.resolve("data").toString());
        assertThat(Files.readString(root.resolve("data/etc/edgestream/edgestream.yaml")))
                .contains("rootDirectory: /var/lib/edgestream");
    }

    // an operator decides when the service runs: installing must not start or enable it
    @Test
    void theScriptsCreateTheUserAndTheStoreAndStartNothing() throws Exception {
        dpkgDeb("--control", deb.toString(), root.toString());
        String postinst = Files.readString(root.resolve("postinst"));
        String postrm = Files.readString(root.resolve("postrm"));

        assertThat(postinst).contains("adduser --system --group", "/var/lib/edgestream", "chmod 0750");
        assertThat(postinst.lines().filter(line -> !line.trim().startsWith("#")))
                .noneMatch(line -> line.contains("systemctl start") || line.contains("systemctl enable")
                        || line.contains("systemctl restart"));
        // data and user go only on purge
        assertThat(postrm.substring(postrm.indexOf("purge)"))).contains("rm -rf /var/lib/edgestream");
        assertThat(postrm.substring(postrm.indexOf("remove)"), postrm.indexOf("purge)")))
                .doesNotContain("/var/lib/edgestream");
    }
}
