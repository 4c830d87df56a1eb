package io.github.edgestream.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * How a setting's text (from the YAML file or an environment variable, both read as text) becomes a value, and back.
 * Immutable and thread-safe.
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
     * A type from its parts. The parser throws {@link IllegalArgumentException} whose message completes "must ...",
     * e.g. "be a whole number".
     */
    public static <T> SettingType<T> of(String description, Function<String, T> parser,
            Function<T, String> renderer) {
        return new SettingType<>(description, parser, renderer);
    }

    /** @throws IllegalArgumentException with a message that completes "must ..." */
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
}
