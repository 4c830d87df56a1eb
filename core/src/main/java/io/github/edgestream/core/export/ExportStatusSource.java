package io.github.edgestream.core.export;

import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.StreamDefinition;
import java.util.List;

/**
 * Answers "how far has each export of this stream got?" for {@code DescribeMessageStream}. The export runtime
 * implements it; until one runs, {@link #NOT_STARTED} reports every export as having delivered nothing.
 *
 * <p>Implementations are thread-safe, cheap (no I/O) and never block: the IPC layer calls them on its event loop.
 */
public interface ExportStatusSource {

    /** One status per export of {@code definition}, in definition order. */
    List<ExportStatus> statuses(StreamDefinition definition);

    /**
     * The statuses of the streams of {@code namespace} (an S2 basin's streams, whose names may equal the default
     * namespace's). This source itself for the default namespace; by default {@link #NOT_STARTED} for others.
     */
    default ExportStatusSource inNamespace(io.github.edgestream.core.model.Namespace namespace) {
        return namespace.isDefault() ? this : NOT_STARTED;
    }

    ExportStatusSource NOT_STARTED = definition -> definition.exports().stream()
            .map(ExportStatusSource::notStarted)
            .toList();

    static ExportStatus notStarted(ExportConfig config) {
        return new ExportStatus(config.identifier(), config.settings().startSequenceNumber() - 1,
                java.util.Optional.empty(), java.util.Optional.empty(), 0, 0);
    }
}
