package io.github.edgestream.core.bench;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The stream store against its ceilings, in one run: appends and reads of 1 KiB payloads through the store, next to
 * the same operations on a bare Chronicle queue, and {@code flushOnWrite} appends next to a bare write+fsync loop on
 * the same disk. Throughput per operation (one message); compare each store figure with its ceiling.
 *
 * <pre>
 * mvn -q -Pbench -pl core test-compile exec:exec -Dbench.args="StoreBenchmark -f 1"
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBenchmark {

    static final int PAYLOAD = 1024;
    static final int READ_BATCH = 100;
    static final int PREFILLED = 400_000;

    /** Where the benchmarks write; a disk, not tmpfs, by default. Override with -Dbench.dir=... */
    static Path benchDirectory(String name) throws IOException {
        Path base = Path.of(System.getProperty("bench.dir", "target/bench"));
        Files.createDirectories(base);
        return Files.createTempDirectory(base.toAbsolutePath(), name);
    }

    static byte[] payload() {
        byte[] payload = new byte[PAYLOAD];
        for (int i = 0; i < PAYLOAD; i++) {
            payload[i] = (byte) i;
        }
        return payload;
    }

    /** A store with one file stream of each kind. */
    @State(Scope.Benchmark)
    public static class Store {
        Path directory;
        SystemScheduler scheduler;
        StreamStore store;
        MessageStream plain;
        MessageStream durable;
        MessageStream prefilled;
        final byte[] payload = payload();
        long readNext;

        @Setup(Level.Trial)
        public void open() throws IOException {
            directory = benchDirectory("store");
            scheduler = new SystemScheduler("bench-scheduler");
            store = StreamStore.open(StoreSettings.defaults(directory),
                    new StoreServices(Clock.systemUTC(), scheduler, Runnable::run, StoreListener.NONE));
            // overwrite keeps the disk bounded: the figure includes creating and deleting segments
            plain = store.create(StreamDefinition.builder("plain", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                    .maxSize(DataSize.ofGibibytes(1)).build());
            durable = store.create(StreamDefinition.builder("durable", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                    .maxSize(DataSize.ofGibibytes(1)).flushOnWrite(true).build());
            prefilled = store.create(StreamDefinition.builder("prefilled", StrategyOnFull.REJECT_NEW_DATA)
                    .maxSize(DataSize.ofGibibytes(1)).build());
            for (int i = 0; i < PREFILLED; i++) {
                prefilled.append(payload);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            scheduler.close();
            AtomicFiles.deleteRecursively(directory);
        }
    }

    /** A bare Chronicle queue with default settings, and one pre-filled with the same messages. */
    @State(Scope.Benchmark)
    public static class RawChronicle {
        Path directory;
        SingleChronicleQueue queue;
        ExcerptAppender appender;
        SingleChronicleQueue prefilled;
        ExcerptTailer tailer;
        final byte[] payload = payload();
        final byte[] buffer = new byte[PAYLOAD];

        @Setup(Level.Trial)
        public void open() throws IOException {
            directory = benchDirectory("raw");
            queue = SingleChronicleQueueBuilder.binary(directory.resolve("append")).build();
            appender = queue.createAppender();
            prefilled = SingleChronicleQueueBuilder.binary(directory.resolve("read")).build();
            try (ExcerptAppender filler = prefilled.createAppender()) {
                for (int i = 0; i < PREFILLED; i++) {
                    try (DocumentContext dc = filler.writingDocument()) {
                        dc.wire().bytes().write(payload);
                    }
                }
            }
            tailer = prefilled.createTailer();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            appender.close();
            tailer.close();
            queue.close();
            prefilled.close();
            AtomicFiles.deleteRecursively(directory);
        }
    }

    /** A plain file written 1 KiB at a time, each write followed by fdatasync. */
    @State(Scope.Benchmark)
    public static class RawFsync {
        Path directory;
        FileChannel channel;
        final ByteBuffer payload = ByteBuffer.wrap(payload());

        @Setup(Level.Trial)
        public void open() throws IOException {
            directory = benchDirectory("fsync");
            channel = FileChannel.open(directory.resolve("log"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            AtomicFiles.deleteRecursively(directory);
        }
    }

    @Benchmark
    public long storeAppend(Store state) {
        return state.plain.append(state.payload);
    }

    @Benchmark
    public long rawChronicleAppend(RawChronicle state) {
        try (DocumentContext dc = state.appender.writingDocument()) {
            dc.wire().bytes().write(state.payload);
        }
        return state.appender.lastIndexAppended();
    }

    @Benchmark
    public long storeAppendFlushOnWrite(Store state) {
        return state.durable.append(state.payload);
    }

    @Benchmark
    public int rawWriteAndFsync(RawFsync state) throws IOException {
        int written = state.channel.write(state.payload.clear());
        state.channel.force(false);
        return written;
    }

    @Benchmark
    @OperationsPerInvocation(READ_BATCH)
    public void storeRead(Store state, Blackhole hole) {
        if (state.readNext + READ_BATCH > PREFILLED) {
            state.readNext = 0;
        }
        List<Message> messages = state.prefilled.read(ReadRequest.of(state.readNext, READ_BATCH, READ_BATCH,
                Duration.ZERO)).toCompletableFuture().join();
        state.readNext += messages.size();
        hole.consume(messages);
    }

    @Benchmark
    @OperationsPerInvocation(READ_BATCH)
    public void rawChronicleRead(RawChronicle state, Blackhole hole) {
        for (int i = 0; i < READ_BATCH; i++) {
            try (DocumentContext dc = state.tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    state.tailer.toStart();
                    continue;
                }
                byte[] copy = new byte[(int) dc.wire().bytes().readRemaining()];
                dc.wire().bytes().read(copy);
                hole.consume(copy);
            }
        }
    }
}
