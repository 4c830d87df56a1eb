package io.github.edgestream.api.reductstore;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.http.ApiOptions;
import java.util.Map;

/**
 * The ReductStore API's settings (the daemon's {@code api.reductstore.*} keys): what every entry is made with, which
 * ReductStore's requests cannot say. An entry's own {@code maxSize} bounds it alone; a bucket's quota
 * ({@code quota_type}, {@code quota_size}) bounds all its entries together.
 *
 * @param streams the five stream options ({@link ApiOptions.StreamDefaults}); {@code strategyOnFull} applies when one
 *                entry reaches its own {@code maxSize}
 */
record ReductSettings(ApiOptions.StreamDefaults streams) {

    static ReductSettings defaults() {
        return new ReductSettings(new ApiOptions.StreamDefaults(Persistence.FILE, DataSize.ofGibibytes(1),
                StreamDefinition.DEFAULT_SEGMENT_SIZE, StrategyOnFull.OVERWRITE_OLDEST_DATA, false));
    }

    /**
     * @throws IllegalArgumentException naming every bad key, value and rule at once
     */
    static ReductSettings from(Map<String, String> options) {
        ApiOptions o = new ApiOptions("reductstore", options, ApiOptions.StreamDefaults.KEYS);
        ApiOptions.StreamDefaults streams = o.streamDefaults(defaults().streams());
        o.check();
        return new ReductSettings(streams);
    }

    /** The definition of a new entry. */
    StreamDefinition definition(StreamName name) {
        return StreamDefinition.builder(name, streams.strategyOnFull()).persistence(streams.persistence())
                .maxSize(streams.maxSize()).segmentSize(streams.segmentSize())
                .flushOnWrite(streams.flushOnWrite() && streams.persistence() == Persistence.FILE).build();
    }

    /** ReductStore keeps one record per timestamp: an entry's timestamps increase strictly. */
    static final AppendBatch.TimestampRule TIMESTAMPS = AppendBatch.TimestampRule.INCREASING;
}
