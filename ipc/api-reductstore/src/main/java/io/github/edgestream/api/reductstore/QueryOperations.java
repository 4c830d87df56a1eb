package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Queries in both of ReductStore's protocols:
 * <ul>
 * <li><b>v1</b> (one entry): {@code POST /b/{bucket}/{entry}/q} opens it,
 *     {@code GET|HEAD /b/{bucket}/{entry}/batch?q=N} reads a batch: a header
 *     {@code x-reduct-time-<ts>: <length>,<content type>,<labels>} per record (every label written out), the bodies
 *     in time order.
 * <li><b>v2</b> (several entries): {@code POST /io/{bucket}/q} opens it, {@code GET|HEAD /io/{bucket}/read} with
 *     {@code x-reduct-query-id: N} reads a batch: {@code x-reduct-entries}, {@code x-reduct-start-ts}, and per record
 *     {@code x-reduct-<entry index>-<time delta>: <length>[,<content type>[,<label changes>]]}, where the content type
 *     and labels are given against the entry's previous record in the same batch: nothing when they are equal, else
 *     the changed labels and {@code name=} for each label the record no longer has (so a label of one record never
 *     leaks into the next).
 * </ul>
 * Both end with {@code x-reduct-last: true} on a query's last batch; a read with nothing (more) is 204 with
 * {@code x-reduct-error}. {@code only_metadata} sends the headers without bodies. A {@code REMOVE} query removes
 * what it selects at once ({@link RecordEdits}) and answers {@code {"removed_records": N}}. A fresh client whose
 * first call is a query uses v1 (it learns the API version from its first answer), later ones v2.
 */
final class QueryOperations {

    private final Buckets buckets;
    private final Queries queries;
    private final RecordEdits edits;

    QueryOperations(Buckets buckets, Queries queries, RecordEdits edits) {
        this.buckets = buckets;
        this.queries = queries;
        this.edits = edits;
    }

    /** {@code POST /b/{bucket}/{entry}/q}. */
    CompletionStage<HttpReply> openV1(HttpCall call, String bucket, String entry) {
        return open(call, bucket, List.of(entry), BucketOperations.body(call));
    }

    /** {@code POST /io/{bucket}/q}. */
    CompletionStage<HttpReply> openV2(HttpCall call, String bucket) {
        JsonNode body = BucketOperations.body(call);
        JsonNode entries = body.get("entries");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw ReductException.unprocessable("'entries' must be a non-empty array of entry names");
        }
        List<String> names = new ArrayList<>();
        entries.forEach(e -> names.add(e.asText()));
        return open(call, bucket, names, body);
    }

    private CompletionStage<HttpReply> open(HttpCall call, String bucket, List<String> names, JsonNode body) {
        Buckets.bucketName(bucket);
        for (String name : names) {
            call.principal().check(Permission.READ, Buckets.namespace(bucket), Buckets.entryName(name).value());
        }
        String type = body.path("query_type").asText("QUERY");
        if (!type.equals("QUERY") && !type.equals("REMOVE")) {
            throw ReductException.unprocessable("query_type must be QUERY or REMOVE, not \"" + Buckets.clip(type)
                    + "\"");
        }
        boolean remove = type.equals("REMOVE");
        if (remove) {
            for (String name : names) {
                call.principal().check(Permission.WRITE, Buckets.namespace(bucket), Buckets.entryName(name).value());
            }
        }
        long start = micros(body, "start", 0);
        long stop = micros(body, "stop", Long.MAX_VALUE);
        if (stop <= start) {
            throw ReductException.unprocessable("'stop' (" + stop + ") must be after 'start' (" + start + ")");
        }
        long ttl = body.hasNonNull("ttl") ? micros(body, "ttl", 0) : Queries.DEFAULT_TTL.toSeconds();
        if (ttl < 1 || ttl > 86_400) {
            throw ReductException.unprocessable("'ttl' must be 1 to 86400 seconds, not " + ttl);
        }
        boolean strict = body.path("strict").asBoolean(false);
        Condition condition = Condition.parse(body.hasNonNull("when") ? body.get("when")
                : io.github.edgestream.http.BodyCodecs.json().createObjectNode(), strict);
        StreamService entries = buckets.bucket(bucket);
        Map<String, MessageStream> streams = Queries.streams(entries, names);
        Map<String, java.util.NavigableMap<Long, RecordEdits.Edit>> changes =
                new java.util.concurrent.ConcurrentHashMap<>();
        List<java.util.concurrent.CompletableFuture<?>> loads = new ArrayList<>();
        for (String name : streams.keySet()) {
            loads.add(edits.of(bucket, name).thenAccept(map -> changes.put(name, map)).toCompletableFuture());
        }
        return java.util.concurrent.CompletableFuture.allOf(
                loads.toArray(java.util.concurrent.CompletableFuture[]::new)).thenCompose(loaded -> {
                    long id = queries.open(bucket, streams, changes, start, stop, condition, Duration.ofSeconds(ttl),
                            !remove && body.path("continuous").asBoolean(false),
                            !remove && body.path("only_metadata").asBoolean(false));
                    if (remove) {
                        return removeAll(bucket, queries.get(bucket, id), new ArrayList<>());
                    }
                    return java.util.concurrent.CompletableFuture.completedFuture(ReductResponses.json(out -> {
                        out.writeStartObject();
                        out.writeNumberField("id", id);
                        out.writeEndObject();
                    }));
                });
    }

    /** A remove query: every record it selects is removed ({@code {"removed_records": N}}). */
    private CompletionStage<HttpReply> removeAll(String bucket, Queries.Query query, List<Queries.Item> selected) {
        return queries.next(query).thenCompose(batch -> {
            selected.addAll(batch.items());
            if (selected.size() > RecordEdits.MAX_EDITS_PER_CALL) {
                throw ReductException.unprocessable("the remove query selects more than "
                        + RecordEdits.MAX_EDITS_PER_CALL + " records; narrow its time range or condition");
            }
            if (!batch.last() && !batch.items().isEmpty()) {
                return removeAll(bucket, query, selected);
            }
            Map<String, List<Map.Entry<Long, RecordEdits.Edit>>> byEntry = new LinkedHashMap<>();
            for (Queries.Item item : selected) {
                byEntry.computeIfAbsent(item.entry(), e -> new ArrayList<>()).add(Map.entry(
                        item.message().timestampMicros(), new RecordEdits.Edit(true, Map.of())));
            }
            java.util.concurrent.CompletableFuture<?>[] writes = byEntry.entrySet().stream().map(e -> edits.record(
                    bucket, e.getKey(), e.getValue()).toCompletableFuture())
                    .toArray(java.util.concurrent.CompletableFuture[]::new);
            return java.util.concurrent.CompletableFuture.allOf(writes).thenApply(done -> ReductResponses.json(out -> {
                out.writeStartObject();
                out.writeNumberField("removed_records", selected.size());
                out.writeEndObject();
            }));
        });
    }

    private static long micros(JsonNode body, String field, long fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isIntegralNumber() && value.canConvertToLong() || value.isTextual()
                && value.asText().matches("-?\\d{1,19}")) {
            long n = value.asLong();
            if (n >= 0) {
                return n;
            }
        }
        throw ReductException.unprocessable("'" + field + "' must be a non-negative integer, not "
                + Buckets.clip(value.toString()));
    }

    /** {@code GET|HEAD /b/{bucket}/{entry}/batch?q=N}. */
    CompletionStage<HttpReply> readV1(HttpCall call, String bucket, String entry) {
        List<String> q = call.parameters().get("q");
        if (q == null || q.isEmpty() || !q.get(0).matches("\\d{1,18}")) {
            throw ReductException.unprocessable("'q' must be the id of an open query");
        }
        Queries.Query query = queries.get(bucket, Long.parseLong(q.get(0)));
        checkReader(call, query);
        return queries.next(query).thenApply(batch -> {
            if (batch.items().isEmpty()) {
                return noContent(query);
            }
            List<byte[]> bodies = new ArrayList<>();
            Map<String, String> headers = new LinkedHashMap<>();
            for (Queries.Item item : batch.items()) {
                Message m = item.message();
                headers.put("x-reduct-time-" + m.timestampMicros(), BatchHeader.format(m.payload().length,
                        Records.contentType(m), item.labels()));
                bodies.add(m.payload());
            }
            return batchReply(headers, bodies, batch.last(), query.onlyMetadata);
        });
    }

    /** {@code GET|HEAD /io/{bucket}/read} with {@code x-reduct-query-id}. */
    CompletionStage<HttpReply> readV2(HttpCall call, String bucket) {
        String idText = call.headers().get("x-reduct-query-id");
        if (idText == null || !idText.trim().matches("\\d{1,18}")) {
            throw ReductException.unprocessable("x-reduct-query-id must be the id of an open query");
        }
        Queries.Query query = queries.get(bucket, Long.parseLong(idText.trim()));
        checkReader(call, query);
        return queries.next(query).thenApply(batch -> {
            if (batch.items().isEmpty()) {
                return noContent(query);
            }
            List<String> names = Queries.entries(query);
            long startTs = batch.items().get(0).message().timestampMicros();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-reduct-entries", String.join(",", names));
            headers.put("x-reduct-start-ts", Long.toString(startTs));
            Map<String, Queries.Item> previous = new HashMap<>();
            List<byte[]> bodies = new ArrayList<>();
            for (Queries.Item item : batch.items()) {
                Message m = item.message();
                int index = names.indexOf(item.entry());
                headers.put("x-reduct-" + index + "-" + (m.timestampMicros() - startTs), v2Header(item,
                        previous.put(item.entry(), item)));
                bodies.add(m.payload());
            }
            return batchReply(headers, bodies, batch.last(), query.onlyMetadata);
        });
    }

    /** A record's v2 header against the entry's previous record in the batch (null for its first). */
    static String v2Header(Queries.Item item, Queries.Item previousItem) {
        Message record = item.message();
        String length = Integer.toString(record.payload().length);
        String contentType = Records.contentType(record);
        Map<String, String> labels = item.labels();
        Message previous = previousItem == null ? null : previousItem.message();
        if (previous == null) {
            StringBuilder out = new StringBuilder(length).append(',').append(contentType);
            if (!labels.isEmpty()) {
                out.append(',').append(delta(Map.of(), labels));
            }
            return out.toString();
        }
        Map<String, String> before = previousItem.labels();
        boolean sameType = contentType.equals(Records.contentType(previous));
        if (sameType && before.equals(labels)) {
            return length;
        }
        String changes = delta(before, labels);
        return length + "," + (sameType ? "" : contentType) + (changes.isEmpty() ? "" : "," + changes);
    }

    /** The labels that changed from {@code before} to {@code after}, and {@code name=} for each one gone. */
    static String delta(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        after.forEach((k, v) -> {
            if (!Objects.equals(before.get(k), v)) {
                changes.add(k + "=" + (v.indexOf(',') >= 0 ? "\"" + v + "\"" : v));
            }
        });
        before.keySet().forEach(k -> {
            if (!after.containsKey(k)) {
                changes.add(k + "=");
            }
        });
        return String.join(",", changes);
    }

    private void checkReader(HttpCall call, Queries.Query query) {
        for (String entry : Queries.entries(query)) {
            call.principal().check(Permission.READ, Buckets.namespace(query.bucket), entry);
        }
    }

    private static HttpReply noContent(Queries.Query query) {
        return HttpReply.empty(204).header("x-reduct-error", query.continuous ? "No content"
                : "No content: the query is exhausted");
    }

    private static HttpReply batchReply(Map<String, String> headers, List<byte[]> bodies, boolean last,
            boolean onlyMetadata) {
        HttpReply reply;
        if (onlyMetadata) {
            reply = HttpReply.empty(200);
        } else {
            int total = bodies.stream().mapToInt(b -> b.length).sum();
            ByteBuf body = ByteBufAllocator.DEFAULT.buffer(total);
            bodies.forEach(body::writeBytes);
            reply = HttpReply.of(200, "application/octet-stream", body);
        }
        headers.forEach(reply::header);
        if (last) {
            reply.header("x-reduct-last", "true");
        }
        return reply;
    }
}
