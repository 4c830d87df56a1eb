package io.github.edgestream.daemon.observe;

import io.github.edgestream.core.cursor.ConsumerGroups;
import io.github.edgestream.core.cursor.CursorStore;
import io.github.edgestream.core.cursor.GroupDescription;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.core.stream.StreamStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How far each consumer group of a stream is behind, partition by partition, for {@link DaemonMetrics} and the
 * status page ({@link ObservabilityServer}). A group keeps one committed position per partition (the next sequence
 * number it will read there); each partition is measured against its own newest sequence number:
 * <ul>
 *   <li>messages: {@code newest + 1 - committed}, never negative;</li>
 *   <li>bytes: estimated as messages times the partition's average stored message size ({@code totalSize / held},
 *       payload + 24 per message), as the export lag is; the store offers no cheaper exact count;</li>
 *   <li>age: now minus the ingest time of the oldest uncommitted message still held (the one at the committed
 *       position, or the partition's oldest if retention deleted it), in seconds; 0 without lag.</li>
 * </ul>
 * Cost: one cursor record load per group and at most one single-record read per lagging partition; no read waits.
 *
 * <p>Reads the groups' records through a {@link CursorStore} of its own, which is safe because it only reads (the
 * store hands out whole records); it sees committed positions, not reservations. Stateless and thread-safe.
 */
final class GroupLags {

    /**
     * One partition of one group.
     *
     * @param committed  the group's committed position in the partition: the next sequence number it will read
     * @param ageSeconds age of the oldest uncommitted message, 0 when {@code messages} is 0
     */
    record PartitionLag(String group, int partition, long committed, long messages, long bytes, double ageSeconds) {
    }

    private GroupLags() {
    }

    /**
     * Every group of the stream {@code name} of {@code catalogue} with each of its partitions, groups by name, then
     * partitions in order; empty if the stream has no group or was deleted meanwhile.
     */
    static List<PartitionLag> of(StreamStore catalogue, StreamName name, Clock clock) {
        List<MessageStream> partitions;
        ConsumerGroups groups;
        List<String> names;
        try {
            partitions = catalogue.partitions(name);
            // one group spans the partitions; its record is kept with partition 0 (see StreamService.withGroups)
            groups = new ConsumerGroups(new CursorStore(partitions.get(0).checkpoints(), clock), partitions.size());
            names = groups.list();
        } catch (RuntimeException deletedMeanwhile) {
            return List.of();
        }
        List<PartitionLag> lags = new ArrayList<>();
        for (String group : names) {
            Optional<GroupDescription> described;
            try {
                described = groups.describe(group);
            } catch (RuntimeException goneOrDamaged) {
                continue;
            }
            for (GroupDescription.Partition p : described.map(GroupDescription::partitions).orElse(List.of())) {
                try {
                    lags.add(lag(group, p.partition(), p.committedPosition(), partitions.get(p.partition()), clock));
                } catch (RuntimeException deletedMeanwhile) {
                    return List.of();
                }
            }
        }
        return lags;
    }

    private static PartitionLag lag(String group, int partition, long committed, MessageStream stream, Clock clock) {
        StreamInfo info = stream.info();
        long messages = Math.max(0, info.newestSequenceNumber() + 1 - committed);
        long held = Math.max(0, info.newestSequenceNumber() - info.oldestSequenceNumber() + 1);
        double averageBytes = held == 0 ? 0 : (double) info.totalSize().bytes() / held;
        double age = messages == 0 ? 0 : oldestAge(stream, Math.max(committed, info.oldestSequenceNumber()), clock);
        return new PartitionLag(group, partition, committed, messages, Math.round(messages * averageBytes), age);
    }

    private static double oldestAge(MessageStream stream, long position, Clock clock) {
        try {
            List<Message> next = stream.read(ReadRequest.upTo(position, 1)).toCompletableFuture().getNow(List.of());
            if (next.isEmpty()) {
                return 0;
            }
            return Math.max(0, Duration.between(next.get(0).ingestTime(), clock.instant()).toMillis() / 1000.0);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
