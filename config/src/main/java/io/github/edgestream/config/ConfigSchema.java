package io.github.edgestream.config;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a program, in the order the commented defaults file lists them. Keys are unique, and no key is
 * also the section of another ({@code server} and {@code server.port} cannot both be settings, since the file could
 * not hold both). Immutable and thread-safe.
 */
public final class ConfigSchema {

    private final List<Setting<?>> settings;
    private final Map<String, Setting<?>> byKey;
    /** Every dotted prefix of a key: {@code server} for {@code server.port}; these are maps in the file. */
    private final Set<String> sections;
    /** Sections and keys in schema order, each section before its first key. */
    private final List<String> paths;

    private ConfigSchema(List<Setting<?>> settings) {
        Map<String, Setting<?>> keys = new LinkedHashMap<>();
        Set<String> prefixes = new HashSet<>();
        Set<String> ordered = new LinkedHashSet<>();
        for (Setting<?> setting : settings) {
            if (keys.put(setting.key(), setting) != null) {
                throw new IllegalArgumentException("setting " + setting.key() + " is defined twice");
            }
            String key = setting.key();
            for (int dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
                prefixes.add(key.substring(0, dot));
                ordered.add(key.substring(0, dot));
            }
            ordered.add(key);
        }
        for (String key : keys.keySet()) {
            if (prefixes.contains(key)) {
                String child = keys.keySet().stream().filter(other -> other.startsWith(key + ".")).findFirst()
                        .orElseThrow();
                throw new IllegalArgumentException(key + " cannot be both a value and the parent of " + child);
            }
        }
        this.settings = List.copyOf(settings);
        this.byKey = Collections.unmodifiableMap(keys);
        this.sections = Set.copyOf(prefixes);
        this.paths = List.copyOf(ordered);
    }

    /**
     * @throws IllegalArgumentException if two settings share a key, or one's key is the section of another's
     */
    public static ConfigSchema of(Setting<?>... settings) {
        return new ConfigSchema(List.of(settings));
    }

    /** Every setting, in the order given. */
    public List<Setting<?>> settings() {
        return settings;
    }

    /** The setting with this exact key, or null. */
    Setting<?> setting(String key) {
        return byKey.get(key);
    }

    /** Whether this is the very setting the schema lists (settings compare by identity). */
    boolean contains(Setting<?> setting) {
        return byKey.get(setting.key()) == setting;
    }

    /** Whether some setting lives under this dotted path, so it is a map in the file. */
    boolean isSection(String path) {
        return sections.contains(path);
    }

    /** Every section and key, in schema order, for "did you mean" suggestions. */
    List<String> paths() {
        return paths;
    }
}
