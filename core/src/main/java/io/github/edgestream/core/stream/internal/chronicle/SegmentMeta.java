package io.github.edgestream.core.stream.internal.chronicle;

import io.github.edgestream.core.stream.internal.AtomicFiles;
import io.github.edgestream.core.stream.internal.RecordFormat;
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
 * recordFormat=2              version of the records ({@link io.github.edgestream.core.stream.internal.RecordFormat});
 *                             absent: 1 (written before version 2 existed). Always present from version 2 on
 * newestTimestamp=1700000000000123   record timestamp (µs) of the newest message (CLEAN, SEALED; version 2)
 * </pre>
 *
 * <p>Written atomically (temporary file and rename). Immutable.
 */
record SegmentMeta(long base, State state, long next, long readableEnd, long bytes, long newestIngestTime,
        long dataFileLength, int recordFormat, long newestTimestamp) {

    static final String FILE_NAME = "segment.properties";
    private static final String FORMAT = "1";

    enum State { ACTIVE, CLEAN, SEALED }

    static SegmentMeta active(long base, int recordFormat) {
        return active(base, base, recordFormat);
    }

    static SegmentMeta active(long base, long checkpointNext, int recordFormat) {
        return new SegmentMeta(base, State.ACTIVE, checkpointNext, base, 0, Long.MIN_VALUE, 0, recordFormat,
                Long.MIN_VALUE);
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
        p.setProperty("recordFormat", Integer.toString(recordFormat));
        if (hasCounts()) {
            p.setProperty("newestTimestamp", Long.toString(newestTimestamp));
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
            int recordFormat = Integer.parseInt(p.getProperty("recordFormat", "1"));
            if (recordFormat != RecordFormat.VERSION_1 && recordFormat != RecordFormat.VERSION_2) {
                return Optional.empty(); // written by a later release: scan rather than trust it
            }
            if (state == State.ACTIVE) {
                String checkpoint = p.getProperty("next");
                return Optional.of(active(base, checkpoint == null ? base : Long.parseLong(checkpoint), recordFormat));
            }
            long newestIngestTime = Long.parseLong(p.getProperty("newestIngestTime"));
            String newestTimestamp = p.getProperty("newestTimestamp");
            return Optional.of(new SegmentMeta(base, state,
                    Long.parseLong(p.getProperty("next")),
                    Long.parseLong(p.getProperty("readableEnd")),
                    Long.parseLong(p.getProperty("bytes")),
                    newestIngestTime,
                    Long.parseLong(p.getProperty("dataFileLength")),
                    recordFormat,
                    newestTimestamp != null ? Long.parseLong(newestTimestamp)
                            : newestIngestTime == Long.MIN_VALUE ? Long.MIN_VALUE : newestIngestTime * 1000));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
