package io.github.edgestream.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration, in three shapes:
 *
 * <pre>
 * server.port is "80x" (environment variable STREAM_MANAGER_SERVER_PORT) but must be a whole number between 0 and 65535
 * server.prot (/etc/edgestream/edgestream.yaml): unknown setting; did you mean "server.port"?
 * /etc/edgestream/edgestream.yaml: cannot read the config file: no such file
 * </pre>
 *
 * Immutable and thread-safe.
 *
 * @param key    the setting's dotted key, or the key found in the file; null when the problem is the whole source
 * @param value  the text found; null when no single value is at fault
 * @param source where it came from: a file path, or {@code environment variable X}
 * @param rule   with a value, completes "must ..."; without one, a sentence of its own
 */
public record ConfigProblem(String key, String value, String source, String rule) {

    public ConfigProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(rule, "rule");
        if (key == null && value != null) {
            throw new IllegalArgumentException("a value needs the key it belongs to");
        }
    }

    /** A value that does not parse or breaks a rule; {@code rule} completes "must ...". */
    static ConfigProblem ofValue(String key, String value, String source, String rule) {
        return new ConfigProblem(key, Objects.requireNonNull(value, "value"), source, rule);
    }

    /** A key that is unknown, misplaced or of the wrong shape. */
    static ConfigProblem ofKey(String key, String source, String sentence) {
        return new ConfigProblem(Objects.requireNonNull(key, "key"), null, source, sentence);
    }

    /** A source that cannot be read at all, or is not a map of settings. */
    static ConfigProblem ofSource(String source, String sentence) {
        return new ConfigProblem(null, null, source, sentence);
    }

    /** The line the problem prints as; see the class comment. */
    public String message() {
        if (key == null) {
            return source + ": " + rule;
        }
        if (value == null) {
            return key + " (" + source + "): " + rule;
        }
        return key + " is \"" + value + "\" (" + source + ") but must " + rule;
    }

    @Override
    public String toString() {
        return message();
    }
}
