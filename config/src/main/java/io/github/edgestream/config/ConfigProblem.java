package io.github.edgestream.config;

/**
 * One thing wrong with the configuration.
 *
 * @param key    the setting's dotted key (or the unknown key found)
 * @param value  what was found, as text; null when nothing usable was
 * @param source where it came from: a file path, or {@code environment variable X}
 * @param rule   completes "must ...", or a whole sentence for unknown keys and unreadable files
 */
public record ConfigProblem(String key, String value, String source, String rule) {

    /** {@code server.port is "80x" (environment variable STREAM_MANAGER_SERVER_PORT) but must be ...}. */
    public String message() {
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
