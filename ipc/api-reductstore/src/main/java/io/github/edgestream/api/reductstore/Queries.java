package io.github.edgestream.api.reductstore;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StreamInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open queries: each a scan over one or more entries of a bucket from {@code start} to {@code stop} (µs, stop
 * exclusive), filtered by a {@link Condition} (one evaluator per entry, as ReductStore runs one filter per entry),
 * read in batches by its id until it is exhausted or its time to live passes. Every scan is a seek by time
 * ({@link MessageStream#seekTime}) and a read forward: nothing outside the range is read. Records of several entries
 * come merged in time order.
 *
 * <p>A query lives {@code ttl} seconds after its last read (ReductStore's rule); a continuous one is never
 * exhausted: a read with nothing new answers 204 and the next one goes on from there. At most {@value #MAX_QUERIES}
 * queries are open at once (expired ones are dropped first).
 *
 * <p>Thread-safe: the registry is concurrent and each query serves one read at a time (a second read of the same
 * query while one runs is refused with 409).
 */
final class Queries {

    static final int MAX_QUERIES = 1024;
    static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    /** A batch holds at most this many records (each costs a response header) and about this many body bytes. */
    static final int MAX_BATCH_RECORDS = 64;
    static final long MAX_BATCH_BYTES = 8L << 20;
    private static final int READ_AHEAD = 64;

    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Query> open = new ConcurrentHashMap<>();

    Queries(Clock clock) {
        this.clock = clock;
    }

    /** One entry's part of a query: where its scan is, what is read ahead, its condition's state. */
    static final class Cursor {
        final String entry;
        final MessageStream stream;
        final Condition.Evaluator evaluator;
        final java.util.NavigableMap<Long, RecordEdits.Edit> edits;
        long position;
        final ArrayDeque<Message> ahead = new ArrayDeque<>();
        boolean drained;
        boolean stopped;

        Cursor(String entry, MessageStream stream, Condition.Evaluator evaluator,
                java.util.NavigableMap<Long, RecordEdits.Edit> edits, long position) {
            this.entry = entry;
            this.stream = stream;
            this.evaluator = evaluator;
            this.edits = edits;
            this.position = position;
        }
    }

    /** An open query. */
    static final class Query {
        final long id;
        final String bucket;
        final List<Cursor> cursors;
        final long stop;
        final Duration ttl;
        final boolean continuous;
        final boolean onlyMetadata;
        volatile Instant expires;
        final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();

        Query(long id, String bucket, List<Cursor> cursors, long stop, Duration ttl, boolean continuous,
                boolean onlyMetadata, Instant expires) {
            this.id = id;
            this.bucket = bucket;
            this.cursors = cursors;
            this.stop = stop;
            this.ttl = ttl;
            this.continuous = continuous;
            this.onlyMetadata = onlyMetadata;
            this.expires = expires;
        }
    }

    /** A batch read from a query: records in time order, each with its entry, and whether the query is exhausted. */
    record Batch(List<Item> items, boolean last) {
    }

    /** A record of a batch, with its labels (worked out once, for the condition and the answer). */
    record Item(String entry, Message message, Map<String, String> labels) {
    }

    /**
     * Opens a query over {@code entries} (name → the entry's stream) of a bucket.
     *
     * @throws ReductException 503 when {@value #MAX_QUERIES} queries are open
     */
    long open(String bucket, Map<String, MessageStream> entries,
            Map<String, java.util.NavigableMap<Long, RecordEdits.Edit>> edits, long start, long stop,
            Condition condition, Duration ttl, boolean continuous, boolean onlyMetadata) {
        Instant now = clock.instant();
        open.values().removeIf(q -> q.expires.isBefore(now));
        if (open.size() >= MAX_QUERIES) {
            throw new ReductException(503, "too many open queries (" + MAX_QUERIES + "); read them to the end or"
                    + " wait for their ttl");
        }
        List<Cursor> cursors = new ArrayList<>();
        for (Map.Entry<String, MessageStream> entry : entries.entrySet()) {
            MessageStream stream = entry.getValue();
            long position = start <= 0 ? stream.info().oldestSequenceNumber() : stream.seekTime(start);
            cursors.add(new Cursor(entry.getKey(), stream, condition.evaluator(),
                    edits.getOrDefault(entry.getKey(), new java.util.TreeMap<>()), position));
        }
        long id = ids.incrementAndGet();
        open.put(id, new Query(id, bucket, cursors, stop, ttl, continuous, onlyMetadata, now.plus(ttl)));
        return id;
    }

    /** The open query {@code id} of {@code bucket}; 404 if there is none (never opened, exhausted or expired). */
    Query get(String bucket, long id) {
        Query query = open.get(id);
        if (query == null || !query.bucket.equals(bucket) || query.expires.isBefore(clock.instant())) {
            if (query != null && query.expires.isBefore(clock.instant())) {
                open.remove(id);
            }
            throw ReductException.notFound("Query " + id + " not found: it was never opened, was read to its end,"
                    + " or its ttl passed");
        }
        return query;
    }

    /**
     * The next batch of a query; an empty batch that is not {@code last} means nothing new yet (a continuous query,
     * answered 204). A non-continuous query is closed once its last batch is read.
     */
    CompletionStage<Batch> next(Query query) {
        if (!query.busy.compareAndSet(false, true)) {
            throw ReductException.conflict("Query " + query.id + " is being read by another request");
        }
        query.expires = clock.instant().plus(query.ttl);
        List<Item> items = new ArrayList<>();
        return collect(query, items, new long[1]).handle((last, failure) -> {
            query.busy.set(false);
            if (failure != null) {
                open.remove(query.id);
                throw failure instanceof java.util.concurrent.CompletionException ce ? ce
                        : new java.util.concurrent.CompletionException(failure);
            }
            boolean done = last && !query.continuous;
            if (done) {
                open.remove(query.id);
            }
            return new Batch(items, done);
        });
    }

    /** Merges the entries' records in time order into {@code items}; completes with whether every scan ended. */
    private CompletionStage<Boolean> collect(Query query, List<Item> items, long[] bytes) {
        while (true) {
            for (Cursor cursor : query.cursors) {
                if (cursor.ahead.isEmpty() && !cursor.drained && !cursor.stopped) {
                    return refill(query, cursor).thenCompose(done -> collect(query, items, bytes));
                }
            }
            Cursor next = null;
            for (Cursor cursor : query.cursors) {
                if (!cursor.ahead.isEmpty() && (next == null
                        || cursor.ahead.peek().timestampMicros() < next.ahead.peek().timestampMicros())) {
                    next = cursor;
                }
            }
            if (next == null) {
                // every cursor is drained (for now) or stopped: a continuous query looks again next time
                boolean ended = query.cursors.stream().allMatch(c -> c.stopped || c.drained);
                for (Cursor cursor : query.cursors) {
                    cursor.drained = false;
                }
                return CompletableFuture.completedFuture(ended);
            }
            if (items.size() >= MAX_BATCH_RECORDS || !items.isEmpty() && bytes[0] >= MAX_BATCH_BYTES) {
                return CompletableFuture.completedFuture(false);
            }
            Message raw = next.ahead.poll();
            next.position = raw.sequenceNumber() + 1;
            Message message = RecordEdits.applied(raw, next.edits);
            if (message == null) {
                continue; // removed
            }
            Map<String, String> labels = Records.labels(message);
            switch (next.evaluator.test(message.timestampMicros(), labels)) {
                case INCLUDE -> {
                    items.add(new Item(next.entry, message, labels));
                    bytes[0] += message.payload().length;
                }
                case STOP -> {
                    next.stopped = true;
                    next.ahead.clear();
                }
                default -> {
                }
            }
        }
    }

    /** Reads ahead for one entry; marks it drained when nothing (more) lies before the stop time. */
    private CompletionStage<Void> refill(Query query, Cursor cursor) {
        StreamInfo info = cursor.stream.info();
        long from = Math.max(cursor.position, info.oldestSequenceNumber());
        if (from > info.newestSequenceNumber()) {
            cursor.drained = true;
            return CompletableFuture.completedFuture(null);
        }
        ReadRequest read = ReadRequest.upTo(from, READ_AHEAD);
        if (query.stop > 0 && query.stop < Long.MAX_VALUE) {
            read = read.stoppingBefore(query.stop);
        }
        return cursor.stream.read(read).handle((messages, failure) -> {
            if (failure != null && !(ReductErrorTable.unwrap(failure) instanceof NotEnoughMessagesException)) {
                throw failure instanceof java.util.concurrent.CompletionException ce ? ce
                        : new java.util.concurrent.CompletionException(failure);
            }
            List<Message> got = failure == null ? messages : List.of();
            if (got.isEmpty()) {
                cursor.drained = true;
                if (query.stop > 0 && query.stop < Long.MAX_VALUE && !query.continuous) {
                    cursor.stopped = true; // the next record is at or after the stop time
                }
            } else {
                cursor.ahead.addAll(got);
            }
            return null;
        });
    }

    /** The names of a query's entries, in its order. */
    static List<String> entries(Query query) {
        List<String> names = new ArrayList<>();
        for (Iterator<Cursor> i = query.cursors.iterator(); i.hasNext();) {
            names.add(i.next().entry);
        }
        return names;
    }

    /** Every stream of {@code names} in a bucket (an entry that does not exist has nothing to give: left out). */
    static Map<String, MessageStream> streams(StreamService bucket, List<String> names) {
        Map<String, MessageStream> streams = new java.util.LinkedHashMap<>();
        for (String name : names) {
            StreamName stream = Buckets.entryName(name);
            try {
                streams.put(name, bucket.partitions(stream).toCompletableFuture().join().get(0));
            } catch (RuntimeException missing) {
                // no such entry
            }
        }
        return streams;
    }
}
