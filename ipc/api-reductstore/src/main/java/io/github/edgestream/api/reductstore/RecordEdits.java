package io.github.edgestream.api.reductstore;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Label updates and record removals, which an entry (a log in time order) cannot make in place: each entry
 * {@code e} has a companion stream {@code e.edits} (a name no entry can have) holding one record per edit, keyed by
 * the edited record's timestamp: a removal, or the record's whole new label set. Reads and queries apply them: a
 * removed record is not there, an updated one carries its new labels. The edits of an entry are loaded into memory
 * at its first use and kept up to date by every edit (a later edit of the same record replaces the earlier one).
 *
 * <p>Edits are durable as their companion stream (the entry's persistence); an entry's edits go with it when it or
 * its bucket is deleted. The companion stream is RejectNewData with the API's entry size: when it is full, edits are
 * refused, never lost. Thread-safe.
 */
final class RecordEdits {

    static final String SUFFIX = ".edits";
    static final String OP = "$op";
    /** The most edits one call may make (a remove query beyond it is refused, nothing removed). */
    static final int MAX_EDITS_PER_CALL = 100_000;

    /** One record's edit: removed, or its labels now. */
    record Edit(boolean removed, Map<String, String> labels) {
    }

    private final Buckets buckets;
    private final Map<String, CompletableFuture<NavigableMap<Long, Edit>>> loaded = new ConcurrentHashMap<>();

    RecordEdits(Buckets buckets) {
        this.buckets = buckets;
    }

    static boolean isCompanion(String streamName) {
        return streamName.endsWith(SUFFIX);
    }

    private static String key(String bucket, String entry) {
        return bucket + "\u0000" + entry;
    }

    /** The edits of an entry, by the edited records' timestamps (loaded at the first call). */
    CompletionStage<NavigableMap<Long, Edit>> of(String bucket, String entry) {
        return loaded.computeIfAbsent(key(bucket, entry), k -> load(bucket, entry).toCompletableFuture())
                .exceptionallyCompose(failure -> {
                    loaded.remove(key(bucket, entry));
                    return CompletableFuture.failedFuture(failure);
                });
    }

    private CompletionStage<NavigableMap<Long, Edit>> load(String bucket, String entry) {
        NavigableMap<Long, Edit> edits = new ConcurrentSkipListMap<>();
        StreamService service = buckets.bucket(bucket);
        return service.partitions(StreamName.anyOf(entry + SUFFIX)).handle((partitions, failure) -> {
            if (failure != null) {
                return CompletableFuture.completedFuture((NavigableMap<Long, Edit>) edits); // no edits yet
            }
            MessageStream stream = partitions.get(0);
            return readAll(stream, stream.info().oldestSequenceNumber(), edits);
        }).thenCompose(stage -> stage);
    }

    private static CompletionStage<NavigableMap<Long, Edit>> readAll(MessageStream stream, long from,
            NavigableMap<Long, Edit> edits) {
        if (from > stream.info().newestSequenceNumber()) {
            return CompletableFuture.completedFuture(edits);
        }
        return stream.read(ReadRequest.upTo(from, 1000)).handle((messages, failure) -> {
            if (failure != null) {
                if (ReductErrorTable.unwrap(failure) instanceof NotEnoughMessagesException) {
                    return CompletableFuture.completedFuture(edits);
                }
                return CompletableFuture.<NavigableMap<Long, Edit>>failedFuture(failure);
            }
            for (Message message : messages) {
                apply(edits, message);
            }
            return messages.isEmpty() ? CompletableFuture.completedFuture(edits)
                    : readAll(stream, messages.get(messages.size() - 1).sequenceNumber() + 1, edits);
        }).thenCompose(stage -> stage);
    }

    private static void apply(NavigableMap<Long, Edit> edits, Message message) {
        long ts = ByteBuffer.wrap(message.key()).getLong();
        boolean removed = false;
        Map<String, String> labels = new LinkedHashMap<>();
        for (Header header : message.headers()) {
            if (header.nameText().equals(OP)) {
                removed = header.valueText().equals("remove");
            } else {
                labels.put(header.nameText(), header.valueText());
            }
        }
        edits.put(ts, new Edit(removed, removed ? Map.of() : Collections.unmodifiableMap(labels)));
    }

    /** Records edits durably (in order), then makes them visible. */
    CompletionStage<Void> record(String bucket, String entry, List<Map.Entry<Long, Edit>> changes) {
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<AppendRecord> records = new ArrayList<>(changes.size());
        for (Map.Entry<Long, Edit> change : changes) {
            List<Header> headers = new ArrayList<>();
            headers.add(Header.of(OP, change.getValue().removed() ? "remove" : "labels"));
            change.getValue().labels().forEach((k, v) -> headers.add(Header.of(k, v)));
            records.add(AppendRecord.of(new byte[0]).withKey(ByteBuffer.allocate(8).putLong(change.getKey()).array())
                    .withHeaders(headers));
        }
        StreamService service = buckets.bucket(bucket);
        StreamName companion = StreamName.anyOf(entry + SUFFIX);
        return of(bucket, entry).thenCompose(edits -> append(service, companion, records).thenApply(done -> {
            for (Map.Entry<Long, Edit> change : changes) {
                edits.put(change.getKey(), change.getValue());
            }
            return null;
        }));
    }

    private CompletionStage<Void> append(StreamService service, StreamName companion, List<AppendRecord> records) {
        List<CompletionStage<?>> chunks = new ArrayList<>();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < records.size(); from += 1000) {
            List<AppendRecord> chunk = records.subList(from, Math.min(records.size(), from + 1000));
            chain = chain.thenCompose(done -> appendCreating(service, companion, chunk));
        }
        return chain;
    }

    private CompletionStage<Void> appendCreating(StreamService service, StreamName companion,
            List<AppendRecord> chunk) {
        return service.appendBatch(companion, 0, AppendBatch.of(chunk)).handle((result, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (!(ReductErrorTable.unwrap(failure) instanceof StreamNotFoundException)) {
                return CompletableFuture.<Void>failedFuture(failure);
            }
            StreamDefinition definition = buckets.settings.definition(companion).toBuilder()
                    .strategyOnFull(StrategyOnFull.REJECT_NEW_DATA).build();
            return service.create(definition).handle((created, error) -> {
                Throwable why = error == null ? null : ReductErrorTable.unwrap(error);
                if (why != null && !(why instanceof StreamAlreadyExistsException)) {
                    throw new java.util.concurrent.CompletionException(why);
                }
                return null;
            }).thenCompose(done -> service.appendBatch(companion, 0, AppendBatch.of(chunk)))
                    .thenApply(result2 -> (Void) null);
        }).thenCompose(stage -> stage);
    }

    /** Forgets an entry's edits (it was deleted). */
    void forget(String bucket, String entry) {
        loaded.remove(key(bucket, entry));
    }

    /** Forgets a bucket's edits (it was deleted). */
    void forgetBucket(String bucket) {
        loaded.keySet().removeIf(k -> k.startsWith(bucket + "\u0000"));
    }

    /** A record as its edits leave it: null if removed, else with its labels now. */
    static Message applied(Message message, NavigableMap<Long, Edit> edits) {
        Edit edit = edits.get(message.timestampMicros());
        if (edit == null) {
            return message;
        }
        if (edit.removed()) {
            return null;
        }
        List<Header> headers = new ArrayList<>();
        headers.add(Header.of(Records.CONTENT_TYPE, Records.contentType(message)));
        edit.labels().forEach((k, v) -> headers.add(Header.of(k, v)));
        return new Message(message.sequenceNumber(), message.ingestTimeEpochMillis(), message.timestampMicros(),
                message.key(), headers, message.payload());
    }
}
