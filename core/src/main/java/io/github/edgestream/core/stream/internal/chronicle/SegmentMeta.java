package io.github.edgestream.core.stream.internal.chronicle;

import io.github.edgestream.core.stream.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The small text file {@code segment.properties} beside a segment's Chronicle files. It is what lets a store open
 * without reading message data: for a segment that was sealed or closed cleanly it holds everything the stream needs
 * (count, bytes, newest ingest time), plus the data file's length so that a truncated file is noticed.
 *
 * <pre>
 * format=1
 * base=0                      first sequence number of the segment (always present)
 * state=ACTIVE|CLEAN|SEALED   ACTIVE: being written, counts unknown; CLEAN: closed by a clean shutdown;
 *                             SEALED: rolled over (or found damaged), takes no more appends
 * next=1200                   one past the last message (CLEAN, SEALED); for ACTIVE, a checkpoint the
 *                             segment had reached at some point (written now and then), so that a crash
 *                             that also damages the file cannot make the store reuse those numbers
 * readableEnd=1200            first unreadable sequence number, if damage was found (else = next)
 * bytes=1257600               accounted size of the readable messages
 * newestIngestTime=1700000000000
 * dataFileLength=67108864     length of the .cq4 file when recorded; a shorter file was truncated
 * </pre>
 *
 * <p>Written atomically (temporary file and rename). Immutable.
 */
record SegmentMeta(long base, State state, long next, long readableEnd, long bytes, long newestIngestTime,
        long dataFileLength) {

    static final String FILE_NAME = "segment.properties";
    private static final String FORMAT = "1";

    enum State { ACTIVE, CLEAN, SEALED }

    static SegmentMeta active(long base) {
        return active(base, base);
    }

    static SegmentMeta active(long base, long checkpointNext) {
        return new SegmentMeta(base, State.ACTIVE, checkpointNext, base, 0, Long.MIN_VALUE, 0);
    }

    boolean hasCounts() {
        return state != State.ACTIVE;
    }

    void write(Path segmentDirectory) throws IOException {
        write(segmentDirectory, false);
    }

    /** @param durable fsync the file and its directory before returning (one sync each) */
    void write(Path segmentDirectory, boolean durable) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("base", Long.toString(base));
        p.setProperty("state", state.name());
        p.setProperty("next", Long.toString(next));
        if (hasCounts()) {
            p.setProperty("readableEnd", Long.toString(readableEnd));
            p.setProperty("bytes", Long.toString(bytes));
            p.setProperty("newestIngestTime", Long.toString(newestIngestTime));
            p.setProperty("dataFileLength", Long.toString(dataFileLength));
        }
        AtomicFiles.writeProperties(segmentDirectory.resolve(FILE_NAME), p, "edgestream segment metadata", durable);
    }

    /** The metadata of the segment in this directory; empty if the file is missing or unreadable. */
    static Optional<SegmentMeta> read(Path segmentDirectory) {
        Properties p = new Properties();
        try (var in = Files.newInputStream(segmentDirectory.resolve(FILE_NAME))) {
            p.load(in);
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
        try {
            if (!FORMAT.equals(p.getProperty("format"))) {
                return Optional.empty();
            }
            long base = Long.parseLong(p.getProperty("base"));
            State state = State.valueOf(p.getProperty("state"));
            if (state == State.ACTIVE) {
                String checkpoint = p.getProperty("next");
                return Optional.of(active(base, checkpoint == null ? base : Long.parseLong(checkpoint)));
            }
            return Optional.of(new SegmentMeta(base, state,
                    Long.parseLong(p.getProperty("next")),
                    Long.parseLong(p.getProperty("readableEnd")),
                    Long.parseLong(p.getProperty("bytes")),
                    Long.parseLong(p.getProperty("newestIngestTime")),
                    Long.parseLong(p.getProperty("dataFileLength"))));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
