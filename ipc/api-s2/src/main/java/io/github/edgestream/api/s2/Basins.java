package io.github.edgestream.api.s2;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.http.HttpCall;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * S2's basins over the store's namespaces, and their streams: finding them (with S2's errors when they are not
 * there), creating streams with the API's settings and the basin's defaults, and auto-creating a stream on first
 * append or read where the basin or the {@code s2-stream-config} header asks for it. Thread-safe.
 */
final class Basins {

    static final String ATTRIBUTE_CONFIG = "config";
    static final String ATTRIBUTE_CREATED_AT = "created_at";

    private final StreamService service;
    private final S2Settings settings;
    private final Clock clock;

    Basins(StreamService service, S2Settings settings, Clock clock) {
        this.service = service;
        this.settings = settings;
        this.clock = clock;
    }

    StreamService service() {
        return service;
    }

    S2Settings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    /** The basin a request addresses: its {@code s2-basin} header, or the {@code /{basin}/v1} prefix of its path. */
    static String basinOf(HttpCall call, Optional<String> fromPath) {
        String header = call.headers().get("s2-basin");
        if (header != null) {
            return S2Names.basin(header, "the s2-basin header");
        }
        if (fromPath.isPresent()) {
            return S2Names.basin(fromPath.get(), "the basin in the path");
        }
        throw S2Exception.badHeader("the request names no basin: send the s2-basin header (the SDK does when its"
                + " basin endpoint is set) or use a /{basin}/v1 path");
    }

    /** Every S2 basin, sorted. */
    List<String> list() {
        return service.namespaces().stream().map(S2Names::basinOf).flatMap(Optional::stream).sorted().toList();
    }

    /** The store's commands for a basin's streams; fails with 404 {@code basin_not_found}. */
    StreamService basin(String basin) {
        try {
            return service.namespace(S2Names.namespace(basin), false);
        } catch (IllegalArgumentException missing) {
            throw new S2Exception(404, "basin_not_found", "basin \"" + basin + "\" does not exist");
        }
    }

    boolean exists(String basin) {
        return service.namespaceAttributes(S2Names.namespace(basin)).isPresent();
    }

    BasinConfig config(String basin) {
        Map<String, String> attributes = service.namespaceAttributes(S2Names.namespace(basin))
                .orElseThrow(() -> new S2Exception(404, "basin_not_found", "basin \"" + basin
                        + "\" does not exist"));
        return BasinConfig.stored(Optional.ofNullable(attributes.get(ATTRIBUTE_CONFIG)));
    }

    String createdAt(String basin) {
        return service.namespaceAttributes(S2Names.namespace(basin))
                .map(a -> a.getOrDefault(ATTRIBUTE_CREATED_AT, Instant.EPOCH.toString())).orElse(
                        Instant.EPOCH.toString());
    }

    /** Creates a basin: completes with whether this call created it (false: it existed and is unchanged). */
    CompletionStage<Boolean> create(String basin, BasinConfig config) {
        return service.addNamespace(S2Names.namespace(basin), Map.of(ATTRIBUTE_CONFIG, config.toJson().toString(),
                ATTRIBUTE_CREATED_AT, now()));
    }

    CompletionStage<Void> reconfigure(String basin, BasinConfig config) {
        Namespace ns = S2Names.namespace(basin);
        Map<String, String> attributes = new java.util.HashMap<>(service.namespaceAttributes(ns)
                .orElseThrow(() -> new S2Exception(404, "basin_not_found", "basin \"" + basin
                        + "\" does not exist")));
        attributes.put(ATTRIBUTE_CONFIG, config.toJson().toString());
        return service.setNamespaceAttributes(ns, attributes);
    }

    CompletionStage<Boolean> delete(String basin) {
        return service.deleteNamespace(S2Names.namespace(basin));
    }

    String now() {
        return Instant.ofEpochMilli(clock.millis()).toString();
    }

    // ------------------------------------------------------------------------------------------------ streams

    /** The definition of a new stream in a basin, from its requested configuration and the basin's defaults. */
    StreamDefinition definition(String basin, StreamName name, StreamConfig requested) {
        StreamConfig config = requested.complete(config(basin).defaultStreamConfig(), settings.retention());
        StreamDefinition.Builder builder = StreamDefinition.builder(name, settings.strategyOnFull())
                .persistence(settings.persistence()).maxSize(settings.maxSize()).segmentSize(settings.segmentSize())
                .flushOnWrite(settings.flushOnWrite() && settings.persistence()
                        == io.github.edgestream.core.model.Persistence.FILE)
                .tags(config.tags());
        config.timeToLive().ifPresent(builder::timeToLive);
        return builder.build();
    }

    /**
     * A stream to append to or read from, created first if it does not exist and either the basin creates streams on
     * that operation or the request carries {@code s2-stream-config}.
     *
     * @param onAppend whether the caller appends (else it reads)
     */
    CompletionStage<MessageStream> stream(String basin, StreamName name, boolean onAppend, HttpCall call) {
        StreamService streams;
        try {
            streams = basin(basin);
        } catch (S2Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        Optional<MessageStream> existing = find(streams, name);
        if (existing.isPresent()) {
            return CompletableFuture.completedFuture(existing.get());
        }
        String header = call.headers().get("s2-stream-config");
        BasinConfig config = config(basin);
        boolean create = header != null || (onAppend ? config.createStreamOnAppend() : config.createStreamOnRead());
        if (!create) {
            return CompletableFuture.failedFuture(new S2Exception(404, "stream_not_found", "stream \"" + name
                    + "\" does not exist in basin \"" + basin + "\" (the basin does not create streams on "
                    + (onAppend ? "append" : "read") + ")"));
        }
        StreamConfig requested = StreamConfig.EMPTY;
        if (header != null) {
            try {
                JsonNode json = S2RequestDecoder.json(header);
                requested = StreamConfig.parse(json, "s2-stream-config");
            } catch (IOException e) {
                return CompletableFuture.failedFuture(S2Exception.badHeader("s2-stream-config is not valid JSON: "
                        + S2RequestDecoder.clip(e.getMessage())));
            } catch (S2Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        StreamDefinition definition;
        try {
            definition = definition(basin, name, requested);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return streams.create(definition).handle((created, failure) -> {
            // a concurrent first append or read may have created it: then it is there to use
            if (failure != null && !(unwrap(failure) instanceof StreamAlreadyExistsException)) {
                throw AdminOperations.rethrow(failure);
            }
            return find(streams, name).orElseThrow(() -> new StreamNotFoundException(name));
        });
    }

    static Optional<MessageStream> find(StreamService streams, StreamName name) {
        try {
            return Optional.of(streams.partitions(name).toCompletableFuture().join().get(0));
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof StreamNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
