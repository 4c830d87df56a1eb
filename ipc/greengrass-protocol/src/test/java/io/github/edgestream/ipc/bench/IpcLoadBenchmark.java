package io.github.edgestream.ipc.bench;

import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.stream.internal.AtomicFiles;
import io.github.edgestream.core.time.SystemScheduler;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.server.IpcServer;
import io.github.edgestream.ipc.server.IpcSettings;
import io.github.edgestream.ipc.wire.RequestEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Load over the protocol against the daemon's server (in this JVM, store on disk), each figure next to its ceiling
 * measured in the same run:
 *
 * <ol type="a">
 *   <li>one connection, one 1 KiB append at a time (as the SDKs do): appends/s and latency percentiles; ceiling: the
 *       same blocking request/response loop against a trivial echo server over loopback TCP;</li>
 *   <li>4 connections, 128 appends in flight each: appends/s; ceiling: raw Chronicle append;</li>
 *   <li>flushOnWrite with 1, 8 and 64 concurrent writers (each waits for its acknowledgement): appends/s; ceiling:
 *       raw write + fdatasync loop;</li>
 *   <li>reads of 1,000 messages per request from a File stream: messages/s.</li>
 * </ol>
 *
 * <pre>
 * mvn -q -Pbench -pl ipc test-compile exec:exec -Dbench.main=io.github.edgestream.ipc.bench.IpcLoadBenchmark \
 *     -Dbench.args="10"     # seconds per phase
 * </pre>
 */
public final class IpcLoadBenchmark {

    static {
        // Before any logger exists (Netty's allocator below creates one): the store logs every segment it evicts,
        // and thousands of lines would only disturb the measurement.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private static final int PAYLOAD = 1024;
    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private IpcLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        String phases = args.length > 1 ? args[1] : "abcd";
        Path directory = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "target")).toAbsolutePath(),
                "ipc-bench");
        byte[] payload = new byte[PAYLOAD];
        Arrays.fill(payload, (byte) 'x');
        System.out.printf(Locale.ROOT, "machine: %d processors, %s %s; phases of %d s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), phase.toSeconds());
        try (SystemScheduler scheduler = new SystemScheduler("bench-timer")) {
            ExecutorService storeExecutor = Executors.newFixedThreadPool(2);
            ExecutorService admin = Executors.newFixedThreadPool(1);
            StreamStore store = StreamStore.open(StoreSettings.defaults(directory.resolve("store")),
                    new StoreServices(Clock.systemUTC(), scheduler, storeExecutor, StoreListener.NONE));
            IpcSettings settings = new IpcSettings(true, "127.0.0.1", 0, java.util.Optional.empty(), "rw-rw----",
                    java.util.Optional.empty(), DataSize.ofMebibytes(17), DataSize.ofMebibytes(64), 1024, 4096,
                    Duration.ZERO, Duration.ofSeconds(30), 0, io.github.edgestream.net.Transport.CURRENT);
            IpcServer server = new IpcServer(settings,
                    new StreamService(store, ExportStatusSource.NOT_STARTED, admin), "bench");
            server.start();
            int port = server.port();
            try {
                store.create(StreamDefinition.builder("a", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                        .maxSize(DataSize.ofGibibytes(1)).build());
                for (String name : List.of("b", "b0", "b1", "b2", "b3")) {
                    store.create(StreamDefinition.builder(name, StrategyOnFull.OVERWRITE_OLDEST_DATA)
                            .maxSize(DataSize.ofMebibytes(512)).build());
                }
                store.create(StreamDefinition.builder("c", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                        .maxSize(DataSize.ofGibibytes(1)).flushOnWrite(true).build());
                MessageStream d = store.create(StreamDefinition.builder("d", StrategyOnFull.REJECT_NEW_DATA)
                        .maxSize(DataSize.ofGibibytes(1)).build());
                if (phases.contains("d")) {
                    for (int i = 0; i < 300_000; i++) {
                        d.append(payload);
                    }
                }

                if (phases.contains("a")) {
                    phaseA(port, payload, phase);
                }
                if (phases.contains("n")) {
                    System.out.printf(Locale.ROOT, "(n) Netty NIO echo with our frame decoder: %,.0f/s%n",
                            nettyEcho(payload, phase));
                }
                if (phases.contains("b")) {
                    settleDisk();
                    phaseB(port, directory, payload, phase);
                }
                if (phases.contains("c")) {
                    settleDisk();
                    phaseC(port, directory, payload, phase);
                }
                if (phases.contains("d")) {
                    settleDisk();
                    System.out.printf(Locale.ROOT, "(d) reads of 1,000 messages per request: %,.0f messages/s%n",
                            bulkReads(port, "d", 300_000, phase));
                }
                if (phases.contains("e")) {
                    settleDisk();
                    phaseE(port, payload, phase);
                }
            } finally {
                server.close();
                store.close();
                storeExecutor.shutdownNow();
                admin.shutdownNow();
                AtomicFiles.deleteRecursively(directory);
            }
        }
    }

    record Latencies(double rate, double p50, double p99, double p999) {
    }

    /**
     * (e) One writer, one request at a time: 1 KiB appends (AppendMessage) against AppendBatch extension requests of
     * 100 x 1 KiB records, in records per second; the two sides alternate three times and each reports its median.
     */
    private static void phaseE(int port, byte[] payload, Duration phase) throws Exception {
        List<Object> records = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(java.util.Map.of("payload", payload));
        }
        byte[] batch = bytes(RequestEncoder.raw(ALLOC, io.github.edgestream.ipc.wire.Operation.APPEND_BATCH.code(),
                List.of(new Object[] {"requestId", "r"}, new Object[] {"streamName", "a"},
                        new Object[] {"records", records})));
        byte[] single = bytes(RequestEncoder.appendMessage(ALLOC, "r", "a", payload));
        double[] singles = new double[3];
        double[] batches = new double[3];
        Duration slice = phase.dividedBy(3);
        for (int round = 0; round < 3; round++) {
            singles[round] = sequentialRequests(port, single, 1, slice);
            batches[round] = sequentialRequests(port, batch, 100, slice);
        }
        Arrays.sort(singles);
        Arrays.sort(batches);
        System.out.printf(Locale.ROOT, "(e) one writer, sequential: AppendMessage %,.0f records/s, AppendBatch of 100"
                + " %,.0f records/s: %.1fx (target >= 2x)%n", singles[1], batches[1], batches[1] / singles[1]);
    }

    /** Sends one request at a time for {@code phase}, reading each response; requests per second. */
    private static double requestsPerSecond(OutputStream out, DataInputStream in, byte[] request, Duration phase)
            throws IOException {
        long requests = 0;
        long started = System.nanoTime();
        long end = started + phase.toNanos();
        long now = started;
        while (now < end) {
            out.write(request);
            skipFrame(in);
            requests++;
            now = System.nanoTime();
        }
        return requests / ((now - started) / 1e9);
    }

    /** Sets TCP_NODELAY, sends the handshake and reads its answer; the stream to read responses from. */
    private static DataInputStream handshake(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        socket.getOutputStream().write(bytes(RequestEncoder.connect(ALLOC, "bench", null)));
        in.readUnsignedByte();
        skipFrame(in);
        return in;
    }

    /** A blocking client sending one request at a time, reading each response; records per second. */
    private static double sequentialRequests(int port, byte[] request, int recordsPerRequest, Duration phase)
            throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            DataInputStream in = handshake(socket);
            return requestsPerSecond(out, in, request, phase) * recordsPerRequest;
        }
    }

    /** A blocking client: handshake, then one append at a time, reading each response. */
    static Latencies sequentialAppends(int port, byte[] payload, Duration phase) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            DataInputStream in = handshake(socket);
            byte[] request = bytes(RequestEncoder.appendMessage(ALLOC, "r", "a", payload));
            long[] samples = new long[5_000_000];
            int count = 0;
            long end = System.nanoTime() + phase.toNanos();
            long started = System.nanoTime();
            long now = started;
            while (now < end && count < samples.length) {
                out.write(request);
                skipFrame(in);
                long after = System.nanoTime();
                samples[count++] = after - now;
                now = after;
            }
            double seconds = (now - started) / 1e9;
            long[] sorted = Arrays.copyOf(samples, count);
            Arrays.sort(sorted);
            return new Latencies(count / seconds, sorted[count / 2] / 1e3, sorted[(int) (count * 0.99)] / 1e3,
                    sorted[(int) (count * 0.999)] / 1e3);
        }
    }

    /** The same blocking loop against a server that answers every frame with a fixed small frame, at once. */
    static double echoCeiling(byte[] payload, Duration phase) throws Exception {
        byte[] response = bytes(io.github.edgestream.ipc.wire.ResponseEncoder.appended(ALLOC, "r", 1));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
                    OutputStream out = socket.getOutputStream();
                    while (true) {
                        skipFrame(in);
                        out.write(response);
                    }
                } catch (IOException done) {
                    // the client left
                }
            });
            echo.start();
            byte[] request = bytes(RequestEncoder.appendMessage(ALLOC, "r", "a", payload));
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
                return requestsPerSecond(out, in, request, phase);
            } finally {
                echo.join(5_000);
            }
        }
    }

    /** Our frame decoder on Netty NIO answering every frame with a fixed response: the transport's own cost. */
    static double nettyEcho(byte[] payload, Duration phase) throws Exception {
        byte[] response = bytes(io.github.edgestream.ipc.wire.ResponseEncoder.appended(ALLOC, "r", 1));
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());
        try {
            io.netty.channel.Channel listener = new io.netty.bootstrap.ServerBootstrap().group(group)
                    .channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                    .childOption(io.netty.channel.ChannelOption.TCP_NODELAY, true)
                    .childHandler(new io.netty.channel.ChannelInitializer<>() {
                        @Override
                        protected void initChannel(io.netty.channel.Channel ch) {
                            ch.pipeline().addLast(new io.github.edgestream.ipc.codec.FrameDecoder(false, 1 << 20,
                                    Duration.ZERO), new io.netty.channel.ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(ctx.alloc().buffer(response.length).writeBytes(response));
                                }
                            });
                        }
                    }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            int port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
            byte[] request = bytes(RequestEncoder.appendMessage(ALLOC, "r", "a", payload));
            long count = 0;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
                long started = System.nanoTime();
                long end = started + phase.toNanos();
                long now = started;
                while (now < end) {
                    out.write(request);
                    skipFrame(in);
                    count++;
                    now = System.nanoTime();
                }
                listener.close();
                return count / ((now - started) / 1e9);
            }
        } finally {
            group.shutdownGracefully();
        }
    }

    private static void phaseA(int port, byte[] payload, Duration phase) throws Exception {
        echoCeiling(payload, phase.dividedBy(2)); // warm-up, not measured
        sequentialAppends(port, payload, phase.dividedBy(2));
        double ceiling = echoCeiling(payload, phase);
        Latencies a = sequentialAppends(port, payload, phase);
        System.out.printf(Locale.ROOT, "(a) 1 connection, 1 at a time: %,.0f appends/s, p50 %.1f us, p99 %.1f us,"
                        + " p99.9 %.1f us; ceiling raw loopback request/response %,.0f/s; ratio %.0f%%%n",
                a.rate, a.p50, a.p99, a.p999, ceiling, 100 * a.rate / ceiling);
    }

    private static void phaseB(int port, Path directory, byte[] payload, Duration phase) throws Exception {
        double ceiling = rawChronicle(directory.resolve("raw-chronicle"), payload, phase);
        double one = pipelinedAppends(port, List.of("b", "b", "b", "b"), payload, 128, phase);
        double separate = pipelinedAppends(port, List.of("b0", "b1", "b2", "b3"), payload, 128, phase);
        System.out.printf(Locale.ROOT, "(b) 4 connections x 128 in flight: one stream %,.0f appends/s (%.0f%% of raw),"
                        + " a stream per connection %,.0f appends/s (%.0f%%); ceiling raw Chronicle append %,.0f/s%n",
                one, 100 * one / ceiling, separate, 100 * separate / ceiling, ceiling);
    }

    private static void phaseC(int port, Path directory, byte[] payload, Duration phase) throws Exception {
        double ceiling = rawFsync(directory.resolve("fsync.log"), payload, phase);
        double one = concurrentWriters(port, "c", payload, 1, phase);
        double eight = concurrentWriters(port, "c", payload, 8, phase);
        double sixtyFour = concurrentWriters(port, "c", payload, 64, phase);
        System.out.printf(Locale.ROOT, "(c) flushOnWrite: 1 writer %,.0f/s, 8 writers %,.0f/s, 64 writers %,.0f/s"
                        + " (%.1fx one writer); ceiling raw write+fdatasync %,.0f/s%n",
                one, eight, sixtyFour, sixtyFour / one, ceiling);
    }

    /**
     * Writes back the dirty pages earlier phases left (gigabytes after (b)), so that a phase's syncs do not queue
     * behind them and each phase starts from the same state.
     */
    private static void settleDisk() throws Exception {
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IllegalStateException("sync failed");
        }
    }

    /**
     * {@code connections} raw sockets, each with its own writer and reader thread, keeping {@code window} appends in
     * flight per connection: a writer sends the next request as soon as a response frees a slot. The generator does
     * nothing per request but write prepared bytes and read a response frame, so its own CPU use stays small.
     */
    static double pipelinedAppends(int port, List<String> streams, byte[] payload, int window, Duration phase)
            throws Exception {
        int connections = streams.size();
        AtomicLong done = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            byte[] request = bytes(RequestEncoder.appendMessage(ALLOC, "p", streams.get(c), payload));
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            sockets.add(socket);
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(),
                    64 * 1024));
            out.write(bytes(RequestEncoder.connect(ALLOC, "load", null)));
            out.flush();
            in.readUnsignedByte();
            skipFrame(in);
            Semaphore slots = new Semaphore(window);
            Thread writer = new Thread(() -> {
                try {
                    while (running.get()) {
                        if (!slots.tryAcquire()) {
                            out.flush();
                            slots.acquire();
                        }
                        out.write(request);
                    }
                    out.flush();
                } catch (IOException | InterruptedException stopped) {
                    // the phase ended
                }
            });
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        skipFrame(in);
                        done.incrementAndGet();
                        slots.release();
                    }
                } catch (IOException closed) {
                    // the phase ended
                }
            });
            threads.add(writer);
            threads.add(reader);
        }
        threads.forEach(Thread::start);
        Thread.sleep(phase.toMillis() / 5); // warm-up
        long startCount = done.get();
        long started = System.nanoTime();
        Thread.sleep(phase.toMillis());
        long count = done.get() - startCount;
        double seconds = (System.nanoTime() - started) / 1e9;
        running.set(false);
        Thread.sleep(200);
        for (Socket socket : sockets) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        return count / seconds;
    }

    /** {@code writers} concurrent writers, each waiting for its acknowledgement: a window of one per writer. */
    static double concurrentWriters(int port, String stream, byte[] payload, int writers, Duration phase)
            throws Exception {
        int connections = Math.min(writers, 4);
        return pipelinedAppends(port, java.util.Collections.nCopies(connections, stream), payload,
                writers / connections, phase);
    }

    static double bulkReads(int port, String stream, long messages, Duration phase) throws Exception {
        try (StreamManagerClient client = StreamManagerClient.onPort(port)) {
            long read = 0;
            long next = 0;
            long started = System.nanoTime();
            long end = started + phase.toNanos();
            while (System.nanoTime() < end) {
                if (next + 1000 > messages) {
                    next = 0;
                }
                CompletableFuture<List<Message>> batch = client.readMessages(stream, next, 1000, 1000, Duration.ZERO);
                List<Message> got = batch.get();
                read += got.size();
                next += got.size();
            }
            return read / ((System.nanoTime() - started) / 1e9);
        }
    }

    static double rawChronicle(Path directory, byte[] payload, Duration phase) {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory).build();
                ExcerptAppender appender = queue.createAppender()) {
            long count = 0;
            long started = System.nanoTime();
            long end = started + phase.toNanos();
            long now = started;
            while (now < end) {
                for (int i = 0; i < 1000; i++) {
                    try (DocumentContext dc = appender.writingDocument()) {
                        dc.wire().bytes().write(payload);
                    }
                }
                count += 1000;
                now = System.nanoTime();
            }
            return count / ((now - started) / 1e9);
        }
    }

    static double rawFsync(Path file, byte[] payload, Duration phase) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            long count = 0;
            long started = System.nanoTime();
            long end = started + phase.toNanos();
            long now = started;
            while (now < end) {
                channel.write(buffer.clear());
                channel.force(false);
                count++;
                now = System.nanoTime();
            }
            return count / ((now - started) / 1e9);
        }
    }

    private static void skipFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        in.skipNBytes(length);
    }

    private static byte[] bytes(ByteBuf buffer) {
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }
}
