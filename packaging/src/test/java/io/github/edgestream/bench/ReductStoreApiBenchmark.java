package io.github.edgestream.bench;

import static io.github.edgestream.bench.Bench.deleteTree;
import static io.github.edgestream.bench.Bench.seconds;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon's ReductStore API (issue 15, preview; {@code /api/v1/} on the HTTP port) against the daemon's own
 * Greengrass protocol, in one JVM and one run: one in-process {@link Daemon} ({@code api.reductstore.enabled: true},
 * File entries, not durable: the API's default {@code flushOnWrite: false}; the daemon's Greengrass token as the
 * Bearer token, which has every permission), the clients beside it. Every ReductStore entry is a File stream of
 * {@value #ENTRY_SIZE} bytes {@code maxSize} with RejectNewData ({@code api.reductstore.maxSize},
 * {@code strategyOnFull}: room for the 10-million-record entry); every Greengrass stream of 1 GiB with RejectNewData.
 *
 * <ol>
 *   <li>(a) Batch write: {@code POST /api/v1/b/bench/{entry}/batch} of {@value #BATCH} records of 1 KiB (random
 *       bytes), each with 3 labels, in ReductStore's v1 batch format (a header
 *       {@code x-reduct-time-<ts>: 1024,application/octet-stream,sensor=..,unit=..,site=..} per record, the bodies
 *       concatenated in time order), on C kept-alive HTTP/1.1 connections (default 4, one thread each, one request at
 *       a time each; raw client {@link BenchHttp}), each connection its own entry (an entry's timestamps increase
 *       strictly: 1 us apart here), for N seconds or until maxRecords: records/s and MiB/s. Each connection builds
 *       {@value #BODIES} bodies and one request head once and only rewrites the timestamps' digits in the head for
 *       each request; any answer but 200 without {@code x-reduct-error-<ts>} headers stops the run.</li>
 *   <li>(b) The Greengrass protocol with the same payloads ({@link GreengrassLoad}): appendMessage with 64 requests
 *       in flight on one {@link StreamManagerClient}, for N seconds.</li>
 *   <li>(c) Query read of the first connection's entry ({@code e1}'s place): {@code POST /api/v1/io/bench/q}
 *       {@code {"start":<first ts>,"stop":<after the last>,"query_type":"QUERY","entries":[entry]}} gives
 *       {@code {"id":N}}, then {@code GET /api/v1/io/bench/read} with {@code x-reduct-query-id: N} until
 *       {@code x-reduct-last: true} (or 204), one connection; records are counted by their
 *       {@code x-reduct-<index>-<delta>} headers (the server's batches are of 64 records).</li>
 *   <li>(d) readMessages (max 10,000, one request at a time) of everything (b) wrote.</li>
 *   <li>References: (c) again at once (whether its first reading of the entry pays a cold cost); the query over
 *       all C entries of (a) at once (merged in time order); appendBatch (extension) of
 *       100 with C batches in flight (the shape of (a)); readMessages of max 64 (the query's batch).</li>
 *   <li>(e) A 10-million-record entry: filled through the API's batch write (records of {@value #SMALL} bytes, the
 *       same 3 labels, {@value #FILL_STEP} us apart, so the entry spans 1,000 s; {@value #FILL_BATCH} records a
 *       request to stay under the default {@code http.maxHeaderSize} of 64 KiB; one connection, since one entry's
 *       timestamps must increase), its fill time reported; then time-range queries of 1 s (about 10,000 records)
 *       in the middle half of the entry: 5 for warm-up, then Q measured (default 20), each timed from the open's
 *       request to the end of the first batch's answer (and the open alone); min/median/max.</li>
 * </ol>
 * Warm-up: two rounds of (a), (c), (b) and (d) for a quarter of a phase each (at least 2 s); {@code sync} before each
 * measured phase ({@code -Dbench.sync=false} skips it).
 *
 * <pre>
 * mvn -o -q -Pbench -pl packaging test-compile exec:exec \
 *     -Dbench.main=io.github.edgestream.bench.ReductStoreApiBenchmark -Dbench.args="8"
 * </pre>
 * Arguments: seconds per phase (default 8), connections C (4), maxRecords per write phase (800000), records of the
 * large entry (10000000), measured time-range queries Q (20). Not thread-safe beyond its own connection threads; a
 * main program.
 */
public final class ReductStoreApiBenchmark {

    private static final int PAYLOAD = 1024;
    private static final int BATCH = 100;
    private static final int POOL = 4096;
    /** Request bodies each connection builds and sends in turn. */
    private static final int BODIES = 8;
    private static final long STREAM_SIZE = 1L << 30;
    private static final long ENTRY_SIZE = 4L << 30;
    private static final String BUCKET = "bench";
    /** The first timestamp of every entry, us: 16 digits, so a timestamp's digits can be rewritten in place. */
    private static final long BASE_TS = 1_700_000_000_000_000L;
    private static final String LABELS = "sensor=temp-01,unit=C,site=plant-7";
    /** The large entry's records: size, spacing (us), records per batch request. */
    private static final int SMALL = 64;
    private static final long FILL_STEP = 100;
    private static final int FILL_BATCH = 500;
    private static final int WARM_QUERIES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code -Dbench.trace=true}: each Greengrass write phase prints its records per second. */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");

    private final double seconds;
    private final int connections;
    private final long maxRecords;
    private final long bigRecords;
    private final int queries;
    private final byte[][] payloads = Bench.payloads(POOL, PAYLOAD);
    private int next;
    /** Records each entry of the last write phase got. */
    private long[] perEntryWritten;

    private ReductStoreApiBenchmark(double seconds, int connections, long maxRecords, long bigRecords, int queries) {
        this.seconds = seconds;
        this.connections = connections;
        this.maxRecords = maxRecords;
        this.bigRecords = bigRecords;
        this.queries = queries;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        long maxRecords = args.length > 2 ? Long.parseLong(args[2]) : 800_000;
        long bigRecords = args.length > 3 ? Long.parseLong(args[3]) : 10_000_000;
        int queries = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        new ReductStoreApiBenchmark(seconds, connections, maxRecords, bigRecords, queries).run();
    }

    private byte[] payload() {
        byte[] payload = payloads[next];
        next = (next + 1) % POOL;
        return payload;
    }

    private void run() throws Exception {
        Path root = Files.createTempDirectory("reduct-api-bench");
        String token = "bench-token-" + UUID.randomUUID();
        try {
            try (Daemon daemon = Bench.startDaemon(root, token, """
                    api:
                      reductstore:
                        enabled: true
                        maxSize: %d
                        strategyOnFull: RejectNewData
                    """.formatted(ENTRY_SIZE));
                    StreamManagerClient gg = Bench.greengrassClient(daemon, token)) {
                phases(daemon, token, gg);
            }
        } finally {
            deleteTree(root);
        }
    }

    private void phases(Daemon daemon, String token, StreamManagerClient gg) throws Exception {
        int port = daemon.httpPort().orElseThrow();
        Reduct reduct = new Reduct(URI.create("http://127.0.0.1:" + port), "127.0.0.1:" + port, token);
        System.out.printf("edgestream %s: Greengrass protocol on tcp %d, ReductStore API on http %d; phase %.1f s;"
                        + " batch writes of %d x %d bytes with 3 labels on %d connections; Greengrass: %d"
                        + " appendMessage in flight; at most %,d records per write phase%n", Daemon.version(),
                daemon.port(), port, seconds, BATCH, PAYLOAD, connections, GreengrassLoad.IN_FLIGHT, maxRecords);
        reduct.createBucket();
        var greengrass = new GreengrassLoad(gg, this::payload, maxRecords, DataSize.ofBytes(STREAM_SIZE), false,
                TRACE);

        double warm = Math.max(2, seconds / 4);
        for (int round = 1; round <= 2; round++) {
            String[] entries = entries("warm" + round);
            Throughput write = reduct.writeBatches(entries, warm, this::payload);
            Throughput read = reduct.query(new String[] {entries[0]}, BASE_TS, BASE_TS + perEntry(write));
            check(read, perEntryWritten[0], entries[0]);
            System.out.printf("warm-up %d: batch write %s; query of one entry %s%n", round, write, read);
            greengrass.createStream("warm-gg" + round);
            Throughput ggAppend = greengrass.appendInFlight("warm-gg" + round, warm);
            Throughput ggRead = greengrass.readMessages("warm-gg" + round, 0, ggAppend.records());
            System.out.printf("warm-up %d: appendMessage x%d %s; readMessages %s%n", round, GreengrassLoad.IN_FLIGHT,
                    ggAppend, ggRead);
        }

        String[] entries = entries("w");
        Bench.settleDisk();
        Throughput write = reduct.writeBatches(entries, seconds, this::payload);
        System.out.printf("(a) batch write %d x %d, 3 labels, %d connections   %s%n", BATCH, PAYLOAD, connections,
                write);

        greengrass.createStream("gg-append");
        Bench.settleDisk();
        Throughput ggAppend = greengrass.appendInFlight("gg-append", seconds);
        System.out.printf("(b) Greengrass appendMessage x%d in flight          %s%n", GreengrassLoad.IN_FLIGHT,
                ggAppend);

        Bench.settleDisk();
        long[] stats = Bench.processStats();
        Throughput query = reduct.query(new String[] {entries[0]}, BASE_TS, BASE_TS + perEntry(write));
        check(query, perEntryWritten[0], entries[0]);
        System.out.printf("(c) query read of entry %s                        %s%s%n", entries[0], query,
                Bench.statsSince(stats));
        stats = Bench.processStats();
        Throughput again = reduct.query(new String[] {entries[0]}, BASE_TS, BASE_TS + perEntry(write));
        check(again, perEntryWritten[0], entries[0]);
        System.out.printf("(c\") the same query again, at once (no sync)      %s%s%n", again,
                Bench.statsSince(stats));

        Bench.settleDisk();
        Throughput ggRead = greengrass.readMessages("gg-append", 0, ggAppend.records());
        System.out.printf("(d) Greengrass readMessages max %d of (b)         %s%n", GreengrassLoad.READ_LIMIT, ggRead);

        // references
        Bench.settleDisk();
        Throughput queryAll = reduct.query(entries, BASE_TS, BASE_TS + perEntry(write));
        check(queryAll, write.records(), "every entry of (a)");
        System.out.printf("(c') query read of all %d entries of (a), merged  %s%n", connections, queryAll);
        greengrass.createStream("gg-batch");
        Bench.settleDisk();
        Throughput ggBatch = greengrass.appendBatchesInFlight("gg-batch", seconds, BATCH, connections);
        System.out.printf("(b') Greengrass appendBatch %d x %d in flight      %s%n", connections, BATCH, ggBatch);
        Bench.settleDisk();
        Throughput ggRead64 = greengrass.readMessages("gg-append", 0, ggAppend.records(), 64);
        System.out.printf("(d') Greengrass readMessages max 64 of (b)          %s%n", ggRead64);

        // (e) the large entry
        Bench.settleDisk();
        long fillStart = System.nanoTime();
        long filled = reduct.fill("big", bigRecords);
        double fillSeconds = seconds(fillStart);
        System.out.printf("(e) filled entry big with %,d records of %d bytes (3 labels) in %.1f s: %,.0f records/s%n",
                filled, SMALL, fillSeconds, filled / fillSeconds);
        reduct.describe("big");
        Bench.settleDisk();
        long[][] timings = reduct.rangeQueries("big", bigRecords, queries);
        long[] total = timings[0].clone();
        long[] open = timings[1].clone();
        Arrays.sort(total);
        Arrays.sort(open);
        System.out.printf("(e) %d time-range queries of 1 s in the middle of %,d records, open + first batch:"
                        + " min %.2f ms, median %.2f ms, max %.2f ms (the open alone: min %.2f, median %.2f, max %.2f"
                        + " ms); in order: %s%n", queries, filled, total[0] / 1e6,
                Bench.percentile(total, 0.5) / 1e6, total[total.length - 1] / 1e6, open[0] / 1e6,
                Bench.percentile(open, 0.5) / 1e6, open[open.length - 1] / 1e6, millis(timings[0]));

        long[] store = storeQueries(daemon, "big", bigRecords, queries);
        Arrays.sort(store);
        System.out.printf("(e') the same ranges in-process (no HTTP, no API): the store's seekTime + read of 64 before"
                        + " the stop: min %.3f ms, median %.3f ms, max %.3f ms%n", store[0] / 1e6,
                Bench.percentile(store, 0.5) / 1e6, store[store.length - 1] / 1e6);

        System.out.println();
        System.out.println("| measure | ReductStore API | Greengrass protocol | ReductStore / Greengrass | target |");
        System.out.println("|---|---:|---:|---:|---|");
        System.out.printf("| write: batch %d x 1 KiB + 3 labels, %d connections, vs appendMessage x%d in flight,"
                        + " rec/s (MiB/s) | %,.0f (%.1f) | %,.0f (%.1f) | **%.0f%%** | >= 50%% |%n", BATCH,
                connections, GreengrassLoad.IN_FLIGHT, write.perSecond(), write.mibPerSecond(),
                ggAppend.perSecond(), ggAppend.mibPerSecond(), 100 * write.perSecond() / ggAppend.perSecond());
        System.out.printf("| read: query of one entry (batches of 64) vs readMessages max %d, rec/s (MiB/s) |"
                        + " %,.0f (%.1f) | %,.0f (%.1f) | **%.0f%%** | >= 50%% |%n", GreengrassLoad.READ_LIMIT,
                query.perSecond(), query.mibPerSecond(), ggRead.perSecond(), ggRead.mibPerSecond(),
                100 * query.perSecond() / ggRead.perSecond());
        System.out.printf("| ref: batch write vs appendBatch %d x %d in flight | %,.0f | %,.0f | %.0f%% | |%n",
                connections, BATCH, write.perSecond(), ggBatch.perSecond(),
                100 * write.perSecond() / ggBatch.perSecond());
        System.out.printf("| ref: query of one entry vs readMessages max 64 | %,.0f | %,.0f | %.0f%% | |%n",
                query.perSecond(), ggRead64.perSecond(), 100 * query.perSecond() / ggRead64.perSecond());
        System.out.printf("| ref: the query of one entry again vs readMessages max %d | %,.0f | %,.0f | %.0f%% | |%n",
                GreengrassLoad.READ_LIMIT, again.perSecond(), ggRead.perSecond(),
                100 * again.perSecond() / ggRead.perSecond());
        System.out.printf("| ref: query of %d entries merged vs readMessages max %d | %,.0f | %,.0f | %.0f%% | |%n",
                connections, GreengrassLoad.READ_LIMIT, queryAll.perSecond(), ggRead.perSecond(),
                100 * queryAll.perSecond() / ggRead.perSecond());
        System.out.printf("| 1 s range query in %,d records: open + first batch, min / median / max | %.2f / %.2f /"
                        + " %.2f ms | | | < 10 ms |%n", filled, total[0] / 1e6, Bench.percentile(total, 0.5) / 1e6,
                total[total.length - 1] / 1e6);
        System.out.printf("| fill of the large entry (%d records a batch, one connection) | %.1f s, %,.0f rec/s | | |"
                + " |%n", FILL_BATCH, fillSeconds, filled / fillSeconds);
    }

    /** Where {@link Reduct#rangeQueries} starts its query {@code q} ({@code q < 0}: a warm-up one). */
    private static long rangeStart(long records, int q, int count) {
        long span = records * FILL_STEP;
        if (q < 0) {
            return BASE_TS + (long) (span * (0.3 + 0.1 * (q + WARM_QUERIES) / WARM_QUERIES)) + 37;
        }
        // the middle half, a different second each time, not on a record's timestamp
        double where = 0.25 + 0.5 * (q + WARM_QUERIES + 0.5) / (count + WARM_QUERIES);
        return BASE_TS + (long) (span * where) / FILL_STEP * FILL_STEP + 37;
    }

    /**
     * (e'), a diagnosis: the ranges of {@link Reduct#rangeQueries} through the store in this JVM (the daemon's
     * {@link Daemon#store()}, the bucket's namespace, the entry's stream): seekTime of the start, then a read of 64
     * records stopping before the stop, as the API's query does; nanoseconds of each, in order.
     */
    private static long[] storeQueries(Daemon daemon, String entry, long records, int count) throws Exception {
        MessageStream stream = daemon.store().findNamespace(Namespace.of("reduct." + BUCKET)).orElseThrow()
                .get(StreamName.anyOf(entry));
        long[] nanos = new long[count];
        for (int q = -WARM_QUERIES; q < count; q++) {
            long start = rangeStart(records, q, count);
            long begin = System.nanoTime();
            long seq = stream.seekTime(start);
            List<Message> got = stream.read(ReadRequest.upTo(seq, 64).stoppingBefore(start + 1_000_000))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            long end = System.nanoTime();
            if (got.size() != 64 || got.get(0).timestampMicros() < start) {
                throw new IllegalStateException("in-process range at " + start + ": " + got.size() + " records");
            }
            if (q >= 0) {
                nanos[q] = end - begin;
            }
        }
        return nanos;
    }

    private static void check(Throughput read, long expected, String what) {
        if (read.records() != expected) {
            throw new IllegalStateException("the query of " + what + " gave " + read.records() + " records, not "
                    + expected);
        }
    }

    private static String millis(long[] nanos) {
        StringBuilder out = new StringBuilder();
        for (long n : nanos) {
            out.append(out.length() == 0 ? "" : " ").append(String.format("%.2f", n / 1e6));
        }
        return out.toString();
    }

    private String[] entries(String prefix) {
        String[] names = new String[connections];
        for (int i = 0; i < connections; i++) {
            names[i] = prefix + "-e" + (i + 1);
        }
        return names;
    }

    /** The records each entry of a write phase holds at most: its timestamps' span (1 us apart) bounds them. */
    private long perEntry(Throughput write) {
        return write.records() + 1;
    }

    /** ReductStore calls on the API; the admin and read calls on one connection of the caller's thread. */
    private final class Reduct {
        private final URI endpoint;
        private final String host;
        private final String token;

        Reduct(URI endpoint, String host, String token) {
            this.endpoint = endpoint;
            this.host = host;
            this.token = token;
        }

        private byte[] head(String method, String target, String contentType, int length, String more) {
            return (method + " " + target + " HTTP/1.1\r\nhost: " + host + "\r\nauthorization: Bearer " + token
                    + "\r\ncontent-type: " + contentType + "\r\ncontent-length: " + length + "\r\n" + more + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        void createBucket() throws Exception {
            try (BenchHttp http = new BenchHttp(endpoint)) {
                byte[] body = "{}".getBytes(StandardCharsets.US_ASCII);
                http.exchange(head("POST", "/api/v1/b/" + BUCKET, "application/json", body.length, ""), body);
                if (http.status() != 200) {
                    throw new IllegalStateException("create bucket answered " + http.status() + " " + http.bodyText());
                }
            }
        }

        /** Prints what the API reports of an entry (its records and size), to check the fill. */
        void describe(String entry) throws Exception {
            try (BenchHttp http = new BenchHttp(endpoint)) {
                http.exchange(head("GET", "/api/v1/b/" + BUCKET, "application/json", 0, ""));
                var tree = JSON.readTree(http.body(), 0, http.length());
                for (var e : tree.path("entries")) {
                    if (e.path("name").asText().equals(entry)) {
                        System.out.printf("    entry %s as the API reports it: %s%n", entry, e);
                    }
                }
            }
        }

        /**
         * A request head for a batch of {@code records} records of {@code size} bytes with the 3 labels, the
         * timestamps to be written in at the returned offsets ({@link #stamp}).
         */
        Template template(String entry, int records, int size) {
            StringBuilder head = new StringBuilder(records * 100 + 256).append("POST /api/v1/b/").append(BUCKET)
                    .append('/').append(entry).append("/batch HTTP/1.1\r\nhost: ").append(host)
                    .append("\r\nauthorization: Bearer ").append(token)
                    .append("\r\ncontent-type: application/octet-stream\r\ncontent-length: ")
                    .append((long) records * size).append("\r\n");
            int[] offsets = new int[records];
            for (int i = 0; i < records; i++) {
                head.append("x-reduct-time-");
                offsets[i] = head.length();
                head.append(BASE_TS).append(": ").append(size).append(",application/octet-stream,").append(LABELS)
                        .append("\r\n");
            }
            head.append("\r\n");
            return new Template(head.toString().getBytes(StandardCharsets.ISO_8859_1), offsets);
        }

        /**
         * (a): one thread per entry, each on its own connection sending batches of {@value #BATCH} one request at a
         * time, its {@value #BODIES} bodies in turn, until the time is up or the phase's records are reserved; the
         * first failure stops every thread and fails the phase.
         */
        Throughput writeBatches(String[] entries, double phaseSeconds, java.util.function.Supplier<byte[]> source)
                throws Exception {
            int n = entries.length;
            List<byte[][]> bodies = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                byte[][] own = new byte[BODIES][];
                for (int b = 0; b < BODIES; b++) {
                    own[b] = new byte[BATCH * PAYLOAD];
                    for (int i = 0; i < BATCH; i++) {
                        System.arraycopy(source.get(), 0, own[b], i * PAYLOAD, PAYLOAD);
                    }
                }
                bodies.add(own);
            }
            var reserved = new AtomicLong();
            var written = new AtomicLong();
            var counts = new java.util.concurrent.atomic.AtomicLongArray(n);
            var failure = new AtomicReference<Throwable>();
            var ready = new CountDownLatch(n);
            var go = new CountDownLatch(1);
            var done = new CountDownLatch(n);
            long[] deadline = new long[1];
            for (int c = 0; c < n; c++) {
                byte[][] mine = bodies.get(c);
                int index = c;
                Template template = template(entries[c], BATCH, PAYLOAD);
                Thread thread = new Thread(() -> {
                    boolean counted = false;
                    try (BenchHttp http = new BenchHttp(endpoint)) {
                        http.count("x-reduct-error-");
                        ready.countDown();
                        counted = true;
                        go.await();
                        int b = 0;
                        long ts = BASE_TS;
                        while (System.nanoTime() < deadline[0] && failure.get() == null
                                && reserved.addAndGet(BATCH) <= maxRecords) {
                            template.stamp(ts, 1);
                            ts += BATCH;
                            http.exchange(template.head, mine[b]);
                            b = (b + 1) % BODIES;
                            if (http.status() != 200 || http.counted() != 0) {
                                throw new IllegalStateException("batch write answered " + http.status() + " with "
                                        + http.counted() + " x-reduct-error headers " + http.bodyText());
                            }
                            written.addAndGet(BATCH);
                            counts.addAndGet(index, BATCH);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        if (!counted) {
                            ready.countDown();
                        }
                        done.countDown();
                    }
                }, "reduct-write-" + c);
                thread.start();
            }
            ready.await();
            long start = System.nanoTime();
            deadline[0] = start + (long) (phaseSeconds * 1e9);
            go.countDown();
            done.await();
            double elapsed = seconds(start);
            if (failure.get() != null) {
                throw new IllegalStateException(entries[0] + "...: batch write failed", failure.get());
            }
            perEntryWritten = new long[n];
            for (int c = 0; c < n; c++) {
                perEntryWritten[c] = counts.get(c);
            }
            return new Throughput(written.get(), elapsed, 0);
        }

        /** Opens a v2 query of {@code entries} over [start, stop): its id. */
        long open(BenchHttp http, String[] entries, long start, long stop) throws Exception {
            StringBuilder json = new StringBuilder().append("{\"start\":").append(start).append(",\"stop\":")
                    .append(stop).append(",\"query_type\":\"QUERY\",\"ttl\":30,\"entries\":[");
            for (int i = 0; i < entries.length; i++) {
                json.append(i == 0 ? "\"" : ",\"").append(entries[i]).append('"');
            }
            byte[] body = json.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
            http.exchange(head("POST", "/api/v1/io/" + BUCKET + "/q", "application/json", body.length, ""), body);
            if (http.status() != 200) {
                throw new IllegalStateException("query answered " + http.status() + " " + http.bodyText());
            }
            return JSON.readTree(http.body(), 0, http.length()).get("id").asLong();
        }

        /**
         * (c): a query of {@code entries} from {@code start} to {@code stop}, read batch by batch until
         * {@code x-reduct-last: true} (or 204); timed from the open's request.
         */
        Throughput query(String[] entries, long start, long stop) throws Exception {
            try (BenchHttp http = new BenchHttp(endpoint)) {
                http.capture("x-reduct-last");
                http.count("x-reduct-");
                long begin = System.nanoTime();
                long id = open(http, entries, start, stop);
                byte[] read = head("GET", "/api/v1/io/" + BUCKET + "/read", "application/octet-stream", 0,
                        "x-reduct-query-id: " + id + "\r\n");
                long records = 0;
                long batches = 0;
                while (true) {
                    http.exchange(read);
                    if (http.status() == 204) {
                        break;
                    }
                    if (http.status() != 200) {
                        throw new IllegalStateException("read answered " + http.status() + " " + http.bodyText());
                    }
                    batches++;
                    records += http.counted();
                    if ("true".equals(http.header())) {
                        break;
                    }
                }
                double elapsed = seconds(begin);
                if (batches > 0 && records == 0) {
                    throw new IllegalStateException("batches without record headers");
                }
                return new Throughput(records, elapsed, 0);
            }
        }

        /**
         * (e): {@code count} records of {@value #SMALL} bytes into {@code entry}, {@value #FILL_STEP} us apart from
         * {@link #BASE_TS}, {@value #FILL_BATCH} a request on one connection: the records written.
         */
        long fill(String entry, long count) throws Exception {
            Template template = template(entry, FILL_BATCH, SMALL);
            byte[][] bodies = new byte[BODIES][];
            byte[][] small = Bench.payloads(BODIES * FILL_BATCH, SMALL);
            for (int b = 0; b < BODIES; b++) {
                bodies[b] = new byte[FILL_BATCH * SMALL];
                for (int i = 0; i < FILL_BATCH; i++) {
                    System.arraycopy(small[b * FILL_BATCH + i], 0, bodies[b], i * SMALL, SMALL);
                }
            }
            long written = 0;
            long nextReport = System.nanoTime() + 30_000_000_000L;
            long start = System.nanoTime();
            try (BenchHttp http = new BenchHttp(endpoint)) {
                http.count("x-reduct-error-");
                int b = 0;
                while (written + FILL_BATCH <= count) {
                    template.stamp(BASE_TS + written * FILL_STEP, FILL_STEP);
                    http.exchange(template.head, bodies[b]);
                    b = (b + 1) % BODIES;
                    if (http.status() != 200 || http.counted() != 0) {
                        throw new IllegalStateException("fill: batch write answered " + http.status() + " with "
                                + http.counted() + " x-reduct-error headers after " + written + " records "
                                + http.bodyText());
                    }
                    written += FILL_BATCH;
                    if (System.nanoTime() > nextReport) {
                        System.out.printf("    fill: %,d records in %.0f s%n", written, seconds(start));
                        nextReport += 30_000_000_000L;
                    }
                }
            }
            return written;
        }

        /**
         * (e): time-range queries of 1 s, spread over the middle half of the large entry ({@value #WARM_QUERIES}
         * unmeasured first, at other places); each is opened and its first batch read on a fresh connection made
         * beforehand, and checked (64 records, the first at or after the start). Returns the nanoseconds of open +
         * first batch, and of the open alone, in order.
         */
        long[][] rangeQueries(String entry, long records, int count) throws Exception {
            long[] total = new long[count];
            long[] open = new long[count];
            for (int q = -WARM_QUERIES; q < count; q++) {
                long start = rangeStart(records, q, count);
                long stop = start + 1_000_000;
                try (BenchHttp http = new BenchHttp(endpoint)) {
                    http.capture("x-reduct-start-ts");
                    http.count("x-reduct-");
                    long begin = System.nanoTime();
                    long id = open(http, new String[] {entry}, start, stop);
                    long opened = System.nanoTime();
                    http.exchange(head("GET", "/api/v1/io/" + BUCKET + "/read", "application/octet-stream", 0,
                            "x-reduct-query-id: " + id + "\r\n"));
                    long end = System.nanoTime();
                    if (http.status() != 200 || http.counted() != 64 || http.header() == null
                            || Long.parseLong(http.header()) < start
                            || Long.parseLong(http.header()) >= start + FILL_STEP) {
                        throw new IllegalStateException("range query at " + start + ": " + http.status() + ", "
                                + http.counted() + " records from " + http.header());
                    }
                    if (q >= 0) {
                        total[q] = end - begin;
                        open[q] = opened - begin;
                    }
                }
            }
            return new long[][] {total, open};
        }
    }

    /** A batch request's head with the places of its records' timestamps (16 digits each). */
    private static final class Template {
        final byte[] head;
        final int[] offsets;

        Template(byte[] head, int[] offsets) {
            this.head = head;
            this.offsets = offsets;
        }

        /** Writes {@code first}, {@code first + step}, ... into the head's timestamps. */
        void stamp(long first, long step) {
            long ts = first;
            for (int offset : offsets) {
                long v = ts;
                for (int d = 15; d >= 0; d--) {
                    head[offset + d] = (byte) ('0' + v % 10);
                    v /= 10;
                }
                ts += step;
            }
        }
    }
}
