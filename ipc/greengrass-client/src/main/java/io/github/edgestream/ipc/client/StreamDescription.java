package io.github.edgestream.ipc.client;

import io.github.edgestream.core.export.ExportStatus;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamDefinition;
import java.util.List;

/** What DescribeMessageStream returns: the definition, the storage status and the exports' progress. */
public record StreamDescription(StreamDefinition definition, long oldestSequenceNumber, long newestSequenceNumber,
        DataSize totalSize, List<ExportStatus> exportStatuses) {
}
