package io.github.edgestream.config;

import java.util.Map;
import java.util.Optional;

/** The loaded values of a schema, and where each came from. Immutable and thread-safe. */
public final class Config {

    /** Where a value came from. */
    public enum Source { DEFAULT, FILE, ENVIRONMENT }

    private final Map<String, Object> values;
    private final Map<String, Source> sources;

    Config(Map<String, Object> values, Map<String, Source> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    /**
     * @throws IllegalStateException for an optional setting without a value (use {@link #find})
     */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseThrow(() -> new IllegalStateException(setting.key() + " has no value"));
    }

    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(Setting<T> setting) {
        return Optional.ofNullable((T) values.get(setting.key()));
    }

    public Source source(Setting<?> setting) {
        return sources.getOrDefault(setting.key(), Source.DEFAULT);
    }
}
