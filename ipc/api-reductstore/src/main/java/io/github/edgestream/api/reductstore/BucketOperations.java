package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The server and its buckets: {@code GET /info}, {@code GET /list}, {@code GET|HEAD /alive}, and
 * {@code POST|GET|HEAD|PUT|DELETE /b/{bucket}}. Admin bodies are JSON whatever their content type (the clients send
 * {@code text/plain}).
 */
final class BucketOperations {

    private final Buckets buckets;
    private final RecordEdits edits;
    private final Instant started;

    BucketOperations(Buckets buckets, RecordEdits edits) {
        this.buckets = buckets;
        this.edits = edits;
        this.started = buckets.clock.instant();
    }

    static JsonNode body(HttpCall call) {
        if (call.bodyLength() == 0) {
            return BodyCodecs.json().createObjectNode();
        }
        try {
            return BodyCodecs.readTree(BodyCodecs.json(), call);
        } catch (IOException e) {
            throw ReductException.unprocessable("Invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    CompletionStage<HttpReply> info(HttpCall call) {
        long usage = 0;
        long oldest = Long.MAX_VALUE;
        long latest = 0;
        List<String> visible = visible(call);
        for (String bucket : visible) {
            for (Buckets.EntryFigures entry : buckets.entries(bucket)) {
                usage += entry.size();
                if (entry.recordCount() > 0) {
                    oldest = Math.min(oldest, entry.oldest());
                    latest = Math.max(latest, entry.latest());
                }
            }
        }
        long usageTotal = usage;
        long oldestTotal = oldest == Long.MAX_VALUE ? 0 : oldest;
        long latestTotal = latest;
        long uptime = Math.max(0, buckets.clock.instant().getEpochSecond() - started.getEpochSecond());
        return CompletableFuture.completedFuture(ReductResponses.json(out -> {
            out.writeStartObject();
            out.writeStringField("version", ReductResponses.API_VERSION + ".0");
            out.writeNumberField("bucket_count", visible.size());
            out.writeNumberField("uptime", uptime);
            out.writeNumberField("usage", usageTotal);
            out.writeNumberField("oldest_record", oldestTotal);
            out.writeNumberField("latest_record", latestTotal);
            out.writeObjectFieldStart("defaults");
            out.writeFieldName("bucket");
            out.writeTree(Buckets.completed(BodyCodecs.json().createObjectNode()));
            out.writeEndObject();
            out.writeEndObject();
        }));
    }

    /** The buckets the caller may read. */
    private List<String> visible(HttpCall call) {
        return buckets.list().stream()
                .filter(b -> call.principal().allowsNamespace(Permission.READ, Buckets.namespace(b))).toList();
    }

    CompletionStage<HttpReply> list(HttpCall call) {
        List<String> visible = visible(call);
        return CompletableFuture.completedFuture(ReductResponses.json(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("buckets");
            for (String bucket : visible) {
                writeInfo(out, bucket, buckets.entries(bucket));
            }
            out.writeEndArray();
            out.writeEndObject();
        }));
    }

    private static void writeInfo(JsonGenerator out, String bucket, List<Buckets.EntryFigures> entries)
            throws IOException {
        long size = 0;
        long oldest = Long.MAX_VALUE;
        long latest = 0;
        for (Buckets.EntryFigures entry : entries) {
            size += entry.size();
            if (entry.recordCount() > 0) {
                oldest = Math.min(oldest, entry.oldest());
                latest = Math.max(latest, entry.latest());
            }
        }
        out.writeStartObject();
        out.writeStringField("name", bucket);
        out.writeNumberField("entry_count", entries.size());
        out.writeNumberField("size", size);
        out.writeNumberField("oldest_record", oldest == Long.MAX_VALUE ? 0 : oldest);
        out.writeNumberField("latest_record", latest);
        out.writeBooleanField("is_provisioned", false);
        out.writeStringField("status", "READY");
        out.writeEndObject();
    }

    CompletionStage<HttpReply> create(HttpCall call, String bucket) {
        Buckets.bucketName(bucket);
        Namespace ns = Buckets.namespace(bucket);
        call.principal().check(Permission.ADMIN, ns, null);
        ObjectNode settings = Buckets.checked(body(call));
        Map<String, String> attributes = Map.of(Buckets.ATTRIBUTE_SETTINGS, settings.toString(),
                Buckets.ATTRIBUTE_CREATED, buckets.clock.instant().toString());
        return buckets.service.addNamespace(ns, attributes).thenApply(created -> {
            if (!created) {
                throw ReductException.conflict("Bucket '" + bucket + "' already exists");
            }
            return ReductResponses.ok();
        });
    }

    CompletionStage<HttpReply> get(HttpCall call, String bucket, boolean head) {
        Buckets.bucketName(bucket);
        readable(call, bucket);
        ObjectNode settings = buckets.settings(bucket);
        if (head) {
            return CompletableFuture.completedFuture(ReductResponses.ok());
        }
        List<Buckets.EntryFigures> entries = buckets.entries(bucket);
        return CompletableFuture.completedFuture(ReductResponses.json(out -> {
            out.writeStartObject();
            out.writeFieldName("settings");
            out.writeTree(settings);
            out.writeFieldName("info");
            writeInfo(out, bucket, entries);
            out.writeArrayFieldStart("entries");
            for (Buckets.EntryFigures entry : entries) {
                out.writeStartObject();
                out.writeStringField("name", entry.name());
                out.writeNumberField("block_count", entry.blockCount());
                out.writeNumberField("record_count", entry.recordCount());
                out.writeNumberField("size", entry.size());
                out.writeNumberField("oldest_record", entry.oldest());
                out.writeNumberField("latest_record", entry.latest());
                out.writeStringField("status", "READY");
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        }));
    }

    private void readable(HttpCall call, String bucket) {
        if (!call.principal().allowsNamespace(Permission.READ, Buckets.namespace(bucket))) {
            throw new ReductException(403, "Token '" + call.principal().name()
                    + "' doesn't have read access to bucket '" + bucket + "'");
        }
    }

    CompletionStage<HttpReply> update(HttpCall call, String bucket) {
        Buckets.bucketName(bucket);
        Namespace ns = Buckets.namespace(bucket);
        call.principal().check(Permission.ADMIN, ns, null);
        ObjectNode changes = Buckets.checked(body(call));
        ObjectNode settings = buckets.settings(bucket);
        settings.setAll(changes);
        Map<String, String> attributes = new HashMap<>(buckets.service.namespaceAttributes(ns).orElseThrow());
        attributes.put(Buckets.ATTRIBUTE_SETTINGS, settings.toString());
        return buckets.service.setNamespaceAttributes(ns, attributes).thenApply(done -> ReductResponses.ok());
    }

    /**
     * {@code PUT /b/{bucket}/rename} with {@code {"new_name": "..."}}: the bucket, its entries, records, edits and
     * settings under a new name; 409 if the name is taken. Tokens keep naming the old bucket (see the README).
     */
    CompletionStage<HttpReply> rename(HttpCall call, String bucket) {
        Buckets.bucketName(bucket);
        JsonNode body = body(call);
        if (!body.path("new_name").isTextual()) {
            throw ReductException.unprocessable("'new_name' must be the bucket's new name");
        }
        String to = Buckets.bucketName(body.path("new_name").asText());
        call.principal().check(Permission.ADMIN, Buckets.namespace(bucket), null);
        call.principal().check(Permission.ADMIN, Buckets.namespace(to), null);
        buckets.bucket(bucket);
        if (buckets.service.namespaceAttributes(Buckets.namespace(to)).isPresent()) {
            throw ReductException.conflict("Bucket '" + to + "' already exists");
        }
        return buckets.service.renameNamespace(Buckets.namespace(bucket), Buckets.namespace(to)).thenApply(done -> {
            edits.forgetBucket(bucket);
            return ReductResponses.ok();
        });
    }

    CompletionStage<HttpReply> delete(HttpCall call, String bucket) {
        Buckets.bucketName(bucket);
        Namespace ns = Buckets.namespace(bucket);
        call.principal().check(Permission.ADMIN, ns, null);
        buckets.bucket(bucket);
        return buckets.service.deleteNamespace(ns).thenApply(existed -> {
            edits.forgetBucket(bucket);
            return ReductResponses.ok();
        });
    }
}
