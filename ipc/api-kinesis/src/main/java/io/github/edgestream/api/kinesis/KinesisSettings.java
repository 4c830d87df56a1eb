package io.github.edgestream.api.kinesis;

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
 * The Kinesis API's settings (the daemon's {@code api.kinesis.*} keys). The stream settings Kinesis cannot express
 * (persistence, size, what to do when full) apply to every stream created through it; change one stream's later
 * with the CLI ({@code edgestream streams update}).
 *
 * @param region             the region in StreamARNs (any region a client signs for is accepted)
 * @param accountId          the 12-digit account in StreamARNs
 * @param persistence        of streams created through Kinesis
 * @param maxSize            per shard
 * @param segmentSize        unit of deletion
 * @param strategyOnFull     RejectNewData (producers get ProvisionedThroughputExceededException and back off) or
 *                           OverwriteOldestData
 * @param flushOnWrite       acknowledge a put only once it is on disk
 * @param retention          the time to live of a new stream (Kinesis's default retention is 24 hours)
 * @param onDemandShards     shards of a stream created in ON_DEMAND mode (throughput is not per shard here)
 */
record KinesisSettings(String region, String accountId, Persistence persistence, DataSize maxSize,
        DataSize segmentSize, StrategyOnFull strategyOnFull, boolean flushOnWrite, Duration retention,
        int onDemandShards) {

    static final Set<String> KEYS = Set.of("region", "accountId", "persistence", "maxSize", "segmentSize",
            "strategyOnFull", "flushOnWrite", "retentionHours", "onDemandShards");

    static KinesisSettings defaults() {
        return new KinesisSettings("us-east-1", "000000000000", Persistence.FILE, StreamDefinition.DEFAULT_MAX_SIZE,
                StreamDefinition.DEFAULT_SEGMENT_SIZE, StrategyOnFull.REJECT_NEW_DATA, false, Duration.ofHours(24), 1);
    }

    /**
     * Settings from the daemon's options (values as text).
     *
     * @throws IllegalArgumentException naming every bad key, value and rule at once
     */
    static KinesisSettings from(Map<String, String> options) {
        KinesisSettings d = defaults();
        List<String> problems = new ArrayList<>();
        for (String key : options.keySet()) {
            if (!KEYS.contains(key) && !key.equals("enabled")) {
                problems.add("api.kinesis." + key + " is not a setting; known: " + new java.util.TreeSet<>(KEYS));
            }
        }
        String region = get(options, "region", v -> {
            if (!v.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
                throw new IllegalArgumentException("must look like us-east-1");
            }
            return v;
        }, d.region(), problems);
        String account = get(options, "accountId", v -> {
            if (!v.matches("\\d{12}")) {
                throw new IllegalArgumentException("must be 12 digits");
            }
            return v;
        }, d.accountId(), problems);
        Persistence persistence = get(options, "persistence", v -> Persistence.valueOf(v.toUpperCase(Locale.ROOT)),
                d.persistence(), problems);
        DataSize maxSize = get(options, "maxSize", v -> DataSize.ofBytes(positive(Long.parseLong(v))), d.maxSize(),
                problems);
        DataSize segmentSize = get(options, "segmentSize", v -> DataSize.ofBytes(positive(Long.parseLong(v))),
                d.segmentSize(), problems);
        StrategyOnFull strategy = get(options, "strategyOnFull", KinesisSettings::strategy, d.strategyOnFull(),
                problems);
        boolean flush = get(options, "flushOnWrite", KinesisSettings::bool, d.flushOnWrite(), problems);
        Duration retention = get(options, "retentionHours", v -> {
            int hours = Integer.parseInt(v);
            if (hours < 24 || hours > 8760) {
                throw new IllegalArgumentException("must be between 24 and 8760 hours");
            }
            return Duration.ofHours(hours);
        }, d.retention(), problems);
        int onDemand = get(options, "onDemandShards", v -> {
            int shards = Integer.parseInt(v);
            if (shards < 1 || shards > StreamDefinition.MAX_PARTITIONS) {
                throw new IllegalArgumentException("must be between 1 and " + StreamDefinition.MAX_PARTITIONS);
            }
            return shards;
        }, d.onDemandShards(), problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new KinesisSettings(region, account, persistence, maxSize, segmentSize, strategy, flush, retention,
                onDemand);
    }

    private static long positive(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("must be positive");
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
            problems.add("api.kinesis." + key + " is \"" + value + "\" but " + (e instanceof NumberFormatException
                    ? "must be a number" : e.getMessage()));
            return fallback;
        }
    }

    /** The definition of a stream created through Kinesis. */
    StreamDefinition definition(String name, int shards, Map<String, String> tags) {
        return StreamDefinition.builder(name, strategyOnFull).persistence(persistence).maxSize(maxSize)
                .segmentSize(segmentSize).flushOnWrite(flushOnWrite && persistence == Persistence.FILE)
                .timeToLive(retention).partitions(shards).tags(tags).build();
    }

    String arn(String stream) {
        return "arn:aws:kinesis:" + region + ":" + accountId + ":stream/" + stream;
    }
}
