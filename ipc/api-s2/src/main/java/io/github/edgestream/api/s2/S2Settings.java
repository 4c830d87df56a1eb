package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The S2 API's settings (the daemon's {@code api.s2.*} keys). S2 has no notion of a stream's size budget or of
 * what to do when it is full; these settings give every stream created through S2 edgestream's policies. Change
 * one stream's later with the CLI ({@code edgestream streams update}).
 *
 * @param persistence    of streams created through S2 ({@code FILE}: S2 streams are durable)
 * @param maxSize        per stream
 * @param segmentSize    unit of deletion
 * @param strategyOnFull RejectNewData (appends get 403 {@code quota_exhausted}) or OverwriteOldestData
 * @param flushOnWrite   acknowledge an append only once it is on disk (S2's contract: on by default)
 * @param retention      a new stream's retention when neither it nor its basin says (S2's default: 7 days)
 * @param sessionWindow  unacknowledged bytes an append session may have in flight before the server stops reading
 *                       its body (the client is slowed, never dropped)
 * @param heartbeat      how often a tailing read session that has nothing new sends a heartbeat
 */
record S2Settings(Persistence persistence, DataSize maxSize, DataSize segmentSize, StrategyOnFull strategyOnFull,
        boolean flushOnWrite, Duration retention, DataSize sessionWindow, Duration heartbeat) {

    static final Set<String> KEYS = Set.of("persistence", "maxSize", "segmentSize", "strategyOnFull", "flushOnWrite",
            "retentionSeconds", "sessionWindow", "heartbeatSeconds");

    static S2Settings defaults() {
        return new S2Settings(Persistence.FILE, StreamDefinition.DEFAULT_MAX_SIZE, StreamDefinition.DEFAULT_SEGMENT_SIZE,
                StrategyOnFull.REJECT_NEW_DATA, true, Duration.ofDays(7), DataSize.ofBytes(8L << 20),
                Duration.ofSeconds(5));
    }

    /**
     * Settings from the daemon's options (values as text).
     *
     * @throws IllegalArgumentException naming every bad key, value and rule at once
     */
    static S2Settings from(Map<String, String> options) {
        S2Settings d = defaults();
        List<String> problems = new ArrayList<>();
        for (String key : options.keySet()) {
            if (!KEYS.contains(key) && !key.equals("enabled")) {
                problems.add("api.s2." + key + " is not a setting; known: " + new java.util.TreeSet<>(KEYS));
            }
        }
        Persistence persistence = get(options, "persistence", v -> Persistence.valueOf(v.toUpperCase(Locale.ROOT)),
                d.persistence(), problems);
        DataSize maxSize = get(options, "maxSize", v -> DataSize.ofBytes(range(Long.parseLong(v), 1, Long.MAX_VALUE)),
                d.maxSize(), problems);
        DataSize segmentSize = get(options, "segmentSize",
                v -> DataSize.ofBytes(range(Long.parseLong(v), 1, Long.MAX_VALUE)), d.segmentSize(), problems);
        StrategyOnFull strategy = get(options, "strategyOnFull", S2Settings::strategy, d.strategyOnFull(), problems);
        boolean flush = get(options, "flushOnWrite", S2Settings::bool, d.flushOnWrite(), problems);
        Duration retention = get(options, "retentionSeconds",
                v -> Duration.ofSeconds(range(Long.parseLong(v), 1, Long.MAX_VALUE / 1000)), d.retention(), problems);
        DataSize window = get(options, "sessionWindow",
                v -> DataSize.ofBytes(range(Long.parseLong(v), 2L << 20, 1L << 30)), d.sessionWindow(), problems);
        Duration heartbeat = get(options, "heartbeatSeconds", v -> Duration.ofSeconds(range(Long.parseLong(v), 1, 10)),
                d.heartbeat(), problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new S2Settings(persistence, maxSize, segmentSize, strategy, flush, retention, window, heartbeat);
    }

    private static long range(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return value;
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        };
    }

    private static StrategyOnFull strategy(String v) {
        return switch (v.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "rejectnewdata" -> StrategyOnFull.REJECT_NEW_DATA;
            case "overwriteoldestdata" -> StrategyOnFull.OVERWRITE_OLDEST_DATA;
            default -> throw new IllegalArgumentException("must be RejectNewData or OverwriteOldestData");
        };
    }

    private static <T> T get(Map<String, String> options, String key, Function<String, T> parser, T fallback,
            List<String> problems) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            problems.add("api.s2." + key + " is \"" + value + "\" but " + (e instanceof NumberFormatException
                    ? "must be a number" : e.getMessage()));
            return fallback;
        }
    }
}
