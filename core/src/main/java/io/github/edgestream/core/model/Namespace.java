package io.github.edgestream.core.model;

import java.util.Optional;

/**
 * A namespace of stream names: each one a catalogue of its own, so that equal names in two namespaces are two
 * streams. {@link #DEFAULT} is shared by the Greengrass, Kinesis and OCI APIs (a stream written through one is
 * readable through the others); S2 basins and ReductStore buckets are namespaces of their own, named by their API
 * with a prefix ({@code s2.<basin>}, {@code reductstore.<bucket>}) so that a basin and a bucket may share a name.
 *
 * <p>A namespace is 1 to 128 characters from {@code A-Z a-z 0-9 . _ -}, neither {@code .} nor {@code ..}; case
 * matters. Immutable and thread-safe.
 */
public record Namespace(String value) implements Comparable<Namespace> {

    public static final int MAX_LENGTH = 128;
    public static final String RULE = "be 1 to 128 characters from A-Z a-z 0-9 . _ - (not \".\" or \"..\")";
    public static final Namespace DEFAULT = new Namespace("default");

    public Namespace {
        check("namespace", value).ifPresent(problem -> {
            throw new IllegalArgumentException(problem.message());
        });
    }

    public static Namespace of(String value) {
        return new Namespace(value);
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** The problem with {@code candidate} as a namespace, reported under {@code field}; empty if it is valid. */
    public static Optional<ValidationProblem> check(String field, String candidate) {
        if (candidate == null) {
            return Optional.of(ValidationProblem.missing(field));
        }
        boolean valid = !candidate.isEmpty() && candidate.length() <= MAX_LENGTH && !candidate.equals(".")
                && !candidate.equals("..");
        for (int i = 0; valid && i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
        }
        return valid ? Optional.empty() : Optional.of(ValidationProblem.of(field, candidate, RULE));
    }

    @Override
    public int compareTo(Namespace other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
