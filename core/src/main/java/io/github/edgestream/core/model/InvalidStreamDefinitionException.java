package io.github.edgestream.core.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A stream definition broke one or more rules. {@link #problems()} lists every one; the message joins them.
 * The IPC layer answers it with {@code InvalidRequest}.
 */
public final class InvalidStreamDefinitionException extends IllegalArgumentException {

    private final List<ValidationProblem> problems;

    public InvalidStreamDefinitionException(List<ValidationProblem> problems) {
        super("invalid stream definition: "
                + problems.stream().map(ValidationProblem::message).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid definition has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ValidationProblem> problems() {
        return problems;
    }
}
