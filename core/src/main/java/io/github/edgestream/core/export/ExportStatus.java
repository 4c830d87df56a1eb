package io.github.edgestream.core.export;

import java.time.Instant;
import java.util.Optional;

/**
 * Progress of one export of a stream, as {@code DescribeMessageStream} reports it (protocol section 7.5).
 *
 * @param exportIdentifier           the export config's identifier
 * @param lastExportedSequenceNumber the newest message delivered; one below the export's start if none yet
 * @param lastExportTime             when the export last tried to deliver, if ever
 * @param errorMessage               the last failure, if the last attempt failed or messages were skipped
 * @param exportedBytes              payload bytes delivered (not failed attempts, not skipped messages)
 * @param exportedMessages           messages delivered
 * @param skippedMessages            messages that could never be delivered (refused, too large) and were skipped
 * @param lostMessages               messages removed by retention before they were exported
 * @param consecutiveFailures        failed attempts since the last success; 0 when healthy
 * @param nextAttempt                when the next try is due, while backing off after a failure
 *
 * <p>The protocol carries the first six; the others are edgestream's own, for logs, metrics and the CLI.
 */
public record ExportStatus(
        String exportIdentifier,
        long lastExportedSequenceNumber,
        Optional<Instant> lastExportTime,
        Optional<String> errorMessage,
        long exportedBytes,
        long exportedMessages,
        long skippedMessages,
        long lostMessages,
        int consecutiveFailures,
        Optional<Instant> nextAttempt) {

    /** A status with only what the protocol carries (a client decoding a describe response). */
    public ExportStatus(String exportIdentifier, long lastExportedSequenceNumber, Optional<Instant> lastExportTime,
            Optional<String> errorMessage, long exportedBytes, long exportedMessages) {
        this(exportIdentifier, lastExportedSequenceNumber, lastExportTime, errorMessage, exportedBytes,
                exportedMessages, 0, 0, 0, Optional.empty());
    }
}
