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
        for (long i = 0; ; i++) {
            long sequence = stream.append(payload(i));
            out.println("acked " + sequence);
            if ((i + 1) % 1000 == 0) {
                clock.advance(settings.retentionInterval());
                out.println("checkpoint " + (sequence + 1));
            }
        }
    }
}
