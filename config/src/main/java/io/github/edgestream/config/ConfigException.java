package io.github.edgestream.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used. {@link #problems()} lists every problem found, not just the first, and the message
 * has a summary line and then one problem per line:
 *
 * <pre>
 * 2 problems in the configuration:
 *   - server.prot (/etc/edgestream/edgestream.yaml): unknown setting; did you mean "server.port"?
 *   - log.level is "LOUD" (environment variable LOG_LEVEL) but must be one of TRACE, DEBUG, INFO, WARN, ERROR
 * </pre>
 *
 * Immutable and thread-safe.
 */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;

    /** @throws IllegalArgumentException if {@code problems} is empty */
    public ConfigException(List<ConfigProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    private static String summary(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        String head = problems.size() == 1 ? "1 problem in the configuration:"
                : problems.size() + " problems in the configuration:";
        return head + problems.stream().map(p -> "\n  - " + p.message()).collect(Collectors.joining());
    }

    /** Every problem, in the order found: the file's from top to bottom, then each setting's in schema order. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
