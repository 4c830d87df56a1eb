package io.github.edgestream.core.service;

import io.github.edgestream.core.export.ExportStatus;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.StreamInfo;
import java.util.List;
import java.util.Objects;

/**
 * What {@link StreamService#describe} answers: one stream's storage state and how far each of its exports has got.
 * The export statuses were taken for the definition in {@code info}, so the two always match (one status per export,
 * in definition order).
 *
 * @param info    the stream's definition, sequence numbers and size, as one snapshot
 * @param exports one status per export of {@code info.definition()}, in definition order
 */
public record StreamDescription(StreamInfo info, List<ExportStatus> exports) {

    public StreamDescription {
        Objects.requireNonNull(info, "info");
        exports = List.copyOf(exports);
    }

    /** The definition in force when the description was taken. */
    public StreamDefinition definition() {
        return info.definition();
    }
}
