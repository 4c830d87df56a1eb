package io.github.edgestream.http;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An API's {@code api.<name>.*} options (text, as the daemon hands them over), read with every problem collected, so
 * that a provider reports all of them at once: unknown keys, values that do not parse, values out of range.
 * Not thread-safe; one per provider call.
 */
public final class ApiOptions {

    private final String prefix;
    private final Map<String, String> options;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param api   the API's name ({@code kinesis}): problems name keys as {@code api.<api>.<key>}
     * @param known the keys the API has ({@code enabled} is always allowed)
     */
    public ApiOptions(String api, Map<String, String> options, Set<String> known) {
        this.prefix = "api." + api + ".";
        this.options = Map.copyOf(options);
        for (String key : options.keySet()) {
            if (!known.contains(key) && !key.equals("enabled")) {
                problems.add(prefix + key + " is not a setting; known: " + new TreeSet<>(known));
            }
        }
    }

    /** The option parsed, or {@code fallback} if absent (or unparsable: the problem is recorded). */
    public <T> T get(String key, Function<String, T> parser, T fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            problems.add(prefix + key + " is \"" + value + "\" but " + (e instanceof NumberFormatException
                    ? "must be a number" : e.getMessage()));
            return fallback;
        }
    }

    /**
     * Throws if any option was wrong.
     *
     * @throws IllegalArgumentException naming every bad key, value and rule
     */
    public void check() {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * What every API's streams are made with, which the APIs' own requests cannot say: the options
     * {@code persistence} (File, Memory), {@code maxSize} and {@code segmentSize} (bytes), {@code strategyOnFull}
     * and {@code flushOnWrite}.
     */
    public record StreamDefaults(Persistence persistence, DataSize maxSize, DataSize segmentSize,
            StrategyOnFull strategyOnFull, boolean flushOnWrite) {

        /** The option keys these are read from. */
        public static final Set<String> KEYS = Set.of("persistence", "maxSize", "segmentSize", "strategyOnFull",
                "flushOnWrite");
    }

    /** The stream options ({@link StreamDefaults#KEYS}), each {@code fallback}'s where absent or wrong. */
    public StreamDefaults streamDefaults(StreamDefaults fallback) {
        Persistence persistence = get("persistence", v -> Persistence.valueOf(v.toUpperCase(Locale.ROOT)),
                fallback.persistence());
        DataSize maxSize = get("maxSize", v -> DataSize.ofBytes(range(1, Long.MAX_VALUE).apply(v)),
                fallback.maxSize());
        DataSize segmentSize = get("segmentSize", v -> DataSize.ofBytes(range(1, Long.MAX_VALUE).apply(v)),
                fallback.segmentSize());
        StrategyOnFull strategy = get("strategyOnFull", ApiOptions::strategy, fallback.strategyOnFull());
        boolean flush = get("flushOnWrite", ApiOptions::bool, fallback.flushOnWrite());
        return new StreamDefaults(persistence, maxSize, segmentSize, strategy, flush);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Function<String, Long> range(long min, long max) {
        return v -> {
            long value = Long.parseLong(v);
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return value;
        };
    }

    public static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    /** {@code RejectNewData} or {@code OverwriteOldestData} (any case, underscores allowed). */
    public static StrategyOnFull strategy(String v) {
        return switch (v.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "rejectnewdata" -> StrategyOnFull.REJECT_NEW_DATA;
            case "overwriteoldestdata" -> StrategyOnFull.OVERWRITE_OLDEST_DATA;
            default -> throw new IllegalArgumentException("must be RejectNewData or OverwriteOldestData");
        };
    }
}
