package io.github.edgestream.ipc.client;

import java.util.List;
import java.util.Objects;

/**
 * A stream's cursors as ListCursors answers them, with the next sequence number of each of the stream's partitions
 * read just after the positions, so that a reader's lag in partition {@code p} is
 * {@code nextSequenceNumbers.get(p) - positions.get(p)} (never below 0).
 *
 * @param nextSequenceNumbers one per partition, in partition order; empty when a server older than this field
 *                            answered (ask the stream's tail another way)
 */
public record CursorListing(List<CursorInfo> cursors, List<Long> nextSequenceNumbers) {

    public CursorListing {
        cursors = List.copyOf(Objects.requireNonNull(cursors, "cursors"));
        nextSequenceNumbers = List.copyOf(Objects.requireNonNull(nextSequenceNumbers, "nextSequenceNumbers"));
    }

    /**
     * The cursor's lag in one partition: messages after its position there; 0 when it is not behind, or when the
     * server did not say how far the partition goes (see {@link #nextSequenceNumbers}).
     */
    public long lag(CursorInfo cursor, int partition) {
        if (partition >= nextSequenceNumbers.size() || partition >= cursor.positions().size()) {
            return 0;
        }
        return Math.max(0, nextSequenceNumbers.get(partition) - cursor.positions().get(partition));
    }
}
