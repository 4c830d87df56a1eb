package io.github.edgestream.api.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.cursor.ConsumerGroups;
import io.github.edgestream.core.cursor.GroupDescription;
import io.github.edgestream.core.cursor.Reservation;
import io.github.edgestream.core.cursor.ReservationConflictException;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Consumer groups, as OCI Streaming has them, over core's {@link ConsumerGroups}: CreateGroupCursor, GetMessages with
 * a group cursor, ConsumerCommit, ConsumerHeartbeat, GetGroup and UpdateGroup.
 *
 * <p>A group cursor names the group and the instance, and carries, for each partition the instance held when it was
 * issued, the reservation's epoch and the position read to. Every call with it first renews the instance's
 * membership (the instance joins again if its membership had ended) and so learns the partitions it holds now: where
 * a partition is still held under the cursor's epoch, reading goes on from the cursor's position; a partition taken
 * over (from an instance that stopped heartbeating, or after a rebalance or an UpdateGroup) starts at the group's
 * committed offset. A commit (ConsumerCommit, or the next GetMessages with {@code commitOnGet}) saves only the
 * positions of partitions still held under the cursor's epoch: an instance that lost a partition cannot move the
 * group's position there, so when every batch is committed before the next is read, no message is processed twice
 * within an epoch.
 *
 * <p>Defaults as OCI's: {@code commitOnGet} true, {@code timeoutInMs} 30,000; a missing {@code instanceName} is a
 * random one (a fresh instance per cursor).
 */
final class GroupOperations {

    static final int DEFAULT_TIMEOUT_MS = 30_000;
    static final List<String> GROUP_CURSOR_TYPES = List.of("AT_TIME", "LATEST", "TRIM_HORIZON");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OciStreams streams;
    private final OciCursors cursors;

    GroupOperations(OciStreams streams, OciCursors cursors) {
        this.streams = streams;
        this.cursors = cursors;
    }

    CompletionStage<HttpReply> createGroupCursor(HttpCall call, String id) {
        OciStreams.Target target = streams.resolve(id, call, Permission.READ);
        ObjectNode body = OciRequestDecoder.body(call);
        String group = OciRequestDecoder.string(body, "groupName", 128);
        String instance = OciRequestDecoder.optString(body, "instanceName", 128)
                .orElseGet(() -> "instance-" + HexFormat.of().formatHex(RANDOM.generateSeed(8)));
        String type = OciRequestDecoder.oneOf("type", OciRequestDecoder.string(body, "type", 32), GROUP_CURSOR_TYPES);
        Optional<Instant> time = OciRequestDecoder.optTime(body, "time");
        if (type.equals("AT_TIME") && time.isEmpty()) {
            throw OciException.missing("time (with type AT_TIME)");
        }
        int timeout = (int) (long) OciRequestDecoder.optLong(body, "timeoutInMs", 1,
                ConsumerGroups.MAX_TIMEOUT.toMillis()).orElse((long) DEFAULT_TIMEOUT_MS);
        boolean commitOnGet = OciRequestDecoder.optBoolean(body, "commitOnGet").orElse(true);
        return streams.find(target).thenCompose(stream -> {
            List<Long> start = positions(stream.partitions(), type, time);
            return groups(target, g -> {
                g.createIfAbsent(group, start);
                return g.join(group, instance, Duration.ofMillis(timeout));
            }).thenApply(held -> value(cursors.issue(new OciCursors.GroupCursor(stream.cursorTarget(), group,
                    instance, timeout, commitOnGet, 0, fresh(held, List.of())))));
        });
    }

    /** GetMessages with a group cursor: the stream was found and matches the cursor. */
    CompletionStage<HttpReply> getMessages(OciStreams.Stream stream, OciCursors.GroupCursor at, int limit) {
        return groups(stream.target(), g -> {
            List<Reservation> held = join(g, at);
            if (at.commitOnGet() && !at.held().isEmpty()) {
                held = g.commitAll(at.group(), at.instance(), commits(at.held()));
            }
            return held;
        }).thenCompose(held -> {
            List<OciCursors.Held> positions = fresh(held, at.held());
            int first = positions.isEmpty() ? 0 : Math.floorMod(at.nextFirst(), positions.size());
            List<MessageOperations.Batch> batches = new ArrayList<>();
            OciCursors.Held[] after = positions.toArray(OciCursors.Held[]::new);
            return readFrom(stream, positions, first, 0, limit, MessageOperations.MAX_GET_BYTES.bytes(), batches,
                    after).thenApply(done -> {
                        String next = cursors.issue(at.with(List.of(after), first + 1));
                        return MessageOperations.messagesReply(stream, batches, next);
                    });
        });
    }

    /** Reads the held partitions in turn from {@code first}, until {@code limit} messages or the byte budget. */
    private CompletionStage<Void> readFrom(OciStreams.Stream stream, List<OciCursors.Held> positions, int first,
            int done, int limit, long bytes, List<MessageOperations.Batch> batches, OciCursors.Held[] after) {
        if (done >= positions.size() || limit < 1 || bytes < 1) {
            return CompletableFuture.completedFuture(null);
        }
        int index = (first + done) % positions.size();
        OciCursors.Held at = positions.get(index);
        MessageStream partition = stream.partitions().get(at.partition());
        return MessageOperations.read(partition, at.position(), limit, bytes).thenCompose(messages -> {
            long used = 0;
            if (!messages.isEmpty()) {
                batches.add(new MessageOperations.Batch(at.partition(), messages));
                after[index] = new OciCursors.Held(at.partition(), at.epoch(),
                        messages.get(messages.size() - 1).sequenceNumber() + 1);
                for (Message message : messages) {
                    used += message.payload().length + message.key().length + MessageOperations.MESSAGE_OVERHEAD;
                }
            }
            return readFrom(stream, positions, first, done + 1, limit - messages.size(), bytes - used, batches,
                    after);
        });
    }

    CompletionStage<HttpReply> commit(HttpCall call, String id, OciStreams.Stream stream, OciCursors.GroupCursor at) {
        return groups(stream.target(), g -> {
            try {
                return g.commitAll(at.group(), at.instance(), commits(at.held()));
            } catch (ReservationConflictException notAMember) {
                join(g, at);
                return g.commitAll(at.group(), at.instance(), commits(at.held()));
            }
        }).thenApply(held -> value(cursors.issue(at.with(fresh(held, at.held()), at.nextFirst()))));
    }

    CompletionStage<HttpReply> heartbeat(HttpCall call, String id, OciStreams.Stream stream,
            OciCursors.GroupCursor at) {
        return groups(stream.target(), g -> join(g, at))
                .thenApply(held -> value(cursors.issue(at.with(fresh(held, at.held()), at.nextFirst()))));
    }

    CompletionStage<HttpReply> getGroup(HttpCall call, String id, String group) {
        OciStreams.Target target = streams.resolve(id, call, Permission.READ);
        return streams.find(target).thenCompose(stream -> groups(target, g -> g.describe(group)))
                .thenApply(described -> {
                    GroupDescription d = described.orElseThrow(() -> OciException.notFound("group \""
                            + OciRequestDecoder.clipText(group) + "\" of stream " + id + " does not exist"));
                    return OciResponseEncoder.json(200, out -> {
                        out.writeStartObject();
                        out.writeStringField("streamId", id);
                        out.writeStringField("groupName", d.group());
                        out.writeArrayFieldStart("reservations");
                        for (GroupDescription.Partition p : d.partitions()) {
                            out.writeStartObject();
                            out.writeStringField("partition", Integer.toString(p.partition()));
                            if (p.committedPosition() > 0) {
                                out.writeNumberField("committedOffset", p.committedPosition() - 1);
                            }
                            if (p.reservedInstance().isPresent()) {
                                out.writeStringField("reservedInstance", p.reservedInstance().get());
                                out.writeStringField("timeReservedUntil",
                                        OciResponseEncoder.time(p.reservedUntil().orElseThrow()));
                            }
                            out.writeEndObject();
                        }
                        out.writeEndArray();
                        out.writeEndObject();
                    });
                });
    }

    CompletionStage<HttpReply> updateGroup(HttpCall call, String id, String group) {
        OciStreams.Target target = streams.resolve(id, call, Permission.READ);
        ObjectNode body = OciRequestDecoder.body(call);
        String type = OciRequestDecoder.oneOf("type", OciRequestDecoder.string(body, "type", 32), GROUP_CURSOR_TYPES);
        Optional<Instant> time = OciRequestDecoder.optTime(body, "time");
        if (type.equals("AT_TIME") && time.isEmpty()) {
            throw OciException.missing("time (with type AT_TIME)");
        }
        return streams.find(target).thenCompose(stream -> {
            List<Long> positions = positions(stream.partitions(), type, time);
            return groups(target, g -> g.reset(group, positions));
        }).thenApply(done -> HttpReply.empty(200));
    }

    // ------------------------------------------------------------------------------------------------------

    private static List<Reservation> join(ConsumerGroups groups, OciCursors.GroupCursor at) {
        return groups.join(at.group(), at.instance(), Duration.ofMillis(Math.max(1, at.timeoutMillis())));
    }

    private static List<ConsumerGroups.Commit> commits(List<OciCursors.Held> held) {
        return held.stream().map(h -> new ConsumerGroups.Commit(h.partition(), h.epoch(), h.position())).toList();
    }

    /**
     * The positions to read from in the partitions held now: the cursor's where it held the partition under the same
     * epoch (and is not behind the group's committed position), else the committed position.
     */
    private static List<OciCursors.Held> fresh(List<Reservation> held, List<OciCursors.Held> before) {
        List<OciCursors.Held> positions = new ArrayList<>(held.size());
        for (Reservation r : held) {
            long position = r.committedPosition();
            for (OciCursors.Held h : before) {
                if (h.partition() == r.partition() && h.epoch() == r.epoch()) {
                    position = Math.max(position, h.position());
                }
            }
            positions.add(new OciCursors.Held(r.partition(), r.epoch(), position));
        }
        return positions;
    }

    /** Where a new group (or one UpdateGroup resets) starts in each partition. */
    private static List<Long> positions(List<MessageStream> partitions, String type, Optional<Instant> time) {
        List<Long> positions = new ArrayList<>(partitions.size());
        for (MessageStream partition : partitions) {
            positions.add(switch (type) {
                case "TRIM_HORIZON" -> Math.max(0, partition.info().oldestSequenceNumber());
                case "LATEST" -> partition.info().newestSequenceNumber() + 1;
                default -> partition.seekTime(MessageOperations.micros(time.orElseThrow()));
            });
        }
        return positions;
    }

    private static <T> CompletionStage<T> groups(OciStreams.Target target, Function<ConsumerGroups, T> command) {
        return target.pool().withGroups(target.name(), StreamService.WHOLE_STREAM, command);
    }

    private static HttpReply value(String cursor) {
        return OciResponseEncoder.json(200, out -> {
            out.writeStartObject();
            out.writeStringField("value", cursor);
            out.writeEndObject();
        });
    }
}
