package io.github.edgestream.api.kinesis;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.http.ApiOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

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
        ApiOptions o = new ApiOptions("kinesis", options, KEYS);
        String region = o.get("region", v -> {
            if (!v.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
                throw new IllegalArgumentException("must look like us-east-1");
            }
            return v;
        }, d.region());
        String account = o.get("accountId", v -> {
            if (!v.matches("\\d{12}")) {
                throw new IllegalArgumentException("must be 12 digits");
            }
            return v;
        }, d.accountId());
        ApiOptions.StreamDefaults streams = o.streamDefaults(new ApiOptions.StreamDefaults(d.persistence(),
                d.maxSize(), d.segmentSize(), d.strategyOnFull(), d.flushOnWrite()));
        Duration retention = o.get("retentionHours", v -> Duration.ofHours(ApiOptions.range(24, 8760).apply(v)),
                d.retention());
        int onDemand = o.get("onDemandShards", v -> (int) (long) ApiOptions.range(1, StreamDefinition.MAX_PARTITIONS)
                .apply(v), d.onDemandShards());
        o.check();
        return new KinesisSettings(region, account, streams.persistence(), streams.maxSize(), streams.segmentSize(),
                streams.strategyOnFull(), streams.flushOnWrite(), retention, onDemand);
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
