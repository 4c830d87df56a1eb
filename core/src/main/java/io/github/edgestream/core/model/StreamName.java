package io.github.edgestream.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The name of a message stream. Two rules apply, by the API that names the stream:
 * <ul>
 *   <li><b>The portable rule</b> ({@link #of}, {@link #check}): 1 to 255 characters from
 *       {@code A-Z a-z 0-9 _ - . , space}. This is the Greengrass Java SDK's {@code ^[\w ,.\-_]*$} with ASCII
 *       {@code \w} (the Python SDK accepts Unicode letters too; the server follows Java and JavaScript, so a name
 *       that works with one client works with all of them). The Greengrass protocol, the Kinesis API, the CLI and
 *       the configuration file name streams by it.</li>
 *   <li><b>The store's rule</b> ({@link #anyOf}, {@link #checkAny}, and this record's constructor): 1 to
 *       {@value #MAX_BYTES} bytes of UTF-8 without NUL. S2 allows stream names like {@code orders/eu-1} or
 *       {@code événements}; a stream's directory is named from a hash of its exact name
 *       ({@code StreamDirectories}), so any such name is safe on disk.</li>
 * </ul>
 * Every portable name is also valid by the store's rule. Names are case-sensitive. Immutable and thread-safe.
 */
public record StreamName(String value) implements Comparable<StreamName> {

    public static final int MAX_LENGTH = 255;
    public static final String RULE = "be 1 to 255 characters from A-Z a-z 0-9 _ - . , and space";
    /** The store's limit on a name's UTF-8 length (S2's). */
    public static final int MAX_BYTES = 512;
    public static final String ANY_RULE = "be 1 to 512 bytes of UTF-8 without NUL";

    public StreamName {
        Optional<ValidationProblem> problem = checkAny("name", value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get().message());
        }
    }

    /**
     * A name by the portable rule.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static StreamName of(String value) {
        Optional<ValidationProblem> problem = check("name", value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get().message());
        }
        return new StreamName(value);
    }

    /**
     * A name by the store's rule.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static StreamName anyOf(String value) {
        return new StreamName(value);
    }

    /** The problem with {@code candidate} as a name by the portable rule, reported under {@code field}; empty if valid. */
    public static Optional<ValidationProblem> check(String field, String candidate) {
        if (candidate == null) {
            return Optional.of(ValidationProblem.missing(field));
        }
        if (candidate.isEmpty() || candidate.length() > MAX_LENGTH || !isAllowed(candidate)) {
            return Optional.of(ValidationProblem.of(field, candidate, RULE));
        }
        return Optional.empty();
    }

    /** The problem with {@code candidate} as a name by the store's rule, reported under {@code field}; empty if valid. */
    public static Optional<ValidationProblem> checkAny(String field, String candidate) {
        if (candidate == null) {
            return Optional.of(ValidationProblem.missing(field));
        }
        boolean valid = !candidate.isEmpty() && candidate.length() <= MAX_BYTES && candidate.indexOf('\0') < 0
                && isWellFormed(candidate) && candidate.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
        return valid ? Optional.empty() : Optional.of(ValidationProblem.of(field, printable(candidate), ANY_RULE));
    }

    /** Whether this name also follows the portable rule (the Greengrass protocol and the CLI can name it). */
    public boolean isPortable() {
        return check("name", value).isEmpty();
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

    /** No unpaired surrogate (it would not survive the trip to UTF-8 and back). */
    private static boolean isWellFormed(String candidate) {
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= candidate.length() || !Character.isLowSurrogate(candidate.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The candidate as it can be shown in a message: NUL and control characters escaped, at most 600 characters. */
    private static String printable(String candidate) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < candidate.length() && out.length() < 600; i++) {
            char c = candidate.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return candidate.length() > 600 ? out + "..." : out.toString();
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
