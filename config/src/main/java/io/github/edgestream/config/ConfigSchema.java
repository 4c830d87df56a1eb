package io.github.edgestream.config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** An ordered set of settings with unique keys, none a prefix of another. Immutable and thread-safe. */
public final class ConfigSchema {

    private final List<Setting<?>> settings;

    private ConfigSchema(List<Setting<?>> settings) {
        Set<String> keys = new HashSet<>();
        for (Setting<?> setting : settings) {
            if (!keys.add(setting.key())) {
                throw new IllegalArgumentException("setting " + setting.key() + " is defined twice");
            }
        }
        for (String key : keys) {
            for (String other : keys) {
                if (other.startsWith(key + ".")) {
                    throw new IllegalArgumentException(key + " cannot be both a value and the parent of " + other);
                }
            }
        }
        this.settings = List.copyOf(settings);
    }

    public static ConfigSchema of(Setting<?>... settings) {
        return new ConfigSchema(List.of(settings));
    }

    public List<Setting<?>> settings() {
        return settings;
    }

    Optional<Setting<?>> find(String key) {
        return settings.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /** Whether some setting lives under this dotted path (so it is a map in the file). */
    boolean isSection(String path) {
        return settings.stream().anyMatch(s -> s.key().startsWith(path + "."));
    }
}
