package io.github.edgestream.core.model;

import java.util.Optional;

/**
 * The name of a message stream: 1 to 255 characters from {@code A-Z a-z 0-9 _ - . , space}.
 *
 * <p>This is the Java SDK's {@code ^[\w ,.\-_]*$} with ASCII {@code \w}. The Python SDK accepts Unicode letters too;
 * the server follows Java and JavaScript, so a name that works with one client works with all of them.
 * Names are case-sensitive. Immutable and thread-safe.
 */
public record StreamName(String value) implements Comparable<StreamName> {

    public static final int MAX_LENGTH = 255;
    public static final String RULE = "be 1 to 255 characters from A-Z a-z 0-9 _ - . , and space";

    public StreamName {
        Optional<ValidationProblem> problem = check("name", value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get().message());
        }
    }

    public static StreamName of(String value) {
        return new StreamName(value);
    }

    /** The problem with {@code candidate} as a stream name, reported under {@code field}; empty if it is valid. */
    public static Optional<ValidationProblem> check(String field, String candidate) {
        if (candidate == null) {
            return Optional.of(ValidationProblem.missing(field));
        }
        if (candidate.isEmpty() || candidate.length() > MAX_LENGTH || !isAllowed(candidate)) {
            return Optional.of(ValidationProblem.of(field, candidate, RULE));
        }
        return Optional.empty();
    }

    private static boolean isAllowed(String candidate) {
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == ',' || c == ' ';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(StreamName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
