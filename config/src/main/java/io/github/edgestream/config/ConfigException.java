package io.github.edgestream.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid; {@link #problems()} lists every problem, and the message has one per line. */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    private static String summary(List<ConfigProblem> problems) {
        String head = problems.size() == 1 ? "1 problem in the configuration:"
                : problems.size() + " problems in the configuration:";
        return head + problems.stream().map(p -> "\n  - " + p.message()).collect(Collectors.joining());
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
