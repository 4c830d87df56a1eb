package io.github.edgestream.core.bench;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.SystemScheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long a store with many file streams takes to open, and how much heap it needs, measured in a fresh JVM with a
 * 64 MiB heap limit. {@code run} prepares the store once (1,000 streams of 100 x 1 KiB by default) and then starts
 * {@code measure} as a child JVM with {@code -Xmx64m}.
 *
 * <pre>
 * mvn -q -Pbench -pl core test-compile exec:exec -Dbench.main=io.github.edgestream.core.bench.ReopenBenchmark \
 *     -Dbench.args="run target/bench/reopen 1000 100"
 * </pre>
 */
public final class ReopenBenchmark {

    private ReopenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path root = Path.of(args[1]).toAbsolutePath();
        int streams = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int messages = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        switch (mode) {
            case "prepare" -> prepare(root, streams, messages);
            case "measure" -> measure(root);
            case "run" -> {
                if (!Files.exists(root.resolve("streams"))) {
                    prepare(root, streams, messages);
                }
                for (int attempt = 1; attempt <= 3; attempt++) {
                    System.out.println("-- fresh JVM, -Xmx64m, attempt " + attempt);
                    childMeasure(root);
                }
            }
            default -> throw new IllegalArgumentException("mode is prepare, measure or run");
        }
    }

    private static StreamStore open(Path root, SystemScheduler scheduler) {
        return StreamStore.open(StoreSettings.defaults(root),
                new StoreServices(Clock.systemUTC(), scheduler, Runnable::run, StoreListener.NONE));
    }

    private static void prepare(Path root, int streams, int messages) {
        long started = System.nanoTime();
        byte[] payload = StoreBenchmark.payload();
        try (SystemScheduler scheduler = new SystemScheduler("prepare"); StreamStore store = open(root, scheduler)) {
            for (int s = 0; s < streams; s++) {
                MessageStream stream = store.create(StreamDefinition.builder(String.format("stream-%04d", s),
                        StrategyOnFull.REJECT_NEW_DATA).build());
                for (int m = 0; m < messages; m++) {
                    stream.append(payload);
                }
            }
        }
        System.out.printf(Locale.ROOT, "prepared %d file streams x %d messages of %d bytes in %.1f s%n", streams,
                messages, StoreBenchmark.PAYLOAD, (System.nanoTime() - started) / 1e9);
    }

    private static void childMeasure(Path root) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle")) {
                command.add(argument);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ReopenBenchmark.class.getName(),
                "measure", root.toString()));
        Process child = new ProcessBuilder(command).inheritIO().start();
        if (child.waitFor() != 0) {
            throw new IllegalStateException("measure failed with exit code " + child.exitValue());
        }
    }

    private static void measure(Path root) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        long t0 = System.nanoTime();
        try (SystemScheduler scheduler = new SystemScheduler("measure"); StreamStore store = open(root, scheduler)) {
            long t1 = System.nanoTime();
            long messages = 0;
            for (StreamName name : store.list()) {
                var info = store.get(name).info();
                messages += info.newestSequenceNumber() - info.oldestSequenceNumber() + 1;
            }
            long t2 = System.nanoTime();
            System.gc();
            long heapOpen = memory.getHeapMemoryUsage().getUsed();
            long read = 0;
            for (StreamName name : store.list()) {
                List<Message> first = store.get(name).read(ReadRequest.upTo(0, 1)).toCompletableFuture().join();
                read += first.size();
            }
            long t3 = System.nanoTime();
            System.gc();
            long heapRead = memory.getHeapMemoryUsage().getUsed();
            System.out.printf(Locale.ROOT, "streams=%d messages=%d max heap=%d MiB%n", store.list().size(),
                    messages, memory.getHeapMemoryUsage().getMax() >> 20);
            System.out.printf(Locale.ROOT, "open (catalogue + segment metadata)  %7.0f ms%n", (t1 - t0) / 1e6);
            System.out.printf(Locale.ROOT, "describe every stream                %7.0f ms%n", (t2 - t1) / 1e6);
            System.out.printf(Locale.ROOT, "first read of every stream (%d)    %7.0f ms%n", read, (t3 - t2) / 1e6);
            System.out.printf(Locale.ROOT, "heap used: before %.1f MiB, open %.1f MiB, after reads %.1f MiB%n",
                    heapBefore / 1048576.0, heapOpen / 1048576.0, heapRead / 1048576.0);
        }
    }
}
