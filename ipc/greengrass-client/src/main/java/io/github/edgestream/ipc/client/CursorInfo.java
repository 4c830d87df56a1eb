package io.github.edgestream.ipc.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One cursor of a stream as the server lists it: a consumer's named position, a consumer group's, or an export's
 * progress.
 *
 * @param kind      CONSUMER, GROUP or EXPORT
 * @param position  the next sequence number to read; for a group over a partitioned stream, partition 0's
 * @param positions one per partition, in partition order: a group over a partitioned stream has one in each; every
 *                  other reader has one, {@code position} (also when a server older than this field answered)
 */
public record CursorInfo(String name, String kind, long position, List<Long> positions, long generation,
        Instant updatedAt) {

    public CursorInfo {
        Objects.requireNonNull(positions, "positions");
        positions = List.copyOf(positions);
        if (positions.isEmpty()) {
            throw new IllegalArgumentException("cursor \"" + name + "\": positions is empty; every reader has at"
                    + " least one (partition 0's)");
        }
    }

    /** A reader of a stream of one partition. */
    public CursorInfo(String name, String kind, long position, long generation, Instant updatedAt) {
        this(name, kind, position, List.of(position), generation, updatedAt);
    }
}
