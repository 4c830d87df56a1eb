package io.github.edgestream.api.reductstore;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.TimestampOrderException;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Records: write one ({@code POST /b/{bucket}/{entry}?ts=}), read the latest or one by time ({@code GET}/{@code HEAD}),
 * write a batch in the v1 format ({@code POST .../batch}, a header {@code x-reduct-time-<ts>: <length>,<content
 * type>[,label=value...]} per record, the bodies concatenated in time order). An entry is created by its first
 * write. Timestamps of an entry increase strictly: a write at the timestamp of a record that exists is 409 (as
 * ReductStore); one earlier than the entry's newest record is 422 with the store's reason (ReductStore would accept
 * it: edgestream's entries are logs in time order, which is what makes every query a seek and a scan).
 */
final class RecordOperations {

    private final Buckets buckets;
    private final Quotas quotas;
    private final RecordEdits edits;

    RecordOperations(Buckets buckets, RecordEdits edits) {
        this.buckets = buckets;
        this.quotas = new Quotas(buckets);
        this.edits = edits;
    }

    static long timestamp(HttpCall call, boolean required) {
        List<String> values = call.parameters().get("ts");
        if (values == null || values.isEmpty()) {
            if (required) {
                throw ReductException.unprocessable("'ts' parameter is required");
            }
            return -1;
        }
        try {
            long ts = Long.parseLong(values.get(0));
            Records.checkTimestamp(ts);
            return ts;
        } catch (NumberFormatException e) {
            throw ReductException.unprocessable("'ts' must be an unix timestamp in microseconds, not \""
                    + Buckets.clip(values.get(0)) + "\"");
        }
    }

    /** The labels of {@code x-reduct-label-*} headers. */
    static Map<String, String> labels(HttpCall call) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : call.headers()) {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (name.startsWith("x-reduct-label-")) {
                String label = name.substring("x-reduct-label-".length());
                Records.checkLabel(label, header.getValue(), "x-reduct-label-" + label);
                labels.put(label, header.getValue());
            }
        }
        if (labels.size() > Records.MAX_LABELS) {
            throw ReductException.unprocessable("a record has " + labels.size() + " labels; the limit is "
                    + Records.MAX_LABELS);
        }
        return labels;
    }

    CompletionStage<HttpReply> write(HttpCall call, String bucket, String entry) {
        StreamName name = Buckets.entryName(entry);
        call.principal().check(Permission.WRITE, Buckets.namespace(bucket), name.value());
        long ts = timestamp(call, true);
        String contentType = call.headers().get("content-type", Records.DEFAULT_CONTENT_TYPE);
        String announced = call.headers().get("x-reduct-content-length");
        if (announced != null && !announced.trim().equals(Integer.toString(call.bodyLength()))) {
            throw ReductException.badRequest("x-reduct-content-length is " + Buckets.clip(announced) + " but the body"
                    + " is " + call.bodyLength() + " bytes");
        }
        AppendRecord record = Records.record(ts, contentType, labels(call), ByteBufUtil.getBytes(call.body()));
        StreamService entries = buckets.bucket(bucket);
        return quotas.keep(bucket, io.github.edgestream.core.stream.RecordLimits.recordSize(record))
                .thenCompose(room -> append(entries, bucket, name, List.of(record)))
                .thenApply(result -> ReductResponses.ok());
    }

    /** Appends to an entry, creating it at its first write. */
    CompletionStage<AppendResult> append(StreamService entries, String bucket, StreamName name,
            List<AppendRecord> records) {
        AppendBatch batch = AppendBatch.of(records).withTimestampRule(ReductSettings.TIMESTAMPS);
        return entries.appendBatch(name, 0, batch).handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = ReductErrorTable.unwrap(error);
            if (cause instanceof StreamNotFoundException) {
                return entries.create(buckets.definition(bucket, name)).handle((created, failure) -> {
                    Throwable why = failure == null ? null : ReductErrorTable.unwrap(failure);
                    if (why != null && !(why instanceof StreamAlreadyExistsException)) {
                        throw new java.util.concurrent.CompletionException(why);
                    }
                    return null;
                }).thenCompose(done -> entries.appendBatch(name, 0, batch))
                        .exceptionallyCompose(failure -> duplicate(entries, name, records, failure));
            }
            return duplicate(entries, name, records, error);
        }).thenCompose(stage -> stage);
    }

    /** A timestamp refused: 409 if a record of that very time exists (ReductStore's conflict), else the store's 422. */
    private CompletionStage<AppendResult> duplicate(StreamService entries, StreamName name,
            List<AppendRecord> records, Throwable failure) {
        Throwable cause = ReductErrorTable.unwrap(failure);
        if (cause instanceof TimestampOrderException && records.size() == 1) {
            long ts = records.get(0).timestampMicros();
            return at(entries, name, ts).thenApply(found -> {
                if (found != null) {
                    throw ReductException.conflict("A record with timestamp " + ts + " already exists");
                }
                throw new java.util.concurrent.CompletionException(cause);
            });
        }
        return CompletableFuture.failedFuture(cause);
    }

    /** The record of an entry at exactly {@code ts}, or null. */
    static CompletionStage<Message> at(StreamService entries, StreamName name, long ts) {
        return entries.partitions(name).thenCompose(partitions -> {
            MessageStream stream = partitions.get(0);
            long seq = stream.seekTime(ts);
            if (seq > stream.info().newestSequenceNumber()) {
                return CompletableFuture.completedFuture(null);
            }
            return stream.read(ReadRequest.upTo(seq, 1)).thenApply(found -> found.isEmpty()
                    || found.get(0).timestampMicros() != ts ? null : found.get(0));
        });
    }

    CompletionStage<HttpReply> read(HttpCall call, String bucket, String entry, boolean head) {
        StreamName name = Buckets.entryName(entry);
        call.principal().check(Permission.READ, Buckets.namespace(bucket), name.value());
        long ts = timestamp(call, false);
        StreamService entries = buckets.bucket(bucket);
        CompletionStage<Message> found = edits.of(bucket, entry).thenCompose(changes -> (ts >= 0
                ? at(entries, name, ts) : latest(entries, name, changes))
                .thenApply(message -> message == null ? null : RecordEdits.applied(message, changes)));
        return found.thenApply(message -> {
            if (message == null) {
                throw ReductException.notFound(ts >= 0 ? "No record with timestamp " + ts
                        : "Entry '" + entry + "' has no records");
            }
            return recordReply(message, head);
        });
    }

    /** The newest record that was not removed (looking back past removed ones, at most 1,000). */
    private static CompletionStage<Message> latest(StreamService entries, StreamName name,
            java.util.NavigableMap<Long, RecordEdits.Edit> changes) {
        return entries.partitions(name).thenCompose(partitions -> {
            MessageStream stream = partitions.get(0);
            long newest = stream.info().newestSequenceNumber();
            long oldest = stream.info().oldestSequenceNumber();
            if (newest < oldest) {
                return CompletableFuture.completedFuture(null);
            }
            long from = Math.max(oldest, newest - 999);
            return stream.read(ReadRequest.upTo(from, (int) (newest - from + 1))).thenApply(found -> {
                for (int i = found.size() - 1; i >= 0; i--) {
                    if (RecordEdits.applied(found.get(i), changes) != null) {
                        return found.get(i);
                    }
                }
                return null;
            });
        });
    }

    /**
     * {@code PATCH /b/{bucket}/{entry}?ts=}: the record's labels changed as the {@code x-reduct-label-*} headers say
     * (an empty value removes the label); the others stay.
     */
    CompletionStage<HttpReply> updateLabels(HttpCall call, String bucket, String entry) {
        StreamName name = Buckets.entryName(entry);
        call.principal().check(Permission.WRITE, Buckets.namespace(bucket), name.value());
        long ts = timestamp(call, true);
        Map<String, String> changes = labelChanges(call);
        StreamService entries = buckets.bucket(bucket);
        return current(entries, bucket, entry, name, ts).thenCompose(message -> {
            Map<String, String> labels = new LinkedHashMap<>(Records.labels(message));
            merge(labels, changes);
            return edits.record(bucket, entry, List.of(Map.entry(ts, new RecordEdits.Edit(false, labels))));
        }).thenApply(done -> ReductResponses.ok());
    }

    /** {@code DELETE /b/{bucket}/{entry}?ts=}: the record is removed. */
    CompletionStage<HttpReply> remove(HttpCall call, String bucket, String entry) {
        StreamName name = Buckets.entryName(entry);
        call.principal().check(Permission.WRITE, Buckets.namespace(bucket), name.value());
        long ts = timestamp(call, true);
        StreamService entries = buckets.bucket(bucket);
        return current(entries, bucket, entry, name, ts).thenCompose(message -> edits.record(bucket, entry,
                List.of(Map.entry(ts, new RecordEdits.Edit(true, Map.of()))))).thenApply(done -> ReductResponses.ok());
    }

    /** The record at {@code ts} as its edits leave it; 404 if there is none or it was removed. */
    private CompletionStage<Message> current(StreamService entries, String bucket, String entry, StreamName name,
            long ts) {
        return edits.of(bucket, entry).thenCompose(changes -> at(entries, name, ts).thenApply(found -> {
            Message message = found == null ? null : RecordEdits.applied(found, changes);
            if (message == null) {
                throw ReductException.notFound("No record with timestamp " + ts);
            }
            return message;
        }));
    }

    /** Label changes of {@code x-reduct-label-*} headers, empty values kept (they remove). */
    static Map<String, String> labelChanges(HttpCall call) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : call.headers()) {
            String key = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (key.startsWith("x-reduct-label-")) {
                String label = key.substring("x-reduct-label-".length());
                Records.checkLabel(label, header.getValue(), key);
                changes.put(label, header.getValue());
            }
        }
        return changes;
    }

    static void merge(Map<String, String> labels, Map<String, String> changes) {
        changes.forEach((k, v) -> {
            if (v.isEmpty()) {
                labels.remove(k);
            } else {
                labels.put(k, v);
            }
        });
        if (labels.size() > Records.MAX_LABELS) {
            throw ReductException.unprocessable("a record would have " + labels.size() + " labels; the limit is "
                    + Records.MAX_LABELS);
        }
    }

    /**
     * {@code PATCH} or {@code DELETE /b/{bucket}/{entry}/batch} (v1): one {@code x-reduct-time-<ts>} header per
     * record, with its label changes ({@code 0,,k=v...}) for an update; each record's failure comes back as
     * {@code x-reduct-error-<ts>: <status>,<message>}.
     */
    CompletionStage<HttpReply> editBatch(HttpCall call, String bucket, String entry, boolean remove) {
        StreamName name = Buckets.entryName(entry);
        call.principal().check(Permission.WRITE, Buckets.namespace(bucket), name.value());
        TreeMap<Long, String> times = batchTimes(call);
        StreamService entries = buckets.bucket(bucket);
        Map<Long, ReductException> errors = new LinkedHashMap<>();
        return edits.of(bucket, entry).thenCompose(changes -> {
            List<CompletableFuture<Map.Entry<Long, RecordEdits.Edit>>> each = new ArrayList<>();
            for (Map.Entry<Long, String> time : times.entrySet()) {
                long ts = time.getKey();
                Map<String, String> labelChanges = remove ? Map.of()
                        : BatchHeader.parse("x-reduct-time-" + ts, time.getValue(), true).labels();
                each.add(at(entries, name, ts).thenApply(found -> {
                    Message message = found == null ? null : RecordEdits.applied(found, changes);
                    if (message == null) {
                        synchronized (errors) {
                            errors.put(ts, ReductException.notFound("No record with timestamp " + ts));
                        }
                        return (Map.Entry<Long, RecordEdits.Edit>) null;
                    }
                    if (remove) {
                        return Map.entry(ts, new RecordEdits.Edit(true, Map.of()));
                    }
                    Map<String, String> labels = new LinkedHashMap<>(Records.labels(message));
                    merge(labels, labelChanges);
                    return Map.entry(ts, new RecordEdits.Edit(false, labels));
                }).toCompletableFuture());
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenCompose(done -> edits.record(
                    bucket, entry, each.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull)
                            .toList()));
        }).thenApply(done -> {
            HttpReply reply = ReductResponses.ok();
            errors.forEach((ts, error) -> reply.header("x-reduct-error-" + ts, error.status() + ","
                    + ReductResponses.headerSafe(error.getMessage())));
            return reply;
        });
    }

    /** The {@code x-reduct-time-<ts>} headers of a batch request, by time. */
    static TreeMap<Long, String> batchTimes(HttpCall call) {
        TreeMap<Long, String> times = new TreeMap<>();
        for (Map.Entry<String, String> header : call.headers()) {
            String key = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (key.startsWith("x-reduct-time-")) {
                String text = key.substring("x-reduct-time-".length());
                long ts;
                try {
                    ts = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw ReductException.unprocessable("Invalid header '" + Buckets.clip(key)
                            + "': the timestamp must be microseconds");
                }
                Records.checkTimestamp(ts);
                times.put(ts, header.getValue());
            }
        }
        if (times.isEmpty()) {
            throw ReductException.unprocessable("a batch needs x-reduct-time-<ts> headers");
        }
        if (times.size() > RecordEdits.MAX_EDITS_PER_CALL) {
            throw ReductException.unprocessable("a batch of " + times.size() + " records; the limit is "
                    + RecordEdits.MAX_EDITS_PER_CALL);
        }
        return times;
    }

    /** A record's answer; to a HEAD the HTTP layer sends its headers (content-length included) without the body. */
    static HttpReply recordReply(Message message, boolean head) {
        HttpReply reply = HttpReply.of(200, Records.contentType(message), message.payload());
        reply.header("x-reduct-time", Long.toString(message.timestampMicros()));
        Records.labels(message).forEach((k, v) -> reply.header("x-reduct-label-" + k, v));
        return reply;
    }

    /**
     * A v1 batch: the records by timestamp, each body cut from the request body by its length. All or nothing per
     * request for malformed headers (400/422); the store's refusal of a record (its timestamp) comes back as
     * {@code x-reduct-error-<ts>: <status>,<message>} and the records before it stay written.
     */
    CompletionStage<HttpReply> writeBatch(HttpCall call, String bucket, String entry) {
        StreamName name = Buckets.entryName(entry);
        call.principal().check(Permission.WRITE, Buckets.namespace(bucket), name.value());
        TreeMap<Long, String> times = batchTimes(call);
        byte[] body = ByteBufUtil.getBytes(call.body());
        List<AppendRecord> records = new ArrayList<>(times.size());
        int offset = 0;
        for (Map.Entry<Long, String> time : times.entrySet()) {
            BatchHeader parsed = BatchHeader.parse("x-reduct-time-" + time.getKey(), time.getValue());
            if (offset + parsed.length() > body.length) {
                throw ReductException.badRequest("the batch's bodies are " + body.length + " bytes, fewer than its"
                        + " headers announce (record " + time.getKey() + " ends at " + (offset + parsed.length())
                        + ")");
            }
            byte[] data = java.util.Arrays.copyOfRange(body, offset, (int) (offset + parsed.length()));
            offset += (int) parsed.length();
            records.add(Records.record(time.getKey(), parsed.contentType(), parsed.labels(), data));
        }
        if (offset != body.length) {
            throw ReductException.badRequest("the batch's bodies are " + body.length + " bytes, more than its headers"
                    + " announce (" + offset + ")");
        }
        StreamService entries = buckets.bucket(bucket);
        long incoming = records.stream().mapToLong(io.github.edgestream.core.stream.RecordLimits::recordSize).sum();
        return quotas.keep(bucket, incoming).thenCompose(room -> writeInTurn(entries, bucket, name, records, 0,
                new LinkedHashMap<>())).thenApply(errors -> {
            HttpReply reply = ReductResponses.ok();
            errors.forEach((ts, error) -> reply.header("x-reduct-error-" + ts, error.status() + ","
                    + ReductResponses.headerSafe(error.getMessage())));
            return reply;
        });
    }

    /**
     * Appends a batch's records: all at once when their timestamps follow the entry's newest, else one by one so
     * that each refused record gets its own error.
     */
    private CompletionStage<Map<Long, ReductException>> writeInTurn(StreamService entries, String bucket,
            StreamName name,
            List<AppendRecord> records, int from, Map<Long, ReductException> errors) {
        if (from == records.size()) {
            return CompletableFuture.completedFuture(errors);
        }
        List<AppendRecord> rest = records.subList(from, records.size());
        return append(entries, bucket, name, rest).handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(errors);
            }
            if (rest.size() == 1 || !(ReductErrorTable.unwrap(error) instanceof TimestampOrderException)) {
                ReductException mapped = ReductErrorTable.of(error);
                if (mapped == null) {
                    return CompletableFuture.<Map<Long, ReductException>>failedFuture(error);
                }
                if (rest.size() > 1) {
                    return CompletableFuture.<Map<Long, ReductException>>failedFuture(mapped);
                }
                errors.put(rest.get(0).timestampMicros(), mapped);
                return CompletableFuture.completedFuture(errors);
            }
            return oneByOne(entries, bucket, name, records, from, errors);
        }).thenCompose(stage -> stage);
    }

    private CompletionStage<Map<Long, ReductException>> oneByOne(StreamService entries, String bucket,
            StreamName name,
            List<AppendRecord> records, int from, Map<Long, ReductException> errors) {
        if (from == records.size()) {
            return CompletableFuture.completedFuture(errors);
        }
        return append(entries, bucket, name, List.of(records.get(from))).handle((result, error) -> {
            if (error != null) {
                ReductException mapped = ReductErrorTable.of(error);
                if (mapped == null) {
                    return CompletableFuture.<Map<Long, ReductException>>failedFuture(error);
                }
                errors.put(records.get(from).timestampMicros(), mapped);
            }
            return oneByOne(entries, bucket, name, records, from + 1, errors);
        }).thenCompose(stage -> stage);
    }

    /**
     * {@code POST /io/{bucket}/write}: a v2 batch over several entries ({@link BatchV2}); each entry's records are
     * written in time order, and each failure comes back as {@code x-reduct-error-<entry index>-<delta>}.
     */
    CompletionStage<HttpReply> writeBatchV2(HttpCall call, String bucket) {
        BatchV2 batch = BatchV2.parse(call);
        for (String entry : batch.entries()) {
            call.principal().check(Permission.WRITE, Buckets.namespace(bucket), entry);
        }
        byte[] body = ByteBufUtil.getBytes(call.body());
        Map<Integer, List<AppendRecord>> byEntry = new LinkedHashMap<>();
        long offset = 0;
        for (BatchV2.Record record : batch.records()) {
            if (offset + record.length() > body.length) {
                throw ReductException.badRequest("the batch's bodies are " + body.length + " bytes, fewer than its"
                        + " headers announce");
            }
            byte[] data = java.util.Arrays.copyOfRange(body, (int) offset, (int) (offset + record.length()));
            offset += record.length();
            byEntry.computeIfAbsent(record.entry(), e -> new ArrayList<>()).add(Records.record(record.timestamp(),
                    record.contentType(), record.labels(), data));
        }
        if (offset != body.length) {
            throw ReductException.badRequest("the batch's bodies are " + body.length + " bytes, more than its headers"
                    + " announce (" + offset + ")");
        }
        StreamService entries = buckets.bucket(bucket);
        long start = batch.records().isEmpty() ? 0 : batch.records().stream()
                .mapToLong(BatchV2.Record::timestamp).min().getAsLong();
        long incoming = byEntry.values().stream().flatMap(List::stream)
                .mapToLong(io.github.edgestream.core.stream.RecordLimits::recordSize).sum();
        Map<String, ReductException> errors = new java.util.concurrent.ConcurrentHashMap<>();
        return quotas.keep(bucket, incoming).thenCompose(room -> {
            List<CompletableFuture<?>> writes = new ArrayList<>();
            byEntry.forEach((index, records) -> {
                String entry = batch.entries().get(index);
                writes.add(writeInTurn(entries, bucket, Buckets.entryName(entry), records, 0, new LinkedHashMap<>())
                        .thenAccept(failed -> failed.forEach((ts, error) -> errors.put(index + "-" + (ts - start),
                                error))).toCompletableFuture());
            });
            return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        }).thenApply(done -> withErrors(errors));
    }

    /** {@code PATCH /io/{bucket}/update} or {@code DELETE /io/{bucket}/remove}: v2 label updates or removals. */
    CompletionStage<HttpReply> editBatchV2(HttpCall call, String bucket, boolean remove) {
        BatchV2 batch = BatchV2.parse(call);
        for (String entry : batch.entries()) {
            call.principal().check(Permission.WRITE, Buckets.namespace(bucket), entry);
        }
        StreamService entries = buckets.bucket(bucket);
        long start = batch.records().isEmpty() ? 0 : batch.records().stream()
                .mapToLong(BatchV2.Record::timestamp).min().getAsLong();
        Map<String, ReductException> errors = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Integer, List<BatchV2.Record>> byEntry = new LinkedHashMap<>();
        batch.records().forEach(r -> byEntry.computeIfAbsent(r.entry(), e -> new ArrayList<>()).add(r));
        List<CompletableFuture<?>> all = new ArrayList<>();
        byEntry.forEach((index, records) -> {
            String entry = batch.entries().get(index);
            StreamName name = Buckets.entryName(entry);
            all.add(edits.of(bucket, entry).thenCompose(changes -> {
                List<CompletableFuture<Map.Entry<Long, RecordEdits.Edit>>> each = new ArrayList<>();
                for (BatchV2.Record record : records) {
                    each.add(at(entries, name, record.timestamp()).thenApply(found -> {
                        Message message = found == null ? null : RecordEdits.applied(found, changes);
                        if (message == null) {
                            errors.put(index + "-" + (record.timestamp() - start), ReductException.notFound(
                                    "No record with timestamp " + record.timestamp()));
                            return (Map.Entry<Long, RecordEdits.Edit>) null;
                        }
                        if (remove) {
                            return Map.entry(record.timestamp(), new RecordEdits.Edit(true, Map.of()));
                        }
                        Map<String, String> labels = new LinkedHashMap<>(Records.labels(message));
                        merge(labels, record.labels());
                        return Map.entry(record.timestamp(), new RecordEdits.Edit(false, labels));
                    }).toCompletableFuture());
                }
                return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenCompose(done ->
                        edits.record(bucket, entry, each.stream().map(CompletableFuture::join)
                                .filter(java.util.Objects::nonNull).toList()));
            }).toCompletableFuture());
        });
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> withErrors(errors));
    }

    private static HttpReply withErrors(Map<String, ReductException> errors) {
        HttpReply reply = ReductResponses.ok();
        errors.forEach((key, error) -> reply.header("x-reduct-error-" + key, error.status() + ","
                + ReductResponses.headerSafe(error.getMessage())));
        return reply;
    }

    /**
     * {@code PUT /b/{bucket}/{entry}/rename} with {@code {"new_name": "..."}}: the entry (and its edits) under a new
     * name, records, labels and exports kept; 409 if the name is taken.
     */
    CompletionStage<HttpReply> renameEntry(HttpCall call, String bucket, String entry) {
        StreamName from = Buckets.entryName(entry);
        com.fasterxml.jackson.databind.JsonNode body = BucketOperations.body(call);
        if (!body.path("new_name").isTextual()) {
            throw ReductException.unprocessable("'new_name' must be the entry's new name");
        }
        StreamName to = Buckets.entryName(body.path("new_name").asText());
        call.principal().check(Permission.WRITE, Buckets.namespace(bucket), from.value());
        call.principal().check(Permission.WRITE, Buckets.namespace(bucket), to.value());
        StreamService entries = buckets.bucket(bucket);
        return entries.rename(from, to).thenCompose(renamed -> entries.rename(
                StreamName.anyOf(entry + RecordEdits.SUFFIX), StreamName.anyOf(to.value() + RecordEdits.SUFFIX))
                .handle((edited, failure) -> {
                    if (failure != null && !(ReductErrorTable.unwrap(failure) instanceof StreamNotFoundException)) {
                        throw new java.util.concurrent.CompletionException(ReductErrorTable.unwrap(failure));
                    }
                    edits.forget(bucket, entry);
                    edits.forget(bucket, to.value());
                    return ReductResponses.ok();
                }));
    }

    /** Deletes an entry with its records ({@code DELETE /b/{bucket}/{entry}} without {@code ts}). */
    CompletionStage<HttpReply> deleteEntry(HttpCall call, String bucket, String entry) {
        StreamName name = Buckets.entryName(entry);
        Namespace ns = Buckets.namespace(bucket);
        call.principal().check(Permission.ADMIN, ns, name.value());
        StreamService entries = buckets.bucket(bucket);
        return entries.delete(name).thenCompose(done -> entries.delete(StreamName.anyOf(entry + RecordEdits.SUFFIX))
                .handle((gone, failure) -> {
                    edits.forget(bucket, entry);
                    return ReductResponses.ok();
                }));
    }
}
