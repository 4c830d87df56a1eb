package io.github.edgestream.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One setting: its key in the YAML file (a dotted path, {@code server.port} is {@code server: {port: ...}}), its type,
 * its default (absent for optional settings without one), the environment variables that override it, extra
 * validation and a one-line description. Immutable and thread-safe.
 *
 * <pre>
 * static final Setting&lt;Integer&gt; PORT = Setting.of("server.port", SettingTypes.PORT)
 *         .defaultValue(8088).env("STREAM_MANAGER_SERVER_PORT").describe("TCP port the SDKs dial.").build();
 * </pre>
 *
 * @param <T> the value type
 */
public final class Setting<T> {

    private final String key;
    private final SettingType<T> type;
    private final T defaultValue;
    private final List<String> environmentVariables;
    private final Predicate<T> validation;
    private final String validationRule;
    private final String description;

    private Setting(Builder<T> builder) {
        this.key = builder.key;
        this.type = builder.type;
        this.defaultValue = builder.defaultValue;
        this.environmentVariables = List.copyOf(builder.environmentVariables);
        this.validation = builder.validation;
        this.validationRule = builder.validationRule;
        this.description = builder.description;
    }

    public static <T> Builder<T> of(String key, SettingType<T> type) {
        return new Builder<>(key, type);
    }

    public String key() {
        return key;
    }

    public SettingType<T> type() {
        return type;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public List<String> environmentVariables() {
        return environmentVariables;
    }

    public String description() {
        return description;
    }

    /**
     * The value of this text for this setting.
     *
     * @throws IllegalArgumentException with a message completing "must ..." if it does not parse or validate
     */
    T parse(String text) {
        T value = type.parse(text);
        if (validation != null && !validation.test(value)) {
            throw new IllegalArgumentException(validationRule);
        }
        return value;
    }

    @Override
    public String toString() {
        return key;
    }

    /** Builds a {@link Setting}; not thread-safe. */
    public static final class Builder<T> {
        private final String key;
        private final SettingType<T> type;
        private T defaultValue;
        private List<String> environmentVariables = List.of();
        private Predicate<T> validation;
        private String validationRule;
        private String description = "";

        private Builder(String key, SettingType<T> type) {
            if (!key.matches("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*")) {
                throw new IllegalArgumentException("a setting key is dotted words, not \"" + key + "\"");
            }
            this.key = key;
            this.type = Objects.requireNonNull(type);
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = value;
            return this;
        }

        /** Environment variables that override the file, first set one wins. */
        public Builder<T> env(String... names) {
            this.environmentVariables = List.of(names);
            return this;
        }

        /** Extra check; {@code rule} completes "must ...", e.g. "be at least 1". */
        public Builder<T> validate(Predicate<T> check, String rule) {
            this.validation = Objects.requireNonNull(check);
            this.validationRule = Objects.requireNonNull(rule);
            return this;
        }

        public Builder<T> describe(String text) {
            this.description = Objects.requireNonNull(text);
            return this;
        }

        public Setting<T> build() {
            if (defaultValue != null && validation != null && !validation.test(defaultValue)) {
                throw new IllegalArgumentException("the default of " + key + " breaks its own rule: " + validationRule);
            }
            return new Setting<>(this);
        }
    }
}
