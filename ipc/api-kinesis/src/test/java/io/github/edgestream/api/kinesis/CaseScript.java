package io.github.edgestream.api.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.fixture.NpmProject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * A script that drives an official client (the AWS JS v3 client in Node, boto3 in Python) through named cases and
 * prints one JSON line per case ({@code {"case", "ok", "detail", "error"?}}) and a last
 * {@code {"case": "summary", "passed", "failed"}}: run with a deadline (the process is destroyed at it), each case
 * becomes a JUnit dynamic test of its own.
 */
final class CaseScript {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run: the case lines printed, the summary line (or null), exit code and stderr. */
    record Run(String label, List<JsonNode> cases, JsonNode summary, int exitCode, String stderr) {
    }

    private CaseScript() {
    }

    /** Runs {@code command} in {@code directory}, destroying it at {@code timeout}. */
    static Run run(String label, List<String> command, Path directory, Map<String, String> environment,
            Duration timeout) throws Exception {
        Path stderr = Files.createTempFile("case-script-" + label, ".stderr.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = NpmProject.start(builder);
        List<JsonNode> cases = new ArrayList<>();
        JsonNode summary = null;
        AtomicBoolean killed = new AtomicBoolean();
        try {
            process.getOutputStream().close();
            // a hung script must not hang the build: kill it at the deadline, which ends the read loop below
            process.onExit().completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .thenAccept(exited -> {
                        if (exited == null) {
                            killed.set(true);
                            process.destroyForcibly();
                        }
                    });
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String text = out.readLine(); text != null; text = out.readLine()) {
                    if (!text.startsWith("{")) {
                        continue;
                    }
                    System.out.println(label + ": " + text);
                    JsonNode line = JSON.readTree(text);
                    if ("summary".equals(line.path("case").asText())) {
                        summary = line;
                    } else {
                        cases.add(line);
                    }
                }
            }
            int exit = process.waitFor();
            String err = Files.readString(stderr);
            if (killed.get()) {
                err = "(killed after " + timeout + ")\n" + err;
            }
            return new Run(label, cases, summary, exit, err);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(stderr);
        }
    }

    /** Each case of the run as a dynamic test, plus one that the script ran to its summary and exited 0. */
    static DynamicContainer asContainer(Run run) {
        List<DynamicNode> tests = new ArrayList<>();
        for (JsonNode line : run.cases()) {
            String name = line.path("case").asText("?");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (!line.path("ok").asBoolean(false)) {
                    String error = line.hasNonNull("error") ? "\n  error: " + line.get("error").asText() : "";
                    fail(run.label() + " " + name + ": " + line.path("detail").asText() + error);
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("the script ran to its summary", () -> {
            if (run.summary() == null) {
                fail(run.label() + " ended without its summary line, exit code " + run.exitCode()
                        + "; its stderr:\n" + run.stderr());
            }
            assertEquals(0, run.exitCode(), "exit code; stderr:\n" + run.stderr());
            assertEquals(run.cases().size(), run.summary().path("passed").asInt() + run.summary().path("failed")
                    .asInt(), "cases reported vs. counted in " + run.summary());
        }));
        return DynamicContainer.dynamicContainer(run.label(), tests);
    }
}
