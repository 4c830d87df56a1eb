package io.github.edgestream.core.cursor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A consumer group as {@link ConsumerGroups#describe} sees it at one instant (OCI {@code getGroup}).
 *
 * @param generation the group's cursor generation
 * @param updatedAt  when its committed positions were last written
 * @param partitions one entry per partition, in partition order
 */
public record GroupDescription(String group, long generation, Instant updatedAt, List<Partition> partitions) {

    public GroupDescription {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(updatedAt, "updatedAt");
        partitions = List.copyOf(partitions);
    }

    /**
     * One partition of the group.
     *
     * @param reservedInstance the instance holding a live reservation, if any (expired ones are not shown)
     * @param reservedUntil    when that reservation lapses; present exactly when {@code reservedInstance} is
     */
    public record Partition(int partition, long committedPosition, Optional<String> reservedInstance,
            Optional<Instant> reservedUntil) {

        public Partition {
            Objects.requireNonNull(reservedInstance, "reservedInstance");
            Objects.requireNonNull(reservedUntil, "reservedUntil");
        }
    }
}
