package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.http.ApiOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

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
        ApiOptions o = new ApiOptions("s2", options, KEYS);
        ApiOptions.StreamDefaults streams = o.streamDefaults(new ApiOptions.StreamDefaults(d.persistence(),
                d.maxSize(), d.segmentSize(), d.strategyOnFull(), d.flushOnWrite()));
        Duration retention = o.get("retentionSeconds",
                v -> Duration.ofSeconds(ApiOptions.range(1, Long.MAX_VALUE / 1000).apply(v)), d.retention());
        DataSize window = o.get("sessionWindow",
                v -> DataSize.ofBytes(ApiOptions.range(2L << 20, 1L << 30).apply(v)), d.sessionWindow());
        Duration heartbeat = o.get("heartbeatSeconds", v -> Duration.ofSeconds(ApiOptions.range(1, 10).apply(v)),
                d.heartbeat());
        o.check();
        return new S2Settings(streams.persistence(), streams.maxSize(), streams.segmentSize(),
                streams.strategyOnFull(), streams.flushOnWrite(), retention, window, heartbeat);
    }
}
