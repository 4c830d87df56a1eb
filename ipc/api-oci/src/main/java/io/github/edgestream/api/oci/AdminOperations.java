package io.github.edgestream.api.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The StreamAdminClient's operations: streams ({@code /streams}) and stream pools ({@code /streampools}): create,
 * get, list (filters, sorting, {@code limit}/{@code page} with {@code opc-next-page}), update (tags, and a stream's
 * retention), delete. Every resource is ACTIVE as soon as it exists (creation is synchronous here), so the SDK's
 * waiters return at their first poll; a deleted one is 404, which the waiters for DELETED accept.
 */
final class AdminOperations {

    static final int MAX_LIST_LIMIT = 1000;
    static final int DEFAULT_RETENTION_HOURS = 24;
    static final int MAX_RETENTION_HOURS = 8760;

    private final OciStreams streams;
    private final Clock clock;

    AdminOperations(OciStreams streams, Clock clock) {
        this.streams = streams;
        this.clock = clock;
    }

    // ------------------------------------------------------------------------------------------- streams

    CompletionStage<HttpReply> createStream(HttpCall call) {
        ObjectNode body = OciRequestDecoder.body(call);
        String name = OciRequestDecoder.string(body, "name", OciStreams.MAX_NAME_LENGTH);
        int partitions = (int) (long) OciRequestDecoder.optLong(body, "partitions", 1,
                StreamDefinition.MAX_PARTITIONS).orElseThrow(() -> OciException.missing("partitions"));
        int retention = (int) (long) OciRequestDecoder.optLong(body, "retentionInHours", 1, MAX_RETENTION_HOURS)
                .orElse((long) DEFAULT_RETENTION_HOURS);
        Optional<String> poolId = OciRequestDecoder.optString(body, "streamPoolId", 255);
        Optional<String> compartment = OciRequestDecoder.optString(body, "compartmentId", 255).map(this::compartment);
        Namespace namespace = poolId.map(OciIds::pool).orElse(Namespace.DEFAULT);
        StreamService pool = streams.pool(namespace);
        String compartmentId = compartment.orElseGet(() -> poolId.map(id -> poolAttributes(namespace)
                .getOrDefault(OciStreams.POOL_COMPARTMENT, streams.settings.compartmentId()))
                .orElseThrow(() -> OciException.missing("compartmentId (or streamPoolId)")));
        StreamName stream = OciStreams.streamName(namespace, name, "name");
        call.principal().check(Permission.ADMIN, namespace, stream.value());
        Map<String, String> tags = OciStreams.tags(compartmentId,
                OciRequestDecoder.optFreeformTags(body).orElse(Map.of()),
                OciRequestDecoder.optDefinedTags(body).orElse(Map.of()));
        StreamDefinition definition = streams.settings.definition(stream, partitions, Duration.ofHours(retention),
                tags);
        return pool.create(definition).thenApply(info -> {
            streams.revived(OciIds.stream(streams.settings.region(), namespace, stream.value()));
            return streamReply(call, namespace, info.definition());
        });
    }

    CompletionStage<HttpReply> getStream(HttpCall call, String id) {
        OciStreams.Target target;
        try {
            target = streams.resolve(id, call, Permission.READ);
        } catch (OciException poolGone) {
            return deletedStream(call, id, poolGone);
        }
        return target.pool().describe(target.name())
                .thenApply(d -> streamReply(call, target.namespace(), d.info().definition()))
                .exceptionallyCompose(failure -> deletedStream(call, id, failure));
    }

    /** A stream deleted through this API lately: lifecycleState DELETED; else the failure. */
    private CompletionStage<HttpReply> deletedStream(HttpCall call, String id, Throwable failure) {
        OciException error = OciErrorTable.of(failure);
        Optional<OciStreams.Tombstone> tombstone = streams.tombstone(id);
        if (error == null || error.status() != 404 || tombstone.isEmpty()) {
            return CompletableFuture.failedFuture(failure);
        }
        String endpoint = streams.endpoint(call);
        return CompletableFuture.completedFuture(OciResponseEncoder.json(200, out -> streams.write(out,
                tombstone.get().namespace(), tombstone.get().definition(), endpoint, false, "DELETED")));
    }

    CompletionStage<HttpReply> updateStream(HttpCall call, String id) {
        OciStreams.Target target = streams.resolve(id, call, Permission.ADMIN);
        ObjectNode body = OciRequestDecoder.body(call);
        Optional<Map<String, String>> freeform = OciRequestDecoder.optFreeformTags(body);
        Optional<Map<String, String>> defined = OciRequestDecoder.optDefinedTags(body);
        Optional<Long> retention = OciRequestDecoder.optLong(body, "retentionInHours", 1, MAX_RETENTION_HOURS);
        OciRequestDecoder.optString(body, "streamPoolId", 255).ifPresent(pool -> {
            if (!OciIds.pool(pool).equals(target.namespace())) {
                throw OciException.invalid("streamPoolId: moving a stream to another stream pool is not supported on"
                        + " the gateway; create the stream in that pool and copy its messages");
            }
        });
        return target.pool().describe(target.name()).thenCompose(description -> {
            StreamDefinition current = description.info().definition();
            CompletionStage<?> retained = retention.isEmpty() ? CompletableFuture.completedFuture(null)
                    : target.pool().update(current.toBuilder().timeToLive(Duration.ofHours(retention.get())).build());
            return retained.thenCompose(done -> {
                Set<String> remove = new HashSet<>();
                Map<String, String> add = new LinkedHashMap<>();
                for (String key : current.tags().keySet()) {
                    if (freeform.isPresent() && key.startsWith(OciStreams.FREEFORM_PREFIX)
                            || defined.isPresent() && key.startsWith(OciStreams.DEFINED_PREFIX)) {
                        remove.add(key);
                    }
                }
                freeform.ifPresent(tags -> tags.forEach((k, v) -> add.put(OciStreams.FREEFORM_PREFIX + k, v)));
                defined.ifPresent(tags -> tags.forEach((k, v) -> add.put(OciStreams.DEFINED_PREFIX + k, v)));
                remove.removeAll(add.keySet());
                return target.pool().tag(target.name(), add, remove);
            });
        }).thenApply(definition -> streamReply(call, target.namespace(), definition));
    }

    CompletionStage<HttpReply> deleteStream(HttpCall call, String id) {
        OciStreams.Target target = streams.resolve(id, call, Permission.ADMIN);
        return target.pool().describe(target.name()).thenCompose(d -> target.pool().delete(target.name())
                .thenApply(done -> {
                    streams.deleted(id, new OciStreams.Tombstone(target.namespace(), d.info().definition(), Map.of(),
                            clock.instant()));
                    return HttpReply.empty(202);
                }));
    }

    CompletionStage<HttpReply> listStreams(HttpCall call) {
        Optional<String> compartment = OciRequestDecoder.query(call, "compartmentId").map(this::compartment);
        Optional<String> poolId = OciRequestDecoder.query(call, "streamPoolId");
        if (compartment.isEmpty() && poolId.isEmpty()) {
            throw OciException.missing("compartmentId or streamPoolId");
        }
        Optional<String> name = OciRequestDecoder.query(call, "name");
        Optional<String> id = OciRequestDecoder.query(call, "id");
        Optional<String> state = OciRequestDecoder.query(call, "lifecycleState").map(s -> OciRequestDecoder.oneOf(
                "lifecycleState", s, List.of("CREATING", "ACTIVE", "DELETING", "DELETED", "FAILED", "UPDATING")));
        Page page = Page.of(call, "NAME", List.of("NAME", "TIMECREATED"));
        List<Namespace> pools = poolId.map(p -> List.of(OciIds.pool(p))).orElseGet(() -> streams.service.namespaces()
                .stream().filter(OciIds::isPool).toList());
        List<CompletableFuture<List<StreamDefinition>>> found = new ArrayList<>();
        for (Namespace namespace : pools) {
            StreamService pool = streams.pool(namespace);
            found.add(pool.list().thenCompose(names -> {
                List<CompletableFuture<Optional<StreamDefinition>>> each = new ArrayList<>();
                for (StreamName stream : names) {
                    if (call.principal().allows(Permission.READ, namespace, stream.value())) {
                        each.add(pool.describe(stream).thenApply(d -> Optional.of(d.info().definition()))
                                .exceptionally(gone -> Optional.empty()).toCompletableFuture());
                    }
                }
                return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                        .thenApply(all -> each.stream().map(CompletableFuture::join).flatMap(Optional::stream)
                                .toList());
            }).toCompletableFuture());
        }
        return CompletableFuture.allOf(found.toArray(CompletableFuture[]::new)).thenApply(all -> {
            record Row(Namespace namespace, StreamDefinition definition) {
            }
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < pools.size(); i++) {
                for (StreamDefinition definition : found.get(i).join()) {
                    Namespace namespace = pools.get(i);
                    boolean matches = compartment.map(c -> !definition.tags().containsKey(OciStreams.COMPARTMENT_TAG)
                            || c.equals(definition.tags().get(OciStreams.COMPARTMENT_TAG))).orElse(true)
                            && name.map(n -> n.equals(definition.name().value())).orElse(true)
                            && id.map(x -> x.equals(OciIds.stream(streams.settings.region(), namespace,
                                    definition.name().value()))).orElse(true)
                            && state.map("ACTIVE"::equals).orElse(true);
                    if (matches) {
                        rows.add(new Row(namespace, definition));
                    }
                }
            }
            Comparator<Row> order = page.sortBy().equals("NAME")
                    ? Comparator.comparing((Row r) -> r.definition().name().value())
                    : Comparator.comparing((Row r) -> r.definition().createdAt().orElse(Instant.EPOCH));
            order = order.thenComparing(r -> r.namespace().value());
            rows.sort(page.descending() ? order.reversed() : order);
            String endpoint = streams.endpoint(call);
            List<Row> shown = page.slice(rows);
            HttpReply reply = OciResponseEncoder.json(200, out -> {
                out.writeStartArray();
                for (Row row : shown) {
                    streams.write(out, row.namespace(), row.definition(), endpoint, true);
                }
                out.writeEndArray();
            });
            return page.next(rows.size()).map(next -> reply.header("opc-next-page", next)).orElse(reply);
        });
    }

    private HttpReply streamReply(HttpCall call, Namespace namespace, StreamDefinition definition) {
        String endpoint = streams.endpoint(call);
        return OciResponseEncoder.json(200, out -> streams.write(out, namespace, definition, endpoint, false));
    }

    private String compartment(String id) {
        if (!OciIds.COMPARTMENT.matcher(id).matches()) {
            throw OciException.invalid("compartmentId \"" + OciRequestDecoder.clipText(id) + "\" is not a compartment"
                    + " OCID (ocid1.compartment.oc1..<unique>)");
        }
        return id;
    }

    // ------------------------------------------------------------------------------------------- pools

    CompletionStage<HttpReply> createPool(HttpCall call) {
        ObjectNode body = OciRequestDecoder.body(call);
        String compartment = compartment(OciRequestDecoder.string(body, "compartmentId", 255));
        String name = OciRequestDecoder.string(body, "name", OciStreams.MAX_NAME_LENGTH);
        if (body.hasNonNull("privateEndpointDetails") || body.hasNonNull("customEncryptionKeyDetails")) {
            throw OciException.invalid("private endpoints and customer-managed encryption keys are not available on"
                    + " the gateway: create the pool without privateEndpointDetails and customEncryptionKeyDetails");
        }
        Namespace namespace = OciIds.newPool();
        call.principal().check(Permission.ADMIN, namespace, null);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(OciStreams.POOL_NAME, name);
        attributes.put(OciStreams.POOL_COMPARTMENT, compartment);
        attributes.put(OciStreams.POOL_CREATED, OciResponseEncoder.time(clock.instant()));
        attributes.put(OciStreams.POOL_FREEFORM, toJson(OciRequestDecoder.optFreeformTags(body).orElse(Map.of())));
        attributes.put(OciStreams.POOL_DEFINED, definedJson(body));
        return streams.service.addNamespace(namespace, attributes)
                .thenApply(created -> poolReply(call, namespace, attributes, false));
    }

    CompletionStage<HttpReply> getPool(HttpCall call, String id) {
        Namespace namespace = OciIds.pool(id);
        requirePoolAccess(call, namespace, Permission.READ);
        Map<String, String> attributes;
        try {
            attributes = poolAttributes(namespace);
        } catch (OciException missing) {
            OciStreams.Tombstone tombstone = streams.tombstone(id).orElseThrow(() -> missing);
            return CompletableFuture.completedFuture(OciResponseEncoder.json(200, out -> writePool(out, namespace,
                    tombstone.attributes(), streams.settings.compartmentId(), false, "DELETED")));
        }
        return CompletableFuture.completedFuture(poolReply(call, namespace, attributes, false));
    }

    CompletionStage<HttpReply> updatePool(HttpCall call, String id) {
        Namespace namespace = OciIds.pool(id);
        requirePoolAccess(call, namespace, Permission.ADMIN);
        ObjectNode body = OciRequestDecoder.body(call);
        if (namespace.isDefault()) {
            throw new OciException(409, OciException.CONFLICT, "the default stream pool cannot be changed");
        }
        Map<String, String> attributes = new LinkedHashMap<>(poolAttributes(namespace));
        OciRequestDecoder.optFreeformTags(body).ifPresent(tags -> attributes.put(OciStreams.POOL_FREEFORM,
                toJson(tags)));
        if (body.hasNonNull("definedTags")) {
            attributes.put(OciStreams.POOL_DEFINED, definedJson(body));
        }
        return streams.service.setNamespaceAttributes(namespace, attributes)
                .thenApply(done -> poolReply(call, namespace, attributes, false));
    }

    CompletionStage<HttpReply> deletePool(HttpCall call, String id) {
        Namespace namespace = OciIds.pool(id);
        requirePoolAccess(call, namespace, Permission.ADMIN);
        if (namespace.isDefault()) {
            throw new OciException(409, OciException.CONFLICT, "the default stream pool cannot be deleted");
        }
        Map<String, String> attributes = poolAttributes(namespace);
        return streams.service.deleteNamespace(namespace).thenApply(existed -> {
            streams.deleted(id, new OciStreams.Tombstone(namespace, null, attributes, clock.instant()));
            return HttpReply.empty(202);
        });
    }

    CompletionStage<HttpReply> listPools(HttpCall call) {
        String compartment = compartment(OciRequestDecoder.query(call, "compartmentId")
                .orElseThrow(() -> OciException.missing("compartmentId")));
        Optional<String> name = OciRequestDecoder.query(call, "name");
        Optional<String> id = OciRequestDecoder.query(call, "id");
        Optional<String> state = OciRequestDecoder.query(call, "lifecycleState");
        Page page = Page.of(call, "NAME", List.of("NAME", "TIMECREATED"));
        record Row(Namespace namespace, Map<String, String> attributes) {
            String name() {
                return attributes.getOrDefault(OciStreams.POOL_NAME, OciStreams.DEFAULT_POOL_NAME);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Namespace namespace : streams.service.namespaces()) {
            if (!OciIds.isPool(namespace) || !call.principal().allowsNamespace(Permission.READ, namespace)) {
                continue;
            }
            Map<String, String> attributes = namespace.isDefault() ? Map.of()
                    : streams.service.namespaceAttributes(namespace).orElse(null);
            if (attributes == null) {
                continue;
            }
            Row row = new Row(namespace, attributes);
            String poolCompartment = attributes.getOrDefault(OciStreams.POOL_COMPARTMENT, compartment);
            if (poolCompartment.equals(compartment) && name.map(row.name()::equals).orElse(true)
                    && id.map(x -> x.equals(OciIds.pool(streams.settings.region(), namespace))).orElse(true)
                    && state.map("ACTIVE"::equals).orElse(true)) {
                rows.add(row);
            }
        }
        Comparator<Row> order = page.sortBy().equals("NAME") ? Comparator.comparing(Row::name)
                : Comparator.comparing(r -> r.attributes().getOrDefault(OciStreams.POOL_CREATED, ""));
        order = order.thenComparing(r -> r.namespace().value());
        rows.sort(page.descending() ? order.reversed() : order);
        List<Row> shown = page.slice(rows);
        HttpReply reply = OciResponseEncoder.json(200, out -> {
            out.writeStartArray();
            for (Row row : shown) {
                writePool(out, row.namespace(), row.attributes(), compartment, true);
            }
            out.writeEndArray();
        });
        return CompletableFuture.completedFuture(page.next(rows.size()).map(next -> reply.header("opc-next-page",
                next)).orElse(reply));
    }

    private void requirePoolAccess(HttpCall call, Namespace namespace, Permission permission) {
        if (!call.principal().allowsNamespace(permission, namespace)) {
            throw new io.github.edgestream.http.auth.AccessDeniedException("credential \"" + call.principal().name()
                    + "\" may not " + permission.name().toLowerCase() + " stream pool "
                    + OciIds.pool(streams.settings.region(), namespace));
        }
    }

    /** A pool's attributes (none for the default pool); 404 if it does not exist. */
    private Map<String, String> poolAttributes(Namespace namespace) {
        if (namespace.isDefault()) {
            return Map.of();
        }
        return streams.service.namespaceAttributes(namespace).filter(a -> OciIds.isPool(namespace))
                .orElseThrow(() -> OciException.notFound("stream pool " + OciIds.pool(streams.settings.region(),
                        namespace) + " does not exist"));
    }

    private HttpReply poolReply(HttpCall call, Namespace namespace, Map<String, String> attributes, boolean summary) {
        return OciResponseEncoder.json(200, out -> writePool(out, namespace, attributes,
                streams.settings.compartmentId(), summary));
    }

    private void writePool(JsonGenerator out, Namespace namespace, Map<String, String> attributes,
            String defaultCompartment, boolean summary) throws IOException {
        writePool(out, namespace, attributes, defaultCompartment, summary, "ACTIVE");
    }

    private void writePool(JsonGenerator out, Namespace namespace, Map<String, String> attributes,
            String defaultCompartment, boolean summary, String state) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", OciIds.pool(streams.settings.region(), namespace));
        out.writeStringField("compartmentId", attributes.getOrDefault(OciStreams.POOL_COMPARTMENT,
                defaultCompartment));
        out.writeStringField("name", attributes.getOrDefault(OciStreams.POOL_NAME, OciStreams.DEFAULT_POOL_NAME));
        out.writeStringField("lifecycleState", state);
        out.writeStringField("timeCreated", attributes.getOrDefault(OciStreams.POOL_CREATED,
                OciResponseEncoder.time(Instant.EPOCH)));
        out.writeBooleanField("isPrivate", false);
        if (!summary) {
            out.writeObjectFieldStart("kafkaSettings");
            out.writeEndObject();
            out.writeObjectFieldStart("customEncryptionKey");
            out.writeStringField("keyState", "NONE");
            out.writeEndObject();
        }
        out.writeFieldName("freeformTags");
        out.writeRawValue(attributes.getOrDefault(OciStreams.POOL_FREEFORM, "{}"));
        out.writeFieldName("definedTags");
        out.writeRawValue(attributes.getOrDefault(OciStreams.POOL_DEFINED, "{}"));
        out.writeEndObject();
    }

    private static String toJson(Map<String, String> tags) {
        ObjectNode node = BodyCodecs.json().createObjectNode();
        tags.forEach(node::put);
        return node.toString();
    }

    /** The definedTags of a body, checked, as JSON text. */
    private static String definedJson(ObjectNode body) {
        OciRequestDecoder.optDefinedTags(body);
        JsonNode defined = body.get("definedTags");
        return defined == null || defined.isNull() ? "{}" : defined.toString();
    }

    /** {@code limit}, {@code page} (an offset, opaque to clients), {@code sortBy} and {@code sortOrder}. */
    record Page(int offset, int limit, String sortBy, boolean descending) {

        static Page of(HttpCall call, String defaultSort, List<String> sorts) {
            int limit = (int) (long) OciRequestDecoder.queryLong(call, "limit", 1, MAX_LIST_LIMIT)
                    .orElse((long) MAX_LIST_LIMIT);
            int offset = OciRequestDecoder.query(call, "page").map(p -> {
                if (!p.matches("o[0-9]{1,9}")) {
                    throw OciException.invalid("page \"" + OciRequestDecoder.clipText(p) + "\" is not a page this"
                            + " gateway handed out in opc-next-page");
                }
                return Integer.parseInt(p.substring(1));
            }).orElse(0);
            String sortBy = OciRequestDecoder.query(call, "sortBy").map(s -> OciRequestDecoder.oneOf("sortBy", s,
                    sorts)).orElse(defaultSort);
            boolean descending = OciRequestDecoder.query(call, "sortOrder").map(s -> OciRequestDecoder.oneOf(
                    "sortOrder", s, List.of("ASC", "DESC"))).map("DESC"::equals).orElse(false);
            return new Page(offset, limit, sortBy, descending);
        }

        <T> List<T> slice(List<T> rows) {
            return rows.subList(Math.min(offset, rows.size()), Math.min(rows.size(), offset + limit));
        }

        Optional<String> next(int total) {
            return offset + limit < total ? Optional.of("o" + (offset + limit)) : Optional.empty();
        }
    }
}
