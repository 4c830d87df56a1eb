package io.github.edgestream.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one fault test: printed when it ends and appended to {@code target/fault-report.md}, the table
 * packaging/FAULTS.md keeps from a large run. Not thread-safe.
 */
final class FaultReport {

    private static final Path FILE = Path.of("target", "fault-report.md");

    private final String test;
    private final Map<String, String> figures = new LinkedHashMap<>();

    FaultReport(String test) {
        this.test = test;
    }

    FaultReport put(String name, Object value) {
        figures.put(name, value instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : String.valueOf(value));
        return this;
    }

    /** Prints the figures and appends them to the report file. */
    void publish() {
        StringBuilder line = new StringBuilder("| " + test + " | ");
        figures.forEach((name, value) -> line.append(name).append(" ").append(value).append("; "));
        line.append("| ").append(FaultBudget.large() ? "large" : "small").append(" | ").append(Instant.now())
                .append(" |\n");
        System.out.print("fault figures: " + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot write " + FILE + ": " + e);
        }
    }
}
