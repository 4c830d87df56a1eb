package io.github.edgestream.core.stream.internal;

import java.util.List;

/**
 * Where one stream's segments live: the storage engine behind a stream. One implementation per persistence
 * ({@code ChronicleSegmentStorage}, {@code MemorySegmentStorage}); the policies (sequence numbers, size limits,
 * TTL, waiting readers) live once, in {@link LogStream}, above this interface.
 *
 * <p><b>Threading.</b> Not thread-safe: the owning {@link LogStream} calls every method holding its append lock, and
 * calls {@link #delete}, {@link #close} and {@link #release} only when no read is using the segments concerned.
 */
public interface SegmentStorage {

    /**
     * The segments found when the stream is opened, oldest first, their metadata checked; damage is reported to
     * {@code damage} and the damaged segments come back sealed with a lowered {@link Segment#readableEnd()}.
     * Reads no message data for segments that were closed cleanly and whose files are intact.
     *
     * @return possibly empty (new stream, memory stream)
     */
    List<Segment> recover(DamageReport damage);

    /** A new, empty, writable segment whose first message will carry {@code baseSequence}. */
    Segment create(long baseSequence);

    /** Removes a segment and all its files. */
    void delete(Segment segment);

    /** Closes every segment, recording clean-shutdown metadata so the next open needs no recovery. */
    void close();

    /**
     * Releases open files and mappings without recording anything, because the stream is being deleted: the caller
     * removes the directory afterwards.
     */
    void release();

    /** Receives damage found in stored segments: messages {@code first..last} cannot be read. */
    @FunctionalInterface
    interface DamageReport {
        /** {@code last} is -1 when the end of the damaged range is unknown. */
        void lost(long first, long last, String cause);
    }
}
