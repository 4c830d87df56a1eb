package io.github.edgestream.core.bench;

import io.github.edgestream.core.cursor.Cursor;
import io.github.edgestream.core.cursor.CursorStore;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.stream.internal.AtomicFiles;
import io.github.edgestream.core.time.SystemScheduler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The record capabilities against their ceilings, in one run, one line per phase:
 *
 * <ul>
 *   <li>(a) rich appends (1 KiB, 16-byte key, 3 headers, producer timestamp, {@code appendBatch} of one) against plain
 *       {@code append(byte[])} of 1 KiB, both against raw Chronicle appends;</li>
 *   <li>(b) batches of 100 x 1 KiB against single-record appends, records/s, without and with {@code flushOnWrite};</li>
 *   <li>(c) {@code seekTime} to random times in a File stream of each size given, median and p99 of 10,000 seeks,
 *       next to a one-record read at a random sequence number in the same stream;</li>
 *   <li>(d) durable cursor commits ({@code CursorStore} over a File stream's checkpoints), 1 and 8 threads, against
 *       a raw atomic replace of a small file (write, fsync, rename, fsync of the directory) and raw
 *       write+fdatasync; and the group-commit ratio of {@code flushOnWrite} appends, 8 writers against 1.</li>
 * </ul>
 *
 * Throughputs are the median of the rounds of each side (after one warm-up round each), the sides of a comparison
 * taking turns round by round, so that the disk's writeback, which swings single rounds by 2x here, hits them alike.
 *
 * <pre>
 * mvn -q -Pbench -pl core test-compile exec:exec -Dbench.main=io.github.edgestream.core.bench.RecordBenchmark \
 *     -Dbench.args="abcd 0.5 1000000,10000000 15"     # phases, seconds per round, seek sizes, rounds
 * </pre>
 */
public final class RecordBenchmark {

    private static final int KIB = 1024;
    private static final int BATCH = 100;
    private static final int SEEKS = 10_000;
    private static final int SEEK_PAYLOAD = 16;
    private static final long T0 = 1_800_000_000_000_000L;
    private static final long TICK = 10; // µs between the seek streams' records
    private static final int WRITERS = 8;

    private final double seconds;
    private final int rounds;
    private final Path directory;
    private final SystemScheduler scheduler = new SystemScheduler("bench-scheduler");
    private final ExecutorService storeExecutor = Executors.newFixedThreadPool(2);
    private final StreamStore store;
    private final byte[] payload = payload(KIB);

    private RecordBenchmark(double seconds, int rounds) throws IOException {
        this.seconds = seconds;
        this.rounds = rounds;
        this.directory = StoreBenchmark.benchDirectory("records");
        this.store = StreamStore.open(StoreSettings.defaults(directory.resolve("store")),
                new StoreServices(Clock.systemUTC(), scheduler, storeExecutor, StoreListener.NONE));
    }

    public static void main(String[] args) throws Exception {
        String phases = args.length > 0 ? args[0] : "abcd";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;
        long[] seekSizes = Arrays.stream((args.length > 2 ? args[2] : "1000000,10000000").split(","))
                .mapToLong(Long::parseLong).toArray();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        RecordBenchmark bench = new RecordBenchmark(seconds, rounds);
        try {
            if (phases.contains("a") || phases.contains("b")) {
                bench.appends(phases.contains("a"), phases.contains("b"));
            }
            if (phases.contains("c")) {
                bench.seeks(seekSizes);
            }
            if (phases.contains("d")) {
                bench.durable();
            }
        } finally {
            bench.close();
        }
    }

    private static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private MessageStream fileStream(String name, boolean flushOnWrite) {
        // overwrite keeps the disk bounded, as in StoreBenchmark: the figures include rolling and deleting segments
        return store.create(StreamDefinition.builder(name, StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .maxSize(DataSize.ofGibibytes(1)).flushOnWrite(flushOnWrite).build());
    }

    // ------------------------------------------------------------------------------------------- (a) and (b)

    private void appends(boolean rich, boolean batches) throws IOException {
        MessageStream plainStream = fileStream("plain", false);
        MessageStream richStream = fileStream("rich", false);
        MessageStream batchStream = fileStream("batch", false);
        MessageStream singleBatchStream = fileStream("single-batch", false);
        SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory.resolve("raw")).build();
        ExcerptAppender appender = queue.createAppender();
        byte[] key = "pump-0017-sensor".getBytes(StandardCharsets.UTF_8);
        List<Header> headers = List.of(Header.of("content-type", "application/json"),
                Header.of("source", "gateway-7/line-2"), Header.of("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736"));
        AtomicLong clock = new AtomicLong(T0);
        AppendRecord richRecord = AppendRecord.of(payload).withKey(key).withHeaders(headers);
        AppendRecord plainRecord = AppendRecord.of(payload);
        List<AppendRecord> hundred = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            hundred.add(AppendRecord.of(payload));
        }
        try {
            Side raw = new Side("raw Chronicle append", 1, () -> {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(payload);
                }
            });
            Side plain = new Side("append(byte[])", 1, () -> plainStream.append(payload));
            if (rich) {
                Side richSide = new Side("rich appendBatch(1)", 1, () -> richStream.appendBatch(AppendBatch.of(
                        richRecord.withTimestampMicros(clock.getAndIncrement()))));
                compare(raw, plain, richSide);
                System.out.printf("(a) rich/plain %.0f%% (target >= 90%%); plain/raw %.0f%%, rich/raw %.0f%%: %s%n",
                        100 * richSide.median() / plain.median(), 100 * plain.median() / raw.median(),
                        100 * richSide.median() / raw.median(), summary(raw, plain, richSide));
            }
            if (batches) {
                Side single = new Side("appendBatch(1)", 1, () -> singleBatchStream.appendBatch(
                        AppendBatch.of(plainRecord)));
                Side batch = new Side("appendBatch(100)", BATCH, () -> batchStream.appendBatch(
                        AppendBatch.of(hundred)));
                compare(raw, plain, single, batch);
                System.out.printf("(b) batch of 100 / append(byte[]) %.2fx, / appendBatch(1) %.2fx (target >= 2x);"
                        + " batch/raw %.0f%%: %s%n", batch.median() / plain.median(),
                        batch.median() / single.median(), 100 * batch.median() / raw.median(),
                        summary(raw, plain, single, batch));
                durableBatches(hundred);
            }
        } finally {
            appender.close();
            queue.close();
            for (MessageStream stream : List.of(plainStream, richStream, batchStream, singleBatchStream)) {
                store.delete(stream.name());
            }
        }
    }

    private void durableBatches(List<AppendRecord> hundred) {
        MessageStream single = fileStream("durable-single", true);
        MessageStream batches = fileStream("durable-batch", true);
        try {
            Side one = new Side("flushOnWrite append(byte[])", 1, () -> single.append(payload));
            Side batch = new Side("flushOnWrite appendBatch(100)", BATCH, () -> batches.appendBatch(
                    AppendBatch.of(hundred)));
            compare(one, batch);
            System.out.printf("(b) flushOnWrite: batch of 100 / append(byte[]) %.1fx: %s%n",
                    batch.median() / one.median(), summary(one, batch));
        } finally {
            store.delete(single.name());
            store.delete(batches.name());
        }
    }

    // ------------------------------------------------------------------------------------------------ (c)

    private void seeks(long[] sizes) {
        byte[] small = payload(SEEK_PAYLOAD);
        for (long size : sizes) {
            MessageStream stream = store.create(StreamDefinition.builder("seek-" + size, StrategyOnFull.REJECT_NEW_DATA)
                    .maxSize(DataSize.ofGibibytes(8)).build());
            try {
                long writeStart = System.nanoTime();
                List<AppendRecord> batch = new ArrayList<>(1000);
                for (long written = 0; written < size; ) {
                    batch.clear();
                    int count = (int) Math.min(1000, size - written);
                    for (int i = 0; i < count; i++) {
                        batch.add(AppendRecord.of(small).withTimestampMicros(T0 + (written + i) * TICK));
                    }
                    stream.appendBatch(AppendBatch.of(batch));
                    written += count;
                }
                double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
                SplittableRandom random = new SplittableRandom(42);
                long[] seekNanos = new long[SEEKS];
                long[] readNanos = new long[SEEKS];
                for (int pass = 0; pass < 2; pass++) { // the first pass warms up
                    for (int i = 0; i < SEEKS; i++) {
                        long target = T0 + random.nextLong(size * TICK);
                        long start = System.nanoTime();
                        long found = stream.seekTime(target);
                        seekNanos[i] = System.nanoTime() - start;
                        long expected = (target - T0 + TICK - 1) / TICK;
                        if (found != expected) {
                            throw new IllegalStateException("seekTime(" + target + ") gave " + found + ", not "
                                    + expected);
                        }
                        long sequence = random.nextLong(size);
                        start = System.nanoTime();
                        int read = stream.read(ReadRequest.upTo(sequence, 1)).toCompletableFuture().join().size();
                        readNanos[i] = System.nanoTime() - start;
                        if (read != 1) {
                            throw new IllegalStateException("read at " + sequence + " gave " + read + " records");
                        }
                    }
                }
                Arrays.sort(seekNanos);
                Arrays.sort(readNanos);
                System.out.printf("(c) seekTime, %,d records in %d segments (written in %.2f s): median %.1f µs,"
                        + " p99 %.1f µs, max %.1f µs; one-record read at a random number: median %.1f µs,"
                        + " p99 %.1f µs%n", size, stream.info().segmentCount(), writeSeconds,
                        seekNanos[SEEKS / 2] / 1e3, seekNanos[SEEKS * 99 / 100] / 1e3, seekNanos[SEEKS - 1] / 1e3,
                        readNanos[SEEKS / 2] / 1e3, readNanos[SEEKS * 99 / 100] / 1e3);
            } finally {
                store.delete(stream.name());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ (d)

    private void durable() throws Exception {
        MessageStream cursors = fileStream("cursors", false);
        CursorStore cursorStore = new CursorStore(cursors.checkpoints(), Clock.systemUTC());
        Path rawDirectory = Files.createDirectories(directory.resolve("raw-replace"));
        FileChannel log = FileChannel.open(directory.resolve("raw-fsync"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        ByteBuffer line = ByteBuffer.wrap(payload(64));
        long[] generations = new long[WRITERS];
        long[] positions = new long[WRITERS];
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
        MessageStream flushing = fileStream("flush-on-write", true);
        try {
            Side fsync = new Side("raw write(64 B)+fdatasync", 1, () -> {
                try {
                    log.write(line.clear());
                    log.force(false);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Side replace = new Side("raw atomic replace (write, fsync, rename, fsync dir)", 1,
                    () -> rawReplace(rawDirectory));
            Side commit = new Side("CursorStore.commit, 1 thread", 1, () -> {
                Cursor saved = cursorStore.commit("consumer-0", positions[0] += 100, generations[0]);
                generations[0] = saved.generation();
            });
            Side commits8 = new Side("CursorStore.commit, 8 threads (a cursor each)", 1, () -> { });
            commits8.parallel = writer -> {
                Cursor saved = cursorStore.commit("consumer-" + writer, positions[writer] += 100,
                        generations[writer]);
                generations[writer] = saved.generation();
            };
            commits8.threads = threads;
            compare(fsync, replace, commit, commits8);
            System.out.printf("(d) cursor commits: %,.0f/s, %.0f%% of a raw atomic replace, %.0f%% of raw fdatasync;"
                    + " 8 threads / 1 thread %.2fx: %s%n", commit.median(), 100 * commit.median() / replace.median(),
                    100 * commit.median() / fsync.median(), commits8.median() / commit.median(),
                    summary(fsync, replace, commit, commits8));

            Side one = new Side("flushOnWrite append, 1 writer", 1, () -> flushing.append(payload));
            Side eight = new Side("flushOnWrite append, 8 writers", 1, () -> { });
            eight.parallel = writer -> flushing.append(payload);
            eight.threads = threads;
            compare(fsync, one, eight);
            System.out.printf("(d) flushOnWrite group commit: 8 writers / 1 writer %.1fx, 8 writers / raw fdatasync"
                    + " %.1fx: %s%n", eight.median() / one.median(), eight.median() / fsync.median(),
                    summary(fsync, one, eight));
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
            log.close();
            store.delete(cursors.name());
            store.delete(flushing.name());
        }
    }

    private int replaced;

    private void rawReplace(Path rawDirectory) {
        try {
            Path temporary = rawDirectory.resolve("cursor.tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(ByteBuffer.wrap(("position=" + (replaced++ * 100) + "\ngeneration=" + replaced
                        + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temporary, rawDirectory.resolve("cursor"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.syncDirectory(rawDirectory);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------- measuring

    /** One side of a comparison: an operation worth {@code records} records, its rate in each round. */
    private static final class Side {
        final String name;
        final int records;
        final Runnable operation;
        final List<Double> rates = new ArrayList<>();
        java.util.function.IntConsumer parallel;
        ExecutorService threads;

        Side(String name, int records, Runnable operation) {
            this.name = name;
            this.records = records;
            this.operation = operation;
        }

        double median() {
            List<Double> sorted = rates.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    /** A warm-up round of each side, then {@link #rounds} rounds of each, taking turns. */
    private void compare(Side... sides) throws RuntimeException {
        for (Side side : sides) {
            round(side);
            side.rates.clear();
        }
        for (int r = 0; r < rounds; r++) {
            for (Side side : sides) {
                side.rates.add(round(side));
            }
        }
    }

    /** Records per second over one round of {@link #seconds}. */
    private double round(Side side) {
        long duration = (long) (seconds * 1e9);
        if (side.parallel == null) {
            long operations = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                side.operation.run();
                operations++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < duration);
            return operations * side.records * 1e9 / elapsed;
        }
        List<Future<Long>> counts = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            counts.add(side.threads.submit(() -> {
                long operations = 0;
                while (System.nanoTime() - start < duration) {
                    side.parallel.accept(writer);
                    operations++;
                }
                return operations;
            }));
        }
        long operations = 0;
        try {
            for (Future<Long> count : counts) {
                operations += count.get(seconds * 10 + 60 > 0 ? (long) (seconds * 10 + 60) : 60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(side.name + ": " + e, e);
        }
        long elapsed = System.nanoTime() - start;
        return operations * side.records * 1e9 / elapsed;
    }

    private static String summary(Side... sides) {
        StringBuilder text = new StringBuilder();
        for (Side side : sides) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(side.name).append(String.format(" %,.0f/s", side.median()));
            text.append(String.format(" [%,.0f-%,.0f]", side.rates.stream().mapToDouble(r -> r).min().orElse(0),
                    side.rates.stream().mapToDouble(r -> r).max().orElse(0)));
        }
        return text.toString();
    }

    private void close() throws IOException {
        store.close();
        scheduler.close();
        storeExecutor.shutdownNow();
        AtomicFiles.deleteRecursively(directory);
    }
}
