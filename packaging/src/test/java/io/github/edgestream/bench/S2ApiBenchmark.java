package io.github.edgestream.bench;

import static io.github.edgestream.bench.Bench.deleteTree;
import static io.github.edgestream.bench.Bench.percentile;
import static io.github.edgestream.bench.Bench.seconds;

import io.github.edgestream.bench.Bench.Trace;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.daemon.Daemon;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon's S2 API (issue 13) against the daemon's own Greengrass protocol, in one JVM: in-process
 * {@link Daemon}s (File streams; the S2 API on the HTTP port with the daemon's token as Bearer token) and the
 * clients. Every record is 1 KiB of random bytes. Two daemons run one after the other: first one with
 * {@code api.s2.flushOnWrite: false} (S2 streams not durable) for the non-durable phases, then one with S2's defaults
 * ({@code flushOnWrite} on: an ack means on disk) for the durable phases; on each, the Greengrass streams have the
 * same durability as its S2 streams, so each ratio compares like with like.
 *
 * <ol>
 *   <li>(a) An S2S append session (HTTP/2 cleartext with prior knowledge, one stream; a small Netty client here):
 *       AppendInput frames of 100 records, up to K frames unacknowledged (default 16), for N seconds; the session is
 *       then closed and every ack awaited (one AppendAck per AppendInput; the last one's end must be the record
 *       count).</li>
 *   <li>(b) The Greengrass protocol with the same payloads, as in {@code KinesisApiBenchmark} (both through
 *       {@link GreengrassLoad}): one {@link StreamManagerClient} with 64 appendMessage requests in flight, for N
 *       seconds.</li>
 *   <li>(c) An S2S read session ({@code GET /v1/streams/{s}/records?seq_num=0&count=<written>}) of everything (a)
 *       wrote; the server ends the session at the count, the client counts the records of each ReadBatch.</li>
 *   <li>(d) readMessages of up to 10,000 of everything (b) wrote, one request at a time.</li>
 *   <li>(e) Durable single-record append latency, one at a time, 2,000 after 1,000 of warm-up: the unary
 *       {@code POST /v1/streams/{s}/records} JSON {@code {"records":[{"body":"<1 KiB of text>"}]}} on one kept-alive
 *       HTTP/1.1 socket ({@link BenchHttp}: the JDK's clients cost more than the server, see KinesisApiBenchmark); for
 *       reference an S2S append session with one AppendInput of one record in flight at a time, and appendMessage
 *       on a flushOnWrite Greengrass stream; the same on the not-durable daemon, to tell the sync from the rest.</li>
 *   <li>For reference: appendBatch (the Greengrass protocol's batch extension) of 100 records with K batches in
 *       flight, as the S2 session sends its AppendInputs.</li>
 * </ol>
 * Each side is warmed up first on each daemon (a quarter of a phase, at least 2 s, appended and read back; two
 * rounds on the first daemon, whose JVM is cold, one on the second), and {@code sync} runs before each measured
 * phase so that none pays for the previous one's writeback. A write phase stops early at {@code maxRecords}
 * (default 800,000, about 800 MiB) so that it fits in its stream: every stream, S2's and Greengrass's, is a File
 * stream of 1 GiB {@code maxSize} with RejectNewData (S2's default 256 MiB would cut the faster phases to about
 * 2 s); every phase has its own stream, all deleted at the end. The S2S client advertises a 4 MiB HTTP/2 receive
 * window (stream and connection), as S2's own SDKs open theirs wide; it sends what the server's window allows.
 *
 * <pre>
 * mvn -o -q -Pbench -pl packaging test-compile exec:exec -Dbench.main=io.github.edgestream.bench.S2ApiBenchmark \
 *     -Dbench.args="8"
 * </pre>
 * Arguments: seconds per phase (default 8), AppendInput frames in flight K (default 16), maxRecords per write phase
 * (default 800000), latency requests (default 2000). Diagnosis: {@code -Dbench.jvm="-Dbench.trace=true"} prints each
 * write phase's records per second with the JVM's minor faults, GCs and CPU time over the phase;
 * {@code -Dbench.sync=false} skips the {@code sync} before the phases. Not thread-safe; a main program.
 */
public final class S2ApiBenchmark {

    private static final int PAYLOAD = 1024;
    private static final int BATCH = 100;
    private static final int POOL = 4096;
    private static final int WINDOW = 4 << 20;
    private static final String BASIN = "bench-basin-1";
    /** Every stream's maxSize (S2's through {@code api.s2.maxSize}): room for a whole phase of the fastest side. */
    private static final long STREAM_SIZE = 1L << 30;
    /** {@code -Dbench.trace=true}: each write phase prints its records per second (a {@link Trace}). */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");

    private final double seconds;
    private final int inFlight;
    private final long maxRecords;
    private final int latencyRequests;
    private final byte[][] payloads = Bench.payloads(POOL, PAYLOAD);
    private final String[] texts = new String[POOL];
    private int next;

    private S2ApiBenchmark(double seconds, int inFlight, long maxRecords, int latencyRequests) {
        this.seconds = seconds;
        this.inFlight = inFlight;
        this.maxRecords = maxRecords;
        this.latencyRequests = latencyRequests;
        for (int i = 0; i < POOL; i++) {
            // 768 random bytes in base64: 1,024 characters that need no JSON escaping
            texts[i] = Base64.getEncoder().encodeToString(Arrays.copyOf(payloads[i], 768));
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 8;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        long maxRecords = args.length > 2 ? Long.parseLong(args[2]) : 800_000;
        int latencyRequests = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        new S2ApiBenchmark(seconds, inFlight, maxRecords, latencyRequests).run();
    }

    private record Latency(double p50Micros, double p99Micros, double maxMicros) {
        @Override
        public String toString() {
            return String.format("p50 %,.0f us, p99 %,.0f us, max %,.0f us", p50Micros, p99Micros, maxMicros);
        }
    }

    /** The figures of one durability: (a) to (d), the appendBatch reference, (e). */
    private record Figures(Throughput s2Append, Throughput ggAppend, Throughput s2Read, Throughput ggRead,
            Throughput ggBatch, Latency unary, Latency session, Latency greengrass) {
    }

    /** A daemon on free ports, its File streams under {@code root}, observability off; S2's flushOnWrite as given. */
    private static Daemon startDaemon(Path root, String token, boolean s2Durable) throws Exception {
        return Bench.startDaemon(root, token, """
                api:
                  s2:
                    flushOnWrite: %s
                    maxSize: %d
                """.formatted(s2Durable, STREAM_SIZE));
    }

    private void run() throws Exception {
        Path root = Files.createTempDirectory("s2-api-bench");
        String token = "bench-token-" + UUID.randomUUID();
        try {
            System.out.printf("edgestream %s; phase %.1f s, S2 append session: %d records a frame, %d frames in"
                            + " flight; Greengrass: %d appendMessage in flight; at most %,d records per write phase;"
                            + " %d latency requests; %d-byte records%n", Daemon.version(), seconds, BATCH, inFlight,
                    GreengrassLoad.IN_FLIGHT, maxRecords, latencyRequests, PAYLOAD);
            Figures fast;
            try (Daemon daemon = startDaemon(root.resolve("not-durable"), token, false)) {
                fast = phases(daemon, token, false, "not durable", 2);
            }
            Figures durable;
            try (Daemon daemon = startDaemon(root.resolve("durable"), token, true)) {
                durable = phases(daemon, token, true, "durable", 1);
            }
            table(fast, durable);
        } finally {
            deleteTree(root);
        }
    }

    /**
     * Warm-up ({@code warmRounds} rounds of each side's append and read-back), then (a) to (d) on one daemon, its S2
     * and Greengrass streams durable or not; {@code sync} before each measured phase.
     */
    private Figures phases(Daemon daemon, String token, boolean durable, String label, int warmRounds)
            throws Exception {
        int port = daemon.httpPort().orElseThrow();
        String suffix = durable ? "-durable" : "-fast";
        try (S2Connection s2 = new S2Connection(port, token);
                StreamManagerClient gg = Bench.greengrassClient(daemon, token)) {
            // File, RejectNewData as S2's streams here, the same maxSize and the same durability
            var greengrass = new GreengrassLoad(gg, this::payload, maxRecords, DataSize.ofBytes(STREAM_SIZE), durable,
                    TRACE);
            createBasin(port, token);
            double warm = Math.max(2, seconds / 4);
            for (int round = 1; round <= warmRounds; round++) {
                String s2Stream = "warm" + round + suffix;
                createS2Stream(port, token, s2Stream);
                Throughput warmS2 = s2Append(s2, s2Stream, warm);
                Throughput warmS2Read = s2Read(s2, s2Stream, warmS2.records());
                String ggStream = "warm-gg" + round + suffix;
                greengrass.createStream(ggStream);
                Throughput warmGg = greengrass.appendInFlight(ggStream, warm);
                Throughput warmGgRead = greengrass.readMessages(ggStream, 0, warmGg.records());
                System.out.printf("warm-up %d, %s: S2 append session %s; read session %s%n", round, label, warmS2,
                        warmS2Read);
                System.out.printf("warm-up %d, %s: appendMessage x%d %s; readMessages %s%n", round, label,
                        GreengrassLoad.IN_FLIGHT, warmGg, warmGgRead);
            }

            createS2Stream(port, token, "append" + suffix);
            Bench.settleDisk();
            Throughput s2Append = s2Append(s2, "append" + suffix, seconds);
            System.out.printf("(a) S2 append session, %-11s %d x %d in flight  %s%n", label, inFlight, BATCH,
                    s2Append);
            greengrass.createStream("gg-append" + suffix);
            Bench.settleDisk();
            Throughput ggAppend = greengrass.appendInFlight("gg-append" + suffix, seconds);
            System.out.printf("(b) Greengrass appendMessage, %-11s x%d in flight  %s%n", label,
                    GreengrassLoad.IN_FLIGHT, ggAppend);
            Bench.settleDisk();
            Throughput s2Read = s2Read(s2, "append" + suffix, s2Append.records());
            System.out.printf("(c) S2 read session of (a), %-11s               %s%n", label, s2Read);
            Bench.settleDisk();
            Throughput ggRead = greengrass.readMessages("gg-append" + suffix, 0, ggAppend.records());
            System.out.printf("(d) Greengrass readMessages of (b), %-11s max %d %s%n", label, GreengrassLoad.READ_LIMIT,
                    ggRead);

            // for reference: the Greengrass protocol's batch extension, batches as the S2 session sends them
            greengrass.createStream("gg-batch" + suffix);
            Bench.settleDisk();
            Throughput ggBatch = greengrass.appendBatchesInFlight("gg-batch" + suffix, seconds, BATCH, inFlight);
            System.out.printf("(b') Greengrass appendBatch, %-11s %d x %d in flight  %s%n", label, inFlight, BATCH,
                    ggBatch);

            // (e)
            createS2Stream(port, token, "latency-unary" + suffix);
            createS2Stream(port, token, "latency-session" + suffix);
            greengrass.createStream("latency-gg" + suffix);
            Bench.settleDisk();
            Latency unary;
            try (BenchHttp http = new BenchHttp(URI.create("http://127.0.0.1:" + port))) {
                unaryLatency(http, port, token, "latency-unary" + suffix, latencyRequests / 2);
                unary = unaryLatency(http, port, token, "latency-unary" + suffix, latencyRequests);
            }
            System.out.printf("(e) unary POST records, JSON, %-11s       %s%n", label, unary);
            sessionLatency(s2, "latency-session" + suffix, latencyRequests / 2, 0);
            Latency session = sessionLatency(s2, "latency-session" + suffix, latencyRequests, latencyRequests / 2);
            System.out.printf("(e) S2S session, 1 record at a time, %-11s %s%n", label, session);
            greengrass.appendNanos("latency-gg" + suffix, latencyRequests / 2);
            Latency ggLatency = latency(greengrass.appendNanos("latency-gg" + suffix, latencyRequests));
            System.out.printf("(e) Greengrass appendMessage, %-11s       %s%n", label, ggLatency);
            return new Figures(s2Append, ggAppend, s2Read, ggRead, ggBatch, unary, session, ggLatency);
        }
    }

    // ---- S2 over HTTP/1.1 JSON: basin and streams ----

    private static final HttpClient JSON_HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static void createBasin(int port, String token) throws Exception {
        post(port, token, "/v1/basins", "{\"basin\":\"" + BASIN + "\"}", false);
    }

    private static void createS2Stream(int port, String token, String stream) throws Exception {
        post(port, token, "/v1/streams", "{\"stream\":\"" + stream + "\"}", true);
    }

    private static void post(int port, String token, String path, String json, boolean basinHeader)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + token)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (basinHeader) {
            request.header("s2-basin", BASIN);
        }
        HttpResponse<String> response = JSON_HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " " + json + " answered " + response.statusCode() + " "
                    + response.body());
        }
    }

    // ---- S2S over h2c ----

    /** A callback per S2S frame (the body is valid only during the call); runs on the connection's event loop. */
    private interface FrameListener {
        void frame(int flags, ByteBuf body);
    }

    /**
     * One h2c connection with prior knowledge; a session is one HTTP/2 stream. Advertises a {@link #WINDOW} receive
     * window for each stream and for the connection.
     */
    private static final class S2Connection implements AutoCloseable {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final Channel channel;
        private final int port;
        private final String token;

        S2Connection(int port, String token) {
            this.port = port;
            this.token = token;
            try {
                channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                                .initialSettings(Http2Settings.defaultSettings()
                                                        .initialWindowSize(WINDOW)).build(),
                                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                            }
                        }).connect("127.0.0.1", port).syncUninterruptibly().channel();
                // the connection's window starts at 65,535 whatever the settings say: open it as wide
                channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(WINDOW - 65_535)).syncUninterruptibly();
            } catch (RuntimeException e) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
        }

        /**
         * Opens a session: the request's headers (ending the request if {@code endRequest}), S2S frames to
         * {@code listener}; the future completes when the server ends the stream (exceptionally on a status other
         * than 200, with its body, or if the stream breaks).
         */
        Session open(String method, String path, boolean endRequest, FrameListener listener) {
            var done = new CompletableFuture<Void>();
            var handler = new SessionHandler(listener, done);
            Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel).handler(handler).open()
                    .syncUninterruptibly().getNow();
            Http2Headers headers = new DefaultHttp2Headers().method(method).path(path).scheme("http")
                    .authority("127.0.0.1:" + port);
            headers.add("content-type", "s2s/proto");
            headers.add("authorization", "Bearer " + token);
            headers.add("s2-basin", BASIN);
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endRequest)).syncUninterruptibly();
            return new Session(stream, done);
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private record Session(Http2StreamChannel stream, CompletableFuture<Void> done) {
        /** Sends one S2S frame (taken over). */
        void send(ByteBuf frame) {
            stream.writeAndFlush(new DefaultHttp2DataFrame(frame, false));
        }

        /** Ends the request side; the server ends its side once every ack is out. */
        void end() {
            stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
        }
    }

    /** Cuts a session's response body into S2S frames, whatever the DATA frames' boundaries. */
    private static final class SessionHandler extends ChannelInboundHandlerAdapter {
        private final FrameListener listener;
        private final CompletableFuture<Void> done;
        private CompositeByteBuf cumulation;
        private int status;

        SessionHandler(FrameListener listener, CompletableFuture<Void> done) {
            this.listener = listener;
            this.done = done;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            cumulation = ctx.alloc().compositeBuffer(1024);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers) {
                    CharSequence code = headers.headers().status();
                    if (code != null) {
                        status = Integer.parseInt(code.toString());
                    }
                    if (headers.isEndStream()) {
                        finish(ctx);
                    }
                } else if (msg instanceof Http2DataFrame data) {
                    cumulation.addComponent(true, data.content().retain());
                    if (status == 200) {
                        frames();
                    }
                    if (data.isEndStream()) {
                        finish(ctx);
                    }
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                ctx.close();
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void frames() {
            while (cumulation.readableBytes() >= 3) {
                int start = cumulation.readerIndex();
                int length = cumulation.getUnsignedMedium(start);
                if (cumulation.readableBytes() < 3 + length) {
                    break;
                }
                int flags = cumulation.getUnsignedByte(start + 3);
                listener.frame(flags, cumulation.slice(start + 4, length - 1));
                cumulation.readerIndex(start + 3 + length);
            }
            cumulation.discardReadComponents();
        }

        private void finish(ChannelHandlerContext ctx) {
            if (status != 200) {
                done.completeExceptionally(new IllegalStateException("status " + status + ": "
                        + cumulation.toString(StandardCharsets.UTF_8)));
            } else if (cumulation.isReadable()) {
                done.completeExceptionally(new IllegalStateException(cumulation.readableBytes()
                        + " bytes of an unfinished S2S frame at the end"));
            } else {
                done.complete(null);
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("the stream closed before its end"));
            cumulation.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** A terminal S2S frame's text: 2-byte status and JSON. */
    private static String terminal(ByteBuf body) {
        return body.getUnsignedShort(body.readerIndex()) + " " + body.toString(body.readerIndex() + 2,
                body.readableBytes() - 2, StandardCharsets.UTF_8);
    }

    private static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private static void writeVarint(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    /** Reads a varint at the reader index, moving it. */
    private static long readVarint(ByteBuf in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("varint too long");
    }

    /** Skips a field's value of {@code wireType}. */
    private static void skip(ByteBuf in, int wireType) {
        switch (wireType) {
            case 0 -> readVarint(in);
            case 1 -> in.skipBytes(8);
            case 2 -> in.skipBytes((int) readVarint(in));
            case 5 -> in.skipBytes(4);
            default -> throw new IllegalStateException("wire type " + wireType);
        }
    }

    private byte[] payload() {
        byte[] payload = payloads[next];
        next = (next + 1) % POOL;
        return payload;
    }

    /** One S2S data frame of an AppendInput {1: records [AppendRecord {3: body}]} of {@code records} payloads. */
    private ByteBuf appendInput(ByteBufAllocator alloc, int records) {
        int recordLength = 1 + varintSize(PAYLOAD) + PAYLOAD;
        int bodyLength = records * (1 + varintSize(recordLength) + recordLength);
        ByteBuf frame = alloc.directBuffer(4 + bodyLength);
        frame.writeMedium(1 + bodyLength).writeByte(0);
        for (int i = 0; i < records; i++) {
            frame.writeByte(1 << 3 | 2);
            writeVarint(frame, recordLength);
            frame.writeByte(3 << 3 | 2);
            writeVarint(frame, PAYLOAD);
            frame.writeBytes(payload());
        }
        return frame;
    }

    /** An AppendAck {1: start, 2: end StreamPosition {1: seq_num}, 3: tail}: end's seq_num. */
    private static long ackEnd(ByteBuf ack) {
        ByteBuf in = ack.duplicate();
        long end = -1;
        while (in.isReadable()) {
            long tag = readVarint(in);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 2 && wireType == 2) {
                int length = (int) readVarint(in);
                ByteBuf position = in.readSlice(length);
                end = 0;
                while (position.isReadable()) {
                    long inner = readVarint(position);
                    if (inner >>> 3 == 1 && (inner & 7) == 0) {
                        end = readVarint(position);
                    } else {
                        skip(position, (int) (inner & 7));
                    }
                }
            } else {
                skip(in, wireType);
            }
        }
        return end;
    }

    /** A ReadBatch {1: repeated SequencedRecord, 2: tail}: how many records. */
    private static int batchRecords(ByteBuf batch) {
        ByteBuf in = batch.duplicate();
        int records = 0;
        while (in.isReadable()) {
            long tag = readVarint(in);
            if (tag == (1 << 3 | 2)) {
                records++;
            }
            skip(in, (int) (tag & 7));
        }
        return records;
    }

    /** The acks of one append session: K permits, one back per ack. */
    private static final class Acks implements FrameListener {
        final Semaphore permits;
        final AtomicLong acks = new AtomicLong();
        volatile long lastEnd = -1;
        final AtomicReference<String> error = new AtomicReference<>();

        Acks(int permits) {
            this.permits = new Semaphore(permits);
        }

        @Override
        public void frame(int flags, ByteBuf body) {
            if ((flags & 0x80) != 0) {
                error.compareAndSet(null, terminal(body));
                permits.release(1 << 20); // unblock the writer
                return;
            }
            lastEnd = ackEnd(body);
            acks.incrementAndGet();
            permits.release();
        }

        void check(String stream) {
            if (error.get() != null) {
                throw new IllegalStateException(stream + ": the append session ended with " + error.get());
            }
        }
    }

    /** (a): AppendInputs of 100 records, up to K unacknowledged, until the time is up; then every ack awaited. */
    private Throughput s2Append(S2Connection s2, String stream, double phaseSeconds) throws Exception {
        var acks = new Acks(inFlight);
        Session session = s2.open("POST", "/v1/streams/" + stream + "/records", false, acks);
        ByteBufAllocator alloc = session.stream().alloc();
        long start = System.nanoTime();
        long deadline = start + (long) (phaseSeconds * 1e9);
        long sent = 0;
        long frames = 0;
        var trace = new Trace(stream, TRACE);
        while (System.nanoTime() < deadline && sent + BATCH <= maxRecords && acks.error.get() == null) {
            if (!acks.permits.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(stream + ": no ack for 60 s");
            }
            session.send(appendInput(alloc, BATCH));
            sent += BATCH;
            frames++;
            trace.at(sent);
        }
        trace.done();
        session.end();
        session.done().get(60, TimeUnit.SECONDS);
        double elapsed = seconds(start);
        acks.check(stream);
        if (acks.acks.get() != frames || acks.lastEnd != sent) {
            throw new IllegalStateException(stream + ": " + frames + " frames of " + sent + " records sent, "
                    + acks.acks.get() + " acks, the last ending at " + acks.lastEnd);
        }
        return new Throughput(sent, elapsed, 0);
    }

    /** (c): one S2S read session of {@code count} records from 0; the server ends it at the count. */
    private static Throughput s2Read(S2Connection s2, String stream, long count) throws Exception {
        var records = new AtomicLong();
        var error = new AtomicReference<String>();
        long start = System.nanoTime();
        Session session = s2.open("GET", "/v1/streams/" + stream + "/records?seq_num=0&count=" + count, true,
                (flags, body) -> {
                    if ((flags & 0x80) != 0) {
                        error.compareAndSet(null, terminal(body));
                    } else {
                        records.addAndGet(batchRecords(body));
                    }
                });
        session.done().get(120, TimeUnit.SECONDS);
        double elapsed = seconds(start);
        if (error.get() != null || records.get() != count) {
            throw new IllegalStateException(stream + ": read session gave " + records.get() + " of " + count
                    + " records" + (error.get() == null ? "" : ", then " + error.get()));
        }
        return new Throughput(records.get(), elapsed, 0);
    }

    /** (e), reference: an append session with one AppendInput of one record in flight at a time. */
    private Latency sessionLatency(S2Connection s2, String stream, int requests, long before) throws Exception {
        var acks = new Acks(1);
        Session session = s2.open("POST", "/v1/streams/" + stream + "/records", false, acks);
        ByteBufAllocator alloc = session.stream().alloc();
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            acks.permits.acquire();
            long start = System.nanoTime();
            session.send(appendInput(alloc, 1));
            if (!acks.permits.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(stream + ": no ack for 10 s");
            }
            nanos[i] = System.nanoTime() - start;
            acks.permits.release();
            acks.check(stream);
        }
        session.end();
        session.done().get(30, TimeUnit.SECONDS);
        if (acks.lastEnd != before + requests) {
            throw new IllegalStateException(stream + ": last ack ends at " + acks.lastEnd + ", expected "
                    + (before + requests));
        }
        return latency(nanos);
    }

    // ---- S2 unary append over one raw HTTP/1.1 socket ----

    /** (e): unary JSON appends of one record of 1,024 characters, one at a time. */
    private Latency unaryLatency(BenchHttp http, int port, String token, String stream, int requests)
            throws IOException {
        String head = "POST /v1/streams/" + stream + "/records HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAuthorization: Bearer " + token + "\r\ns2-basin: " + BASIN
                + "\r\nContent-Type: application/json\r\nContent-Length: ";
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            String text = texts[next];
            next = (next + 1) % POOL;
            byte[] body = ("{\"records\":[{\"body\":\"" + text + "\"}]}").getBytes(StandardCharsets.US_ASCII);
            byte[] headBytes = (head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            long start = System.nanoTime();
            http.exchange(request);
            nanos[i] = System.nanoTime() - start;
            if (http.status() != 200) {
                throw new IllegalStateException(stream + ": unary append answered " + http.status() + " "
                        + http.bodyText());
            }
        }
        return latency(nanos);
    }

    private static Latency latency(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latency(percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3,
                sorted[sorted.length - 1] / 1e3);
    }

    private void table(Figures fast, Figures durable) {
        System.out.println();
        System.out.println("| measure | S2 API, rec/s | MiB/s | Greengrass protocol, rec/s | MiB/s | S2 / Greengrass"
                + " | target |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        row(String.format("(a)/(b) append, not durable: S2S session %d x %d in flight vs appendMessage x%d",
                inFlight, BATCH, GreengrassLoad.IN_FLIGHT), fast.s2Append(), fast.ggAppend(), ">= 50%");
        row(String.format("(a)/(b) append, durable (flushOnWrite): S2S session %d x %d vs appendMessage x%d",
                inFlight, BATCH, GreengrassLoad.IN_FLIGHT), durable.s2Append(), durable.ggAppend(), ">= 50%");
        row("(c)/(d) read, of the not-durable appends: S2S read session vs readMessages max 10000", fast.s2Read(),
                fast.ggRead(), ">= 50%");
        row("(c)/(d) read, of the durable appends: S2S read session vs readMessages max 10000", durable.s2Read(),
                durable.ggRead(), "");
        row(String.format("for reference, not durable: S2S session vs appendBatch (extension) %d x %d in flight",
                inFlight, BATCH), fast.s2Append(), fast.ggBatch(), "");
        row(String.format("for reference, durable: S2S session vs appendBatch (extension) %d x %d in flight",
                inFlight, BATCH), durable.s2Append(), durable.ggBatch(), "");
        System.out.println();
        System.out.println("| (e) append of one 1 KiB record, one at a time | p50, us | p99, us | max, us |");
        System.out.println("|---|---:|---:|---:|");
        latencyRow("durable: unary POST /v1/streams/{s}/records, JSON, one HTTP/1.1 keep-alive connection",
                durable.unary());
        latencyRow("durable, for reference: S2S append session, 1 AppendInput of 1 record in flight",
                durable.session());
        latencyRow("durable, for reference: Greengrass appendMessage, flushOnWrite stream", durable.greengrass());
        latencyRow("not durable: unary POST, JSON", fast.unary());
        latencyRow("not durable: S2S append session, 1 in flight", fast.session());
        latencyRow("not durable: Greengrass appendMessage", fast.greengrass());
    }

    private static void row(String measure, Throughput s2, Throughput gg, String target) {
        System.out.printf("| %s | %,.0f | %.1f | %,.0f | %.1f | %.0f%% | %s |%n", measure, s2.perSecond(),
                s2.mibPerSecond(), gg.perSecond(), gg.mibPerSecond(), 100 * s2.perSecond() / gg.perSecond(), target);
    }

    private static void latencyRow(String measure, Latency latency) {
        System.out.printf("| %s | %,.0f | %,.0f | %,.0f |%n", measure, latency.p50Micros(), latency.p99Micros(),
                latency.maxMicros());
    }
}
