package io.github.edgestream.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as an operator uses it: unpacked into an empty directory, the daemon started from it with a config,
 * driven with its own CLI, scraped on /metrics, stopped with SIGTERM.
 */
class TarballIT {

    private static final Pattern TCP = Pattern.compile("ready in \\d+ ms: .* tcp 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern HTTP_PORT = Pattern.compile("/health on http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path root;
    private Process daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.destroyForcibly();
        }
    }

    @Test
    void unpackStartDriveScrapeAndStop() throws Exception {
        Path tarball;
        try (var files = Files.list(Path.of("target"))) {
            tarball = files.filter(p -> p.getFileName().toString().matches("edgestream-\\d.*\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("no tarball in target; run mvn package"));
        }
        assertThat(run(root, "tar", "xzf", tarball.toAbsolutePath().toString()).exitCode).isZero();
        Path home;
        try (var dirs = Files.list(root)) {
            home = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        for (String file : List.of("bin/edgestream", "conf/edgestream.yaml", "systemd/edgestream.service",
                "greengrass/recipe.yaml", "LICENSE", "README.md")) {
            assertThat(home.resolve(file)).exists();
        }
        assertThat(Files.isExecutable(home.resolve("bin/edgestream"))).isTrue();
        Path config = Files.writeString(root.resolve("gateway.yaml"), """
                store:
                  rootDirectory: %s
                server:
                  port: 0
                  authenticateClient: false
                observability:
                  port: 0
                """.formatted(root.resolve("data")));

        daemon = new ProcessBuilder(home.resolve("bin/edgestream").toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).start();
        var output = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        var lines = new ArrayList<String>();
        String port = null;
        String httpPort = null;
        while (port == null || httpPort == null) {
            String line = output.readLine();
            assertThat(line).as("the daemon's output so far: %s", lines).isNotNull();
            lines.add(line);
            Matcher tcp = TCP.matcher(line);
            if (tcp.find()) {
                port = tcp.group(1);
            }
            Matcher http = HTTP_PORT.matcher(line);
            if (http.find()) {
                httpPort = http.group(1);
            }
        }
        var rest = CompletableFuture.supplyAsync(() -> output.lines().toList());

        Path cli = home.resolve("bin/edgestream");
        assertThat(run(root, cli.toString(), "streams", "create", "line3", "--strategy", "reject", "--port", port)
                .exitCode).isZero();
        assertThat(run(root, cli.toString(), "append", "line3", "21.5", "21.7", "--port", port).exitCode).isZero();
        Result read = run(root, cli.toString(), "--json", "read", "line3", "--max", "10", "--port", port);
        assertThat(read.exitCode).isZero();
        assertThat(read.output).contains("\"payloadBase64\" : \"MjEuNQ==\"", "\"sequenceNumber\" : 1");

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("edgestream_stream_appended_messages_total{stream=\"line3\"} 2.0");

        daemon.toHandle().destroy();   // SIGTERM
        assertThat(daemon.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s of SIGTERM").isTrue();
        assertThat(daemon.exitValue()).isZero();
        assertThat(rest.get(5, TimeUnit.SECONDS)).anyMatch(line -> line.contains("stopped in"));
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
