package io.github.edgestream.core.stream.internal.chronicle;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child process for crash tests: opens a store, then appends to stream "crash" as fast as it can, printing
 * {@code acked N} after each append returns, until its parent kills it with SIGKILL. What it printed is what was
 * acknowledged; after the kill every one of those messages must still be there. Every 1000 messages it moves its
 * manual clock past the retention interval, which checkpoints the stream, and prints {@code checkpoint NEXT}.
 */
public final class CrashingWriter {

    static final String STREAM = "crash";
    static final String BYSTANDER = "bystander";

    private CrashingWriter() {
    }

    /** The payload of message {@code sequence}: its number in text, then filler, so each one can be checked. */
    static byte[] payload(long sequence) {
        String text = String.format("msg-%06d-", sequence) + "x".repeat((int) (sequence % 97));
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The payload of record {@code sequence} in batch mode: its number, then filler up to 80 KiB (cheap to build). */
    static byte[] batchPayload(long sequence) {
        byte[] payload = new byte[80 << 10];
        java.nio.ByteBuffer.wrap(payload).putLong(sequence);
        payload[payload.length - 1] = (byte) sequence;
        return payload;
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        boolean flush = Boolean.parseBoolean(args[1]);
        DataSize segmentSize = DataSize.ofBytes(Long.parseLong(args[2]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        ManualClock clock = ManualClock.startingAt2026();
        StoreSettings settings = StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO);
        StreamStore store = StreamStore.open(settings,
                new StoreServices(clock, clock, Runnable::run, StoreListener.NONE));
        MessageStream bystander = store.create(StreamDefinition.builder(BYSTANDER, StrategyOnFull.REJECT_NEW_DATA)
                .build());
        for (int i = 0; i < 10; i++) {
            bystander.append(payload(i));
        }
        MessageStream stream = store.create(StreamDefinition.builder(STREAM, StrategyOnFull.REJECT_NEW_DATA)
                .segmentSize(segmentSize).flushOnWrite(flush).build());
        out.println("ready");
        if (args.length > 3) {
            appendBatches(stream, Integer.parseInt(args[3]), out);
        }
        for (long i = 0; ; i++) {
            long sequence = stream.append(payload(i));
            out.println("acked " + sequence);
            if ((i + 1) % 1000 == 0) {
                clock.advance(settings.retentionInterval());
                out.println("checkpoint " + (sequence + 1));
            }
        }
    }

    /**
     * Batch mode: appends batches of {@code size} records ({@link #batchPayload}) until killed, printing
     * {@code writing FIRST} just before each batch is written and {@code acked LAST} once it is acknowledged. A
     * parent that kills on a {@code writing} line lands while that batch is written (milliseconds for 8 MB) far more
     * often than after it.
     */
    private static void appendBatches(MessageStream stream, int size, PrintStream out) {
        for (long next = 0; ; next += size) {
            java.util.List<io.github.edgestream.core.stream.AppendRecord> records = new java.util.ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                records.add(io.github.edgestream.core.stream.AppendRecord.of(batchPayload(next + i)));
            }
            out.println("writing " + next);
            var result = stream.appendBatch(io.github.edgestream.core.stream.AppendBatch.of(records));
            out.println("acked " + (result.nextSequence() - 1));
        }
    }
}
