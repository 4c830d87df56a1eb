package io.github.edgestream.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One setting: its key in the YAML file (a dotted path: {@code server.port} is {@code server: {port: ...}}), its type,
 * its default (absent for an optional setting without one), the environment variables that override it, extra
 * validation and a one-line description. A module declares its settings as constants and lists them in a
 * {@link ConfigSchema}:
 *
 * <pre>
 * static final Setting&lt;Integer&gt; PORT = Setting.of("server.port", SettingTypes.PORT)
 *         .defaultValue(8088).env("STREAM_MANAGER_SERVER_PORT").describe("TCP port the SDKs dial.").build();
 * static final Setting&lt;Integer&gt; POOL = Setting.of("exporter.threadPoolSize", SettingTypes.INT)
 *         .defaultValue(5).validate(v -&gt; v &gt;= 1, "be at least 1").describe("Exporter threads.").build();
 * </pre>
 *
 * <p>Settings compare by identity: {@link Config#get} wants the very constant the schema lists. Immutable and
 * thread-safe if the type and the validation predicates are.
 *
 * @param <T> the value type
 */
public final class Setting<T> {

    private final String key;
    private final SettingType<T> type;
    private final T defaultValue;
    private final List<String> environmentVariables;
    private final List<Check<T>> checks;
    private final String description;

    private record Check<T>(Predicate<T> test, String rule) {
    }

    private Setting(Builder<T> builder) {
        this.key = builder.key;
        this.type = builder.type;
        this.defaultValue = builder.defaultValue;
        this.environmentVariables = List.copyOf(builder.environmentVariables);
        this.checks = List.copyOf(builder.checks);
        this.description = builder.description;
    }

    /**
     * Starts a setting.
     *
     * @param key dotted words, each a letter followed by letters and digits ({@code store.rootDirectory})
     * @throws IllegalArgumentException for any other key
     */
    public static <T> Builder<T> of(String key, SettingType<T> type) {
        return new Builder<>(key, type);
    }

    public String key() {
        return key;
    }

    public SettingType<T> type() {
        return type;
    }

    /** The default; empty for an optional setting that has no value unless the file or environment gives one. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The environment variables that override the file, in order: the first one set (and not empty) wins. */
    public List<String> environmentVariables() {
        return environmentVariables;
    }

    /** One line for humans; empty if none was given. */
    public String description() {
        return description;
    }

    /**
     * The value of this text for this setting: the type's parse, then each extra check in the order given.
     *
     * @throws IllegalArgumentException with a message completing "must ..." if it does not parse or validate
     */
    T parse(String text) {
        T value = type.parse(text);
        check(value);
        return value;
    }

    private void check(T value) {
        for (Check<T> check : checks) {
            if (!check.test().test(value)) {
                throw new IllegalArgumentException(check.rule());
            }
        }
    }

    @Override
    public String toString() {
        return key;
    }

    /** Builds a {@link Setting}. Not thread-safe; meant for one static initializer. */
    public static final class Builder<T> {
        private final String key;
        private final SettingType<T> type;
        private T defaultValue;
        private final List<String> environmentVariables = new ArrayList<>();
        private final List<Check<T>> checks = new ArrayList<>();
        private String description = "";

        private Builder(String key, SettingType<T> type) {
            if (key == null || !key.matches("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*")) {
                throw new IllegalArgumentException("a setting key is dotted words, not \"" + key + "\"");
            }
            this.key = key;
            this.type = Objects.requireNonNull(type, "type");
        }

        /** The value when neither the file nor the environment gives one; leave unset for an optional setting. */
        public Builder<T> defaultValue(T value) {
            this.defaultValue = Objects.requireNonNull(value, "default value");
            return this;
        }

        /** Environment variables that override the file, added to any given before; the first one set wins. */
        public Builder<T> env(String... names) {
            for (String name : names) {
                if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException(key + ": \"" + name + "\" is not an environment variable name");
                }
                environmentVariables.add(name);
            }
            return this;
        }

        /**
         * An extra check, applied after the type's parse; checks run in the order given and the first that fails
         * is reported.
         *
         * @param rule completes "must ...", e.g. "be at least 1"
         */
        public Builder<T> validate(Predicate<T> check, String rule) {
            checks.add(new Check<>(Objects.requireNonNull(check, "check"), Objects.requireNonNull(rule, "rule")));
            return this;
        }

        /** One line for the commented defaults file. */
        public Builder<T> describe(String text) {
            if (text.contains("\n") || text.contains("\r")) {
                throw new IllegalArgumentException("the description of " + key + " must be one line");
            }
            this.description = text.strip();
            return this;
        }

        /**
         * @throws IllegalArgumentException if the default breaks a check, or does not read back from its own
         *                                  rendering (the commented defaults file would not load)
         */
        public Setting<T> build() {
            Setting<T> setting = new Setting<>(this);
            if (defaultValue != null) {
                String text = type.render(defaultValue);
                T back;
                try {
                    back = type.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the default of " + key + " renders as \"" + text
                            + "\", which its type rejects: must " + e.getMessage(), e);
                }
                if (!defaultValue.equals(back)) {
                    throw new IllegalArgumentException("the default of " + key + " renders as \"" + text
                            + "\", which reads back as " + back + ", not " + defaultValue);
                }
                try {
                    setting.check(defaultValue);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the default of " + key + " breaks its own rule: must "
                            + e.getMessage(), e);
                }
            }
            return setting;
        }
    }
}
