package io.github.edgestream.core.export;

import io.github.edgestream.core.stream.Checkpoints;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where one export of a stream has got to: the cursor and the counters that {@code exportStatuses} reports,
 * persisted as the stream's checkpoint record {@code export.<identifier>} after every completed batch.
 *
 * <pre>
 * export.kinesis-1 (a properties record, see CheckpointFiles):
 *   start=0                     the export's startSequenceNumber when the cursor was made; a different one resets it
 *   next=1500                   the first message not yet delivered or skipped: after a crash, export resumes here
 *   exportedMessages=1490       delivered messages
 *   exportedBytes=1525760       delivered payload bytes
 *   skippedMessages=10          messages that can never be delivered (rejected, too large)
 *   lostMessages=0              messages removed by retention before they were exported
 *   issued=1500                 = next once the export has seen messages: the stream numbers on from here even if a
 *                               power cut takes unsynced messages (Checkpoints.ISSUED)
 *   lastExportTime=1767225600000  epoch millis of the last attempt
 *   note=...                    the last skip or loss, for the error message (optional)
 * </pre>
 *
 * Immutable.
 */
record ExportProgress(
        long start,
        long next,
        long exportedMessages,
        long exportedBytes,
        long skippedMessages,
        long lostMessages,
        Optional<Instant> lastExportTime,
        Optional<String> note) {

    static String recordName(String exportIdentifier) {
        return "export." + exportIdentifier;
    }

    static ExportProgress fresh(long start) {
        return new ExportProgress(start, start, 0, 0, 0, 0, Optional.empty(), Optional.empty());
    }

    /**
     * The saved progress, or a fresh cursor at {@code start} if there is none, it cannot be read, or it was made
     * for another start sequence number (the export was redefined to start elsewhere).
     */
    static ExportProgress load(Checkpoints checkpoints, String exportIdentifier, long start) {
        Optional<Map<String, String>> saved = checkpoints.load(recordName(exportIdentifier));
        if (saved.isEmpty()) {
            return fresh(start);
        }
        Map<String, String> values = saved.get();
        try {
            if (Long.parseLong(values.get("start")) != start) {
                return fresh(start);
            }
            String lastExport = values.get("lastExportTime");
            return new ExportProgress(start,
                    Long.parseLong(values.get("next")),
                    Long.parseLong(values.get("exportedMessages")),
                    Long.parseLong(values.get("exportedBytes")),
                    Long.parseLong(values.getOrDefault("skippedMessages", "0")),
                    Long.parseLong(values.getOrDefault("lostMessages", "0")),
                    lastExport == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(lastExport))),
                    Optional.ofNullable(values.get("note")));
        } catch (RuntimeException damaged) {
            throw new IllegalStateException("checkpoint " + recordName(exportIdentifier) + " is damaged (" + values
                    + ")", damaged);
        }
    }

    ExportProgress attemptedAt(Instant time) {
        return new ExportProgress(start, next, exportedMessages, exportedBytes, skippedMessages, lostMessages,
                Optional.of(time), note);
    }

    ExportProgress delivered(long messages, long bytes) {
        return new ExportProgress(start, next, exportedMessages + messages, exportedBytes + bytes, skippedMessages,
                lostMessages, lastExportTime, note);
    }

    ExportProgress skipped(long messages, String why) {
        return new ExportProgress(start, next, exportedMessages, exportedBytes, skippedMessages + messages,
                lostMessages, lastExportTime, Optional.of(why));
    }

    /** {@code messages} before {@code resumeAt} are gone; the cursor jumps there. */
    ExportProgress lost(long messages, long resumeAt, String why) {
        return new ExportProgress(start, resumeAt, exportedMessages, exportedBytes, skippedMessages,
                lostMessages + messages, lastExportTime, Optional.of(why));
    }

    ExportProgress movedTo(long cursor) {
        return new ExportProgress(start, cursor, exportedMessages, exportedBytes, skippedMessages, lostMessages,
                lastExportTime, note);
    }

    void save(Checkpoints checkpoints, String exportIdentifier) {
        var values = new LinkedHashMap<String, String>();
        values.put("start", Long.toString(start));
        values.put("next", Long.toString(next));
        values.put("exportedMessages", Long.toString(exportedMessages));
        values.put("exportedBytes", Long.toString(exportedBytes));
        values.put("skippedMessages", Long.toString(skippedMessages));
        values.put("lostMessages", Long.toString(lostMessages));
        if (next > start) {
            values.put(Checkpoints.ISSUED, Long.toString(next)); // messages up to next - 1 existed
        }
        lastExportTime.ifPresent(time -> values.put("lastExportTime", Long.toString(time.toEpochMilli())));
        note.ifPresent(text -> values.put("note", text));
        checkpoints.save(recordName(exportIdentifier), values);
    }
}
