package io.github.edgestream.api.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.model.ValidationProblem;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.auth.Permission;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * What every operation needs to address a stream the OCI way: its OCID to the namespace and name behind it
 * ({@link OciIds}), the caller's permission on it, the stream's pool, and the OCI view of an edgestream definition
 * (compartment, tags, retention, creation time) kept in the definition's tags:
 *
 * <ul>
 * <li>{@value #COMPARTMENT_TAG}: the stream's compartment (a stream created by another API has none and belongs to
 *     every compartment: it is listed whatever compartment is asked for, and shown in the pool's);
 * <li>{@value #FREEFORM_PREFIX}{@code <key>}: a free-form tag; {@value #DEFINED_PREFIX}{@code <namespace>.<key>}:
 *     a defined tag, its value as JSON.
 * </ul>
 */
final class OciStreams {

    static final String COMPARTMENT_TAG = "oci:compartmentId";
    static final String FREEFORM_PREFIX = "oci:ff:";
    static final String DEFINED_PREFIX = "oci:dt:";
    /** Pool attributes, kept with the pool's namespace. */
    static final String POOL_NAME = "oci.name";
    static final String POOL_COMPARTMENT = "oci.compartmentId";
    static final String POOL_CREATED = "oci.timeCreated";
    static final String POOL_FREEFORM = "oci.freeformTags";
    static final String POOL_DEFINED = "oci.definedTags";
    static final String DEFAULT_POOL_NAME = "DefaultPool";
    static final int MAX_NAME_LENGTH = 255;

    /** How many deleted streams and pools are remembered, and for how long (see {@link #deleted}). */
    static final int MAX_TOMBSTONES = 1024;
    static final Duration TOMBSTONE_TTL = Duration.ofHours(1);

    final StreamService service;
    final OciSettings settings;
    private final java.time.Clock clock;
    /** OCID of a stream or pool deleted through this API to what it was and when it went; oldest first. */
    private final java.util.LinkedHashMap<String, Tombstone> tombstones = new java.util.LinkedHashMap<>();

    OciStreams(StreamService service, OciSettings settings, java.time.Clock clock) {
        this.service = service;
        this.settings = settings;
        this.clock = clock;
    }

    /** A deleted stream (its definition) or pool (its attributes), as GET shows it: lifecycleState DELETED. */
    record Tombstone(Namespace namespace, StreamDefinition definition, Map<String, String> attributes,
            Instant deletedAt) {
    }

    /**
     * Remembers a stream or pool deleted through this API, so that GET answers it with lifecycleState DELETED for
     * {@link #TOMBSTONE_TTL} (at most {@link #MAX_TOMBSTONES} of them), as OCI does: the SDKs' waiters for DELETED
     * poll GET until they see that state (the Node SDK's waiter does not survive a 404).
     */
    synchronized void deleted(String id, Tombstone tombstone) {
        tombstones.remove(id);
        tombstones.put(id, tombstone);
        while (tombstones.size() > MAX_TOMBSTONES) {
            tombstones.remove(tombstones.keySet().iterator().next());
        }
    }

    /** The tombstone of a deleted stream or pool, if it went within {@link #TOMBSTONE_TTL}. */
    synchronized Optional<Tombstone> tombstone(String id) {
        Instant horizon = clock.instant().minus(TOMBSTONE_TTL);
        tombstones.values().removeIf(t -> t.deletedAt().isBefore(horizon));
        return Optional.ofNullable(tombstones.get(id));
    }

    /** Forgets a tombstone (a stream or pool of that OCID exists again). */
    synchronized void revived(String id) {
        tombstones.remove(id);
    }

    /** A stream found by its OCID: the service of its pool, its name, its OCID. */
    record Target(Namespace namespace, StreamService pool, StreamName name, String id) {
    }

    /**
     * The stream an OCID names, checked against the caller's scope; the stream itself may not exist (the operation
     * finds out).
     *
     * @throws OciException 404 if the OCID is not one of this gateway's, or its pool does not exist
     * @throws io.github.edgestream.http.auth.AccessDeniedException if the caller may not
     */
    Target resolve(String id, HttpCall call, Permission permission) {
        OciIds.StreamRef ref = OciIds.stream(id);
        StreamName name = streamName(ref.namespace(), ref.name(), "the stream OCID's name");
        call.principal().check(permission, ref.namespace(), name.value());
        return new Target(ref.namespace(), pool(ref.namespace()), name, id);
    }

    /** The service of a pool's namespace. */
    StreamService pool(Namespace namespace) {
        if (!OciIds.isPool(namespace)) {
            throw OciException.notFound("stream pool of namespace \"" + namespace + "\" does not exist");
        }
        try {
            return service.namespace(namespace, false);
        } catch (IllegalArgumentException missing) {
            throw OciException.notFound("stream pool " + OciIds.pool(settings.region(), namespace)
                    + " does not exist");
        }
    }

    /** A stream name by the rule of its pool: the portable one in the default pool (shared with Greengrass). */
    static StreamName streamName(Namespace namespace, String name, String field) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw OciException.invalid(field + " must be 1 to " + MAX_NAME_LENGTH + " characters, not "
                    + name.length());
        }
        Optional<ValidationProblem> problem = namespace.isDefault() ? StreamName.check(field, name)
                : StreamName.checkAny(field, name);
        if (problem.isPresent()) {
            throw OciException.invalid(problem.get().message());
        }
        return namespace.isDefault() ? StreamName.of(name) : StreamName.anyOf(name);
    }

    /** A stream's definition and partitions; fails with 404 if it does not exist. */
    CompletionStage<Stream> find(Target target) {
        return target.pool().describe(target.name()).thenCombine(target.pool().partitions(target.name()),
                (description, partitions) -> new Stream(target, description.info().definition(), partitions));
    }

    /** A stream as found. */
    record Stream(Target target, StreamDefinition definition, List<MessageStream> partitions) {

        long createdMillis() {
            return definition.createdAt().map(Instant::toEpochMilli).orElse(0L);
        }

        OciCursors.Target cursorTarget() {
            return new OciCursors.Target(target.namespace(), target.name().value(), createdMillis());
        }
    }

    // ---------------------------------------------------------------------------------------- the OCI view

    String compartmentOf(StreamDefinition definition) {
        return definition.tags().getOrDefault(COMPARTMENT_TAG, settings.compartmentId());
    }

    static int retentionHours(StreamDefinition definition) {
        return definition.timeToLive().map(ttl -> (int) Math.min(8760, Math.max(1,
                (ttl.toMillis() + Duration.ofHours(1).toMillis() - 1) / Duration.ofHours(1).toMillis())))
                .orElse(8760);
    }

    /** The tags of a definition for a stream's compartment, free-form tags and defined tags. */
    static Map<String, String> tags(String compartment, Map<String, String> freeform, Map<String, String> defined) {
        Map<String, String> tags = new TreeMap<>();
        tags.put(COMPARTMENT_TAG, compartment);
        freeform.forEach((k, v) -> tags.put(FREEFORM_PREFIX + k, v));
        defined.forEach((k, v) -> tags.put(DEFINED_PREFIX + k, v));
        return tags;
    }

    /** Writes a Stream (or, {@code summary}, a StreamSummary). */
    void write(JsonGenerator out, Namespace namespace, StreamDefinition definition, String endpoint, boolean summary)
            throws IOException {
        write(out, namespace, definition, endpoint, summary, "ACTIVE");
    }

    void write(JsonGenerator out, Namespace namespace, StreamDefinition definition, String endpoint, boolean summary,
            String state) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", OciIds.stream(settings.region(), namespace, definition.name().value()));
        out.writeStringField("name", definition.name().value());
        out.writeNumberField("partitions", definition.partitions());
        if (!summary) {
            out.writeNumberField("retentionInHours", retentionHours(definition));
        }
        out.writeStringField("compartmentId", compartmentOf(definition));
        out.writeStringField("streamPoolId", OciIds.pool(settings.region(), namespace));
        out.writeStringField("lifecycleState", state);
        out.writeStringField("timeCreated", OciResponseEncoder.time(definition.createdAt().orElse(Instant.EPOCH)));
        out.writeStringField("messagesEndpoint", endpoint);
        writeTags(out, definition.tags(), FREEFORM_PREFIX, DEFINED_PREFIX);
        out.writeEndObject();
    }

    /** freeformTags and definedTags from tags kept under two prefixes. */
    static void writeTags(JsonGenerator out, Map<String, String> tags, String freeform, String defined)
            throws IOException {
        out.writeObjectFieldStart("freeformTags");
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().startsWith(freeform)) {
                out.writeStringField(tag.getKey().substring(freeform.length()), tag.getValue());
            }
        }
        out.writeEndObject();
        Map<String, Map<String, String>> byNamespace = new TreeMap<>();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().startsWith(defined)) {
                String key = tag.getKey().substring(defined.length());
                int dot = key.indexOf('.');
                byNamespace.computeIfAbsent(key.substring(0, Math.max(dot, 0)), n -> new TreeMap<>())
                        .put(key.substring(dot + 1), tag.getValue());
            }
        }
        out.writeObjectFieldStart("definedTags");
        for (Map.Entry<String, Map<String, String>> ns : byNamespace.entrySet()) {
            out.writeObjectFieldStart(ns.getKey());
            for (Map.Entry<String, String> tag : ns.getValue().entrySet()) {
                out.writeFieldName(tag.getKey());
                out.writeRawValue(tag.getValue());
            }
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    /** The messagesEndpoint: the configured one, else the URL this request came to. */
    String endpoint(HttpCall call) {
        return settings.messagesEndpoint().orElseGet(() -> {
            String host = call.headers().get("host");
            return "http://" + (host == null || !host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,300}") ? "127.0.0.1" : host);
        });
    }
}
