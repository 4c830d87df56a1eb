package io.github.edgestream.core.stream;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Small named records kept with one stream, such as the progress of each of its exports. They live and die with
 * the stream: a {@code FILE} stream keeps them on disk next to its segments (they survive restarts and crashes);
 * a {@code MEMORY} stream keeps them in memory; deleting the stream deletes them.
 *
 * <p><b>Thread-safe.</b> Calls on different names run concurrently; a reader sees a whole record, the old one or the
 * new one, never a mix, and so does the next process after a crash. Keep records small (a few hundred bytes): each
 * save of a file stream's record writes and syncs a small file.
 *
 * <p><b>Errors.</b> {@link StoreWriteException} if a record cannot be written or removed (the old record stays);
 * {@link StreamNotFoundException} once the stream is deleted.
 */
public interface Checkpoints {

    /**
     * A record's key whose value is a sequence number the stream had handed out (exclusive): every message below it
     * existed. When the stream opens after an unclean shutdown that lost unsynced messages, it goes on numbering at
     * the highest such value or above, so that no number is ever handed out twice (an export's cursor saved past
     * messages that a power cut then took must not make the export skip the new messages that reuse their numbers).
     */
    String ISSUED = "issued";

    /** The record saved under {@code name}, if any. */
    Optional<Map<String, String>> load(String name);

    /** Replaces the record under {@code name}; durable when this returns (file streams). */
    void save(String name, Map<String, String> values);

    /** Removes the record; harmless if there is none. */
    void delete(String name);

    /** The names of all records, sorted. */
    List<String> names();
}
