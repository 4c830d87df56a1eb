package io.github.edgestream.api.oci;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.http.ApiOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OCI Streaming API's settings (the daemon's {@code api.oci.*} keys). The stream settings OCI cannot express
 * (persistence, size, what to do when full) apply to every stream created through it; change one stream's later with
 * the CLI ({@code edgestream streams update}).
 *
 * @param region           the region in the OCIDs this API hands out (any region a client names is accepted)
 * @param compartmentId    the compartment of the default stream pool and of streams created by other APIs
 * @param persistence      of streams created through OCI
 * @param maxSize          per partition
 * @param segmentSize      unit of deletion
 * @param strategyOnFull   RejectNewData (a full partition fails PutMessages entries with TooManyRequests) or
 *                         OverwriteOldestData
 * @param flushOnWrite     acknowledge a PutMessages only once it is on disk
 * @param messagesEndpoint the {@code messagesEndpoint} of every stream; empty (or the option set to ""): the URL
 *                         the request came to ({@code http://} and its {@code Host} header)
 */
record OciSettings(String region, String compartmentId, Persistence persistence, DataSize maxSize,
        DataSize segmentSize, StrategyOnFull strategyOnFull, boolean flushOnWrite, Optional<String> messagesEndpoint) {

    static final Set<String> KEYS = Set.of("region", "compartmentId", "persistence", "maxSize", "segmentSize",
            "strategyOnFull", "flushOnWrite", "messagesEndpoint");

    static OciSettings defaults() {
        return new OciSettings("us-ashburn-1", "ocid1.compartment.oc1..edgestream", Persistence.FILE,
                StreamDefinition.DEFAULT_MAX_SIZE, StreamDefinition.DEFAULT_SEGMENT_SIZE,
                StrategyOnFull.REJECT_NEW_DATA, false, Optional.empty());
    }

    /**
     * Settings from the daemon's options (values as text).
     *
     * @throws IllegalArgumentException naming every bad key, value and rule at once
     */
    static OciSettings from(Map<String, String> options) {
        OciSettings d = defaults();
        ApiOptions o = new ApiOptions("oci", options, KEYS);
        String region = o.get("region", v -> {
            if (!v.matches("[a-z]{2,}(-[a-z]+)+-\\d{1,2}")) {
                throw new IllegalArgumentException("must look like us-ashburn-1");
            }
            return v;
        }, d.region());
        String compartment = o.get("compartmentId", v -> {
            if (!OciIds.COMPARTMENT.matcher(v).matches() || v.length() > 255) {
                throw new IllegalArgumentException("must be a compartment or tenancy OCID"
                        + " (ocid1.compartment.oc1..<unique>), at most 255 characters");
            }
            return v;
        }, d.compartmentId());
        ApiOptions.StreamDefaults streams = o.streamDefaults(new ApiOptions.StreamDefaults(d.persistence(),
                d.maxSize(), d.segmentSize(), d.strategyOnFull(), d.flushOnWrite()));
        Optional<String> endpoint = o.get("messagesEndpoint", v -> {
            if (v.isEmpty()) {
                return Optional.<String>empty();
            }
            URI uri = URI.create(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
                throw new IllegalArgumentException("must be an http(s) URL without a path, like"
                        + " http://gateway.local:8089");
            }
            return Optional.of(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
        }, d.messagesEndpoint());
        o.check();
        return new OciSettings(region, compartment, streams.persistence(), streams.maxSize(), streams.segmentSize(),
                streams.strategyOnFull(), streams.flushOnWrite(), endpoint);
    }

    /** The definition of a stream created through OCI. */
    StreamDefinition definition(io.github.edgestream.core.model.StreamName name, int partitions, Duration retention,
            Map<String, String> tags) {
        return StreamDefinition.builder(name, strategyOnFull).persistence(persistence).maxSize(maxSize)
                .segmentSize(segmentSize).flushOnWrite(flushOnWrite && persistence == Persistence.FILE)
                .timeToLive(retention).partitions(partitions).tags(tags).build();
    }
}
