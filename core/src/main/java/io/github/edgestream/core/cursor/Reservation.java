package io.github.edgestream.core.cursor;

import java.time.Instant;
import java.util.Objects;

/**
 * One instance's hold on one partition of a consumer group, as {@link ConsumerGroups#join} and
 * {@link ConsumerGroups#heartbeat} hand it out.
 *
 * @param reservedUntil     the instance's membership, and so the reservation, lapses at this instant unless renewed
 *                          (heartbeat, commit or join)
 * @param committedPosition the group's committed position on that partition: where the instance starts reading
 * @param generation        the group's cursor generation (it changes with every commit and reset of the group)
 * @param epoch             the reservation's epoch: new each time the partition changes hands or the group is reset
 */
public record Reservation(String group, String instance, int partition, Instant reservedUntil,
        long committedPosition, long generation, long epoch) {

    public Reservation {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(reservedUntil, "reservedUntil");
    }
}
