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
 */
public record ExportStatus(
        String exportIdentifier,
        long lastExportedSequenceNumber,
        Optional<Instant> lastExportTime,
        Optional<String> errorMessage,
        long exportedBytes,
        long exportedMessages) {
}
