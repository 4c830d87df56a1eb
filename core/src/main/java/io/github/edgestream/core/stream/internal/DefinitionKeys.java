package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamName;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Strict reading of a format-2 definition file (see {@link StreamDirectories}): each key is parsed once, every
 * problem is recorded as {@code key is "value"; expected ...} instead of thrown, and the keys nobody read are
 * listed at the end. Not thread-safe; one instance per file read.
 */
final class DefinitionKeys {

    private final Properties properties;
    private final Set<String> read = new HashSet<>();
    private final List<String> problems = new ArrayList<>();

    DefinitionKeys(Properties properties) {
        this.properties = properties;
    }

    /** The parsed value of a key that must be there; {@code null} (and a problem) if it is missing or malformed. */
    <T> T required(String key, Function<String, T> parser) {
        if (properties.getProperty(key) == null) {
            problems.add(key + " is missing");
            return null;
        }
        return optional(key, parser).orElse(null);
    }

    /** The parsed value of a key, empty if it is absent, or malformed (then with a problem). */
    <T> Optional<T> optional(String key, Function<String, T> parser) {
        read.add(key);
        String value = properties.getProperty(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(value));
        } catch (IllegalArgumentException e) {
            problems.add(key + " is \"" + value + "\"; " + e.getMessage());
            return Optional.empty();
        }
    }

    void problem(String text) {
        problems.add(text);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** The keys of the file no call asked for, sorted. */
    Set<String> unread() {
        Set<String> unread = new TreeSet<>(properties.stringPropertyNames());
        unread.removeAll(read);
        return unread;
    }

    static <E extends Enum<E>> E constant(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected one of " + Arrays.stream(type.getEnumConstants())
                .map(Enum::name).collect(Collectors.joining(", ")));
    }

    static long number(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    static int integer(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE);
        }
    }

    static DataSize bytes(String value) {
        long bytes;
        try {
            bytes = Long.parseLong(value);
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("expected a number of bytes, 0 or more");
        }
        return DataSize.ofBytes(bytes);
    }

    static Duration millis(String value) {
        long millis;
        try {
            millis = Long.parseLong(value);
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0) {
            throw new IllegalArgumentException("expected a number of milliseconds, 0 or more");
        }
        return Duration.ofMillis(millis);
    }

    static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    static String nonEmpty(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("expected a non-empty name");
        }
        return value;
    }

    static URI uri(String value) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("expected a URI (" + e.getReason() + ")");
        }
    }

    static StreamName streamName(String value) {
        if (StreamName.checkAny("name", value).isPresent()) {
            throw new IllegalArgumentException("expected a stream name, which must " + StreamName.ANY_RULE);
        }
        return StreamName.anyOf(value);
    }
}
