package io.github.edgestream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.fuzz.FrameMutator;
import io.github.edgestream.ipc.wire.RequestEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Protocol fuzzing of the daemon as a process, with the launcher's default JVM settings: mutated valid frames, bad
 * lengths, invalid CBOR, wrong types, 1-4 MiB strings, deep nesting ({@link FrameMutator}), partial handshakes and
 * connections dropped mid-frame, from several connections at once, while a well-behaved client appends and reads and
 * must see no error at all. The daemon's RSS is read after a warm-up and at the end: hostile input must not grow it
 * for good (bound: 64 MiB). Test command: 20,000 frames; {@code -Dfault.scale=large}: 1,000,000.
 */
class ProtocolFuzzFaultIT extends DaemonFaultTest {

    private static final long MAX_RSS_GROWTH = 64L << 20;
    private static final int THREADS = 4;
    private static final int BURST = 8;




    @Test
    void hostileFramesNeitherDisturbOthersNorGrowTheDaemon() throws Exception {
        int frames = FaultBudget.get("fault.fuzz.frames", 20_000, 1_000_000);
        long seed = FaultBudget.seed();
        Path config = config(root.resolve("data"), "", "frameTimeout: 2s", "");
        start(config);
        try (StreamManagerClient client = new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port()))) {
            for (String name : List.of("steady", "fuzzed")) {
                client.createMessageStream(StreamDefinition.builder(name, StrategyOnFull.OVERWRITE_OLDEST_DATA)
                        .maxSize(DataSize.ofMebibytes(64)).build()).get(30, TimeUnit.SECONDS);
            }
            WellBehaved steady = new WellBehaved(client);
            steady.start();

            long rssStart = daemon.rssBytes();
            long anonStart = daemon.rssAnonBytes();
            AtomicLong sent = new AtomicLong();
            AtomicLong answered = new AtomicLong();
            long warmUp = frames / 10;
            fuzz(warmUp, seed, sent, answered);
            long rssBefore = daemon.rssBytes();
            fuzz(frames - warmUp, seed + 1, sent, answered);
            long rssAfter = daemon.rssBytes();
            long anonAfter = daemon.rssAnonBytes();

            steady.stopAndAwait();
            assertThat(steady.errors).as("errors the well-behaved client saw: %s", steady.firstError).isEmpty();
            assertThat(steady.rounds).isPositive();
            assertThat(daemon.isAlive()).isTrue();
            assertThat(answered.get()).as("responses to fuzzed frames").isPositive();
            assertThat(rssAfter - rssBefore).as("RSS growth after the warm-up (before %d MiB, after %d MiB)",
                    rssBefore >> 20, rssAfter >> 20).isLessThan(MAX_RSS_GROWTH);

            new FaultReport("protocol fuzzing").put("frames", sent.get()).put("responses", answered.get())
                    .put("well-behaved rounds", steady.rounds).put("well-behaved errors", steady.errors.size())
                    .put("RSS MiB before fuzzing", rssStart >> 20)
                    .put("RSS MiB after warm-up", rssBefore >> 20).put("RSS MiB after", rssAfter >> 20)
                    .put("growth MiB", (rssAfter - rssBefore) / (double) (1 << 20))
                    .put("RssAnon MiB before fuzzing", anonStart >> 20).put("RssAnon MiB after", anonAfter >> 20)
                    .publish();
        }
        daemon.terminate();
        assertThat(daemon.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Sends {@code frames} hostile frames from {@link #THREADS} threads. */
    private void fuzz(long frames, long seed, AtomicLong sent, AtomicLong answered) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(seed * 31 + t);
                long share = frames / THREADS + (t == 0 ? frames % THREADS : 0);
                workers.add(pool.submit(() -> {
                    FrameMutator mutator = new FrameMutator(random, "fuzzed", Integer.getInteger("fault.fuzz.hugeBytes", 4 << 20), 200);
                    for (long done = 0; done < share; ) {
                        done += connection(random, mutator, (int) Math.min(BURST, share - done), answered);
                    }
                    sent.addAndGet(share);
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One connection: a partial handshake, a frame dropped midway, or a burst of inputs; returns inputs sent. */
    private int connection(Random random, FrameMutator mutator, int burst, AtomicLong answered) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", daemon.port())) {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            var out = socket.getOutputStream();
            byte[] connect = bytes(RequestEncoder.connect(UnpooledByteBufAllocator.DEFAULT, "fuzz", null));
            int style = random.nextInt(50);
            if (style == 0) { // a partial handshake, then gone
                out.write(Arrays.copyOf(connect, 1 + random.nextInt(connect.length - 1)));
                return 1;
            }
            out.write(connect);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            if (in.readUnsignedByte() != 1) {
                throw new AssertionError("the handshake was not answered with the preamble byte");
            }
            skipFrame(in);
            if (style == 1) { // a frame dropped midway
                byte[] valid = mutator.valid();
                out.write(Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)));
                return 1;
            }
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < burst; i++) {
                batch.writeBytes(mutator.next().bytes());
            }
            batch.writeBytes(bytes(RequestEncoder.listStreams(UnpooledByteBufAllocator.DEFAULT, "marker")));
            try {
                out.write(batch.toByteArray());
                out.flush();
                // no more from us: the server answers what it can, then closes; nobody waits on a timeout
                socket.shutdownOutput();
            } catch (IOException closedByServer) {
                return burst;
            }
            socket.setSoTimeout(10_000);
            drain(in, answered);
            return burst;
        }
    }

    /** Reads responses until the server closes the connection (or, never expected, is silent for 10 s). */
    private static void drain(DataInputStream in, AtomicLong answered) throws IOException {
        try {
            while (true) {
                skipFrame(in);
                answered.incrementAndGet();
            }
        } catch (java.io.EOFException | java.net.SocketException closed) {
            // what the server had to say is said
        } catch (SocketTimeoutException silence) {
            throw new AssertionError("the server neither answered nor closed a half-closed connection in 10 s");
        }
    }

    private static void skipFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 1 || length > (1 << 20)) {
            throw new AssertionError("the server sent a frame of length " + length);
        }
        in.skipNBytes(length);
    }

    private static byte[] bytes(ByteBuf frame) {
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }

    /** Appends and reads back its own messages in a loop on one connection; every error is kept. */
    private static final class WellBehaved extends Thread {
        private final StreamManagerClient client;
        private volatile boolean running = true;
        final List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile Throwable firstError;
        volatile long rounds;

        WellBehaved(StreamManagerClient client) {
            super("well-behaved");
            this.client = client;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                try {
                    byte[] payload = ("steady " + rounds).getBytes(StandardCharsets.UTF_8);
                    long sequence = client.appendMessage("steady", payload).get(30, TimeUnit.SECONDS);
                    List<Message> read = client.readMessages("steady", sequence, 1, 1, Duration.ZERO)
                            .get(30, TimeUnit.SECONDS);
                    if (!Arrays.equals(read.get(0).payload(), payload)) {
                        throw new AssertionError("read back other bytes at " + sequence);
                    }
                    rounds++;
                } catch (Exception | AssertionError e) {
                    if (firstError == null) {
                        firstError = e;
                    }
                    errors.add(e);
                }
            }
        }

        void stopAndAwait() throws InterruptedException {
            running = false;
            join(60_000);
        }
    }
}
