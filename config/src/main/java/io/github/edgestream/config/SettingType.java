package io.github.edgestream.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * How a setting's text becomes a value, and back. The YAML file and environment variables both arrive as text (a YAML
 * {@code 8088} or {@code true} is read as the characters written), so one parser serves both and they accept the
 * same forms. {@link SettingTypes} has the usual ones; a module defines its own with {@link #of}.
 *
 * <p>Contract for a type: {@code parse} throws only {@link IllegalArgumentException}, whose message completes
 * "must ..." (e.g. "be a whole number"), so it reads well in {@code server.port is "80x" (...) but must be a whole
 * number}; {@code render} gives text {@code parse} reads back to an equal value (the commented defaults file
 * depends on it, and {@link Setting.Builder#build} checks it for the default).
 *
 * <p>Immutable and thread-safe if the parser and renderer are.
 *
 * @param <T> the value type
 */
public final class SettingType<T> {

    private final String description;
    private final Function<String, T> parser;
    private final Function<T, String> renderer;

    private SettingType(String description, Function<String, T> parser, Function<T, String> renderer) {
        this.description = Objects.requireNonNull(description);
        this.parser = Objects.requireNonNull(parser);
        this.renderer = Objects.requireNonNull(renderer);
    }

    /**
     * A type from its parts.
     *
     * @param description the accepted form, e.g. "a duration such as 500ms, 10s, 5m"
     * @param parser      text (already trimmed) to value; throws {@link IllegalArgumentException} whose message
     *                    completes "must ..."
     * @param renderer    value to text the parser reads back
     */
    public static <T> SettingType<T> of(String description, Function<String, T> parser,
            Function<T, String> renderer) {
        return new SettingType<>(description, parser, renderer);
    }

    /** The same type with another description, e.g. {@code intRange(1, 500).describedAs("a batch size")}. */
    public SettingType<T> describedAs(String otherDescription) {
        return new SettingType<>(otherDescription, parser, renderer);
    }

    /**
     * The value of {@code text}, leading and trailing white space ignored.
     *
     * @throws IllegalArgumentException with a message that completes "must ..."
     */
    public T parse(String text) {
        return parser.apply(text.trim());
    }

    public String render(T value) {
        return renderer.apply(value);
    }

    /** The accepted form, e.g. "a duration such as 500ms, 10s, 5m". */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
