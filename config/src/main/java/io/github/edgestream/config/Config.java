package io.github.edgestream.config;

import java.util.Map;
import java.util.Optional;

/**
 * The values {@link ConfigLoader} found for a schema's settings, and where each came from, so a program can both use
 * and log its effective configuration. Immutable and thread-safe.
 */
public final class Config {

    /** Where a value came from. */
    public enum Source {
        /** The setting's default, or no value at all for an optional setting nobody set. */
        DEFAULT,
        /** The YAML file. */
        FILE,
        /** One of the setting's environment variables. */
        ENVIRONMENT
    }

    private final ConfigSchema schema;
    private final Map<String, Object> values;
    private final Map<String, Source> sources;

    Config(ConfigSchema schema, Map<String, Object> values, Map<String, Source> sources) {
        this.schema = schema;
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    /**
     * The value of a setting that always has one (it has a default, or the caller knows it was given).
     *
     * @throws IllegalStateException    for an optional setting without a value (use {@link #find})
     * @throws IllegalArgumentException if the setting is not in the schema this was loaded for
     */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseThrow(() -> new IllegalStateException(setting.key() + " has no value"));
    }

    /**
     * The value of a setting, empty for an optional setting nobody gave a value.
     *
     * @throws IllegalArgumentException if the setting is not in the schema this was loaded for
     */
    @SuppressWarnings("unchecked") // the loader stored a T for this very setting
    public <T> Optional<T> find(Setting<T> setting) {
        requireKnown(setting);
        return Optional.ofNullable((T) values.get(setting.key()));
    }

    /**
     * Where the setting's value came from; {@link Source#DEFAULT} also for an optional setting without a value.
     *
     * @throws IllegalArgumentException if the setting is not in the schema this was loaded for
     */
    public Source source(Setting<?> setting) {
        requireKnown(setting);
        return sources.getOrDefault(setting.key(), Source.DEFAULT);
    }

    private void requireKnown(Setting<?> setting) {
        if (!schema.contains(setting)) {
            throw new IllegalArgumentException(setting.key() + " is not a setting of this configuration's schema");
        }
    }
}
