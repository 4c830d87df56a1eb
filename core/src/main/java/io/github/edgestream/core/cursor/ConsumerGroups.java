package io.github.edgestream.core.cursor;

import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The consumer groups of one stream, as OCI Streaming has them: the instances of a group share the stream's
 * partitions, each partition reserved by at most one live instance at a time, and the group's committed position
 * per partition says where the next holder resumes.
 *
 * <ul>
 * <li>{@link #join} reserves a partition for an instance until {@code now + timeout}: the one it already holds
 *     (renewed), else the lowest partition that is free or whose reservation expired; if every partition is held by
 *     a live instance, the answer is empty. One partition per instance.
 * <li>{@link #heartbeat} and {@link #commit} renew the reservation by its timeout; a reservation is live while the
 *     clock is before its {@code reservedUntil}.
 * <li>{@link #commit} saves the group's position on a partition; only the live holder may, and never backwards.
 * <li>{@link #reset} (OCI {@code updateGroup}) sets every partition's position, forward or back, and clears every
 *     reservation of the group.
 * </ul>
 *
 * <p><b>Durability.</b> Committed positions are a group cursor in the {@link CursorStore} (record
 * {@code cursor.<group>}, kind {@link CursorKind#GROUP}, one position per partition), created at the first join,
 * durable as the stream's checkpoints are, written with each commit and reset. Reservations live in memory only:
 * they expire within their timeout anyway, so after a restart every partition is free and instances join again.
 * Group names share the namespace of consumer cursors: a name taken by one cannot be used for the other.
 *
 * <p>Callers: whoever serves the stream's consumers (the IPC layer), from any thread; one instance per stream,
 * over the stream's one {@link CursorStore}. Time comes only from that store's clock.
 *
 * <p><b>Errors.</b> {@link IllegalArgumentException}: an invalid group or instance name ({@value CursorNames#RULE}),
 * partition, position or timeout (the message names the field, the value and the limit), or a commit that would
 * move a partition back; {@link ReservationConflictException}: the instance does not hold the reservation it acts
 * on; {@link IllegalStateException}: the name is a consumer's cursor, or the group's record is damaged;
 * {@link StoreWriteException}, {@link StreamNotFoundException} as for {@link CursorStore}. A failed call changes
 * nothing; join, heartbeat and reset may be repeated freely.
 *
 * <p><b>Thread-safe.</b> Every operation runs under the {@link CursorStore}'s lock, which also guards the table of
 * reservations: the one lock of the stream's cursors (see core/LOCKS.md).
 */
public final class ConsumerGroups {

    public static final int MAX_PARTITIONS = 256;
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    private final CursorStore cursors;
    private final int partitions;
    /** Group name to its holders by partition (null: never held since the start or the last reset). */
    private final Map<String, Holder[]> reservations = new HashMap<>();

    private record Holder(String instance, Instant until, Duration timeout) {

        boolean liveAt(Instant now) {
            return now.isBefore(until);
        }

        Holder renewedAt(Instant now) {
            return new Holder(instance, now.plus(timeout), timeout);
        }
    }

    /**
     * @param cursors    the stream's cursor store (its checkpoints, clock and lock)
     * @param partitions how many partitions the stream has, 1 to {@value #MAX_PARTITIONS}
     */
    public ConsumerGroups(CursorStore cursors, int partitions) {
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions " + partitions + " is out of range 1.." + MAX_PARTITIONS);
        }
        this.partitions = partitions;
    }

    public int partitions() {
        return partitions;
    }

    /**
     * Reserves a partition of {@code group} for {@code instance} until now + {@code timeout}, creating the group
     * (every position 0) if it does not exist.
     *
     * @param timeout 1 ms to {@link #MAX_TIMEOUT}
     * @return the reservation, or empty if every partition is held by another live instance
     */
    public Optional<Reservation> join(String group, String instance, Duration timeout) {
        CursorNames.check("group", group);
        CursorNames.check("instance", instance);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is out of range 1 ms.." + MAX_TIMEOUT);
        }
        return cursors.locked(() -> {
            Instant now = cursors.now();
            CursorRecord saved = loadOrCreate(group, now);
            Holder[] holders = holdersOf(group);
            int partition = heldBy(holders, instance);
            for (int p = 0; partition < 0 && p < partitions; p++) {
                if (holders[p] == null || !holders[p].liveAt(now)) {
                    partition = p;
                }
            }
            if (partition < 0) {
                return Optional.empty();
            }
            holders[partition] = new Holder(instance, now.plus(timeout), timeout);
            return Optional.of(reservation(group, partition, holders[partition], saved));
        });
    }

    /**
     * Renews {@code instance}'s reservation by its timeout.
     *
     * @throws ReservationConflictException the instance holds no live reservation in the group
     */
    public Reservation heartbeat(String group, String instance) {
        CursorNames.check("group", group);
        CursorNames.check("instance", instance);
        return cursors.locked(() -> {
            Instant now = cursors.now();
            Holder[] holders = peekHolders(group);
            int partition = heldBy(holders, instance);
            if (partition < 0 || !holders[partition].liveAt(now)) {
                throw new ReservationConflictException(group, instance, "instance \"" + instance + "\" of group \""
                        + group + "\" holds no live reservation: " + (partition < 0
                                ? "it has not joined, or a reset cleared its reservation"
                                : "its reservation of partition " + partition + " expired at "
                                        + holders[partition].until() + " (now " + now + ")")
                        + "; join again");
            }
            holders[partition] = holders[partition].renewedAt(now);
            return reservation(group, partition, holders[partition], loadOrCreate(group, now));
        });
    }

    /**
     * Saves {@code position} as the group's committed position on {@code partition} and renews the reservation.
     *
     * @throws ReservationConflictException {@code instance} does not hold a live reservation of {@code partition}
     * @throws IllegalArgumentException {@code position} is below the committed one (only {@link #reset} moves back)
     */
    public Reservation commit(String group, String instance, int partition, long position) {
        CursorNames.check("group", group);
        CursorNames.check("instance", instance);
        checkPartition(partition);
        CursorNames.checkPosition("position", position);
        if (partitions == 1) {
            cursors.checkWithinStream("position", position);
        }
        return cursors.locked(() -> {
            Instant now = cursors.now();
            Holder[] holders = peekHolders(group);
            Holder holder = holders[partition];
            if (holder == null || !holder.liveAt(now) || !holder.instance().equals(instance)) {
                throw new ReservationConflictException(group, instance, "partition " + partition + " of group \""
                        + group + "\" " + (holder != null && holder.liveAt(now)
                                ? "is reserved by instance \"" + holder.instance() + "\" until " + holder.until()
                                : holder == null
                                        ? "is not reserved by anyone"
                                        : "is not reserved: the reservation of instance \"" + holder.instance()
                                                + "\" expired at " + holder.until() + " (now " + now + ")")
                        + "; instance \"" + instance + "\" may not commit it");
            }
            CursorRecord saved = loadOrCreate(group, now);
            long committed = saved.positions().get(partition);
            if (position < committed) {
                throw new IllegalArgumentException("group \"" + group + "\" partition " + partition + ": position "
                        + position + " is below its committed position " + committed
                        + "; commits only move forward, reset moves back");
            }
            List<Long> positions = new ArrayList<>(saved.positions());
            positions.set(partition, position);
            CursorRecord written = cursors.save(saved.next(positions, now));
            holders[partition] = holder.renewedAt(now);
            return reservation(group, partition, holders[partition], written);
        });
    }

    /** Every partition of the group with its committed position and live holder; empty if there is no group. */
    public Optional<GroupDescription> describe(String group) {
        CursorNames.check("group", group);
        return cursors.locked(() -> {
            Optional<CursorRecord> saved = cursors.load(group).map(this::fitted);
            if (saved.isEmpty()) {
                return Optional.empty();
            }
            Instant now = cursors.now();
            Holder[] holders = peekHolders(group);
            List<GroupDescription.Partition> described = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                Holder live = holders[p] != null && holders[p].liveAt(now) ? holders[p] : null;
                described.add(new GroupDescription.Partition(p, saved.get().positions().get(p),
                        Optional.ofNullable(live).map(Holder::instance), Optional.ofNullable(live).map(Holder::until)));
            }
            return Optional.of(new GroupDescription(group, saved.get().generation(), saved.get().updatedAt(),
                    described));
        });
    }

    /**
     * Sets the group's committed positions, forward or back, and clears its reservations (OCI {@code updateGroup});
     * creates the group if it does not exist.
     *
     * @param positions one per partition, in partition order, each >= 0
     */
    public GroupDescription reset(String group, List<Long> positions) {
        CursorNames.check("group", group);
        Objects.requireNonNull(positions, "positions");
        if (positions.size() != partitions) {
            throw new IllegalArgumentException("positions has " + positions.size() + " entries; the stream has "
                    + partitions + " partitions");
        }
        for (int p = 0; p < partitions; p++) {
            CursorNames.checkPosition("positions[" + p + "]", Objects.requireNonNull(positions.get(p), "positions"));
        }
        if (partitions == 1) {
            cursors.checkWithinStream("positions[0]", positions.get(0));
        }
        return cursors.locked(() -> {
            Instant now = cursors.now();
            Optional<CursorRecord> saved = cursors.load(group);
            saved.ifPresent(s -> CursorStore.requireKind(s, CursorKind.GROUP));
            cursors.save(saved.map(s -> s.next(positions, now))
                    .orElseGet(() -> new CursorRecord(group, CursorKind.GROUP, 1, now, positions)));
            reservations.remove(group);
            return describe(group).orElseThrow();
        });
    }

    /** Deletes the group: its committed positions and reservations. Harmless if there is none. */
    public void delete(String group) {
        CursorNames.check("group", group);
        cursors.locked(() -> {
            cursors.load(group).ifPresent(s -> CursorStore.requireKind(s, CursorKind.GROUP));
            cursors.remove(group);
            reservations.remove(group);
            return null;
        });
    }

    /** The names of the stream's groups, sorted. */
    public List<String> list() {
        return cursors.list().stream()
                .filter(cursor -> cursor.kind() == CursorKind.GROUP)
                .map(Cursor::name)
                .toList();
    }

    // ------------------------------------------------------------------------------------- under the store's lock

    private CursorRecord loadOrCreate(String group, Instant now) {
        Optional<CursorRecord> saved = cursors.load(group);
        if (saved.isPresent()) {
            return fitted(saved.get());
        }
        return cursors.save(new CursorRecord(group, CursorKind.GROUP, 1, now, zeros()));
    }

    /**
     * The record with exactly {@link #partitions} positions: a record saved with fewer partitions reads 0 for the
     * new ones, and the positions of partitions beyond ours are dropped at its next write.
     */
    private CursorRecord fitted(CursorRecord saved) {
        CursorStore.requireKind(saved, CursorKind.GROUP);
        if (saved.positions().size() == partitions) {
            return saved;
        }
        List<Long> positions = new ArrayList<>(zeros());
        for (int p = 0; p < Math.min(partitions, saved.positions().size()); p++) {
            positions.set(p, saved.positions().get(p));
        }
        return new CursorRecord(saved.name(), saved.kind(), saved.generation(), saved.updatedAt(), positions);
    }

    private List<Long> zeros() {
        return Collections.nCopies(partitions, 0L);
    }

    private Holder[] holdersOf(String group) {
        return reservations.computeIfAbsent(group, g -> new Holder[partitions]);
    }

    /** The group's holders without adding an entry for it (a stranger's heartbeat leaves no trace). */
    private Holder[] peekHolders(String group) {
        Holder[] holders = reservations.get(group);
        return holders != null ? holders : new Holder[partitions];
    }

    private int heldBy(Holder[] holders, String instance) {
        for (int p = 0; p < partitions; p++) {
            if (holders[p] != null && holders[p].instance().equals(instance)) {
                return p;
            }
        }
        return -1;
    }

    private Reservation reservation(String group, int partition, Holder holder, CursorRecord saved) {
        return new Reservation(group, holder.instance(), partition, holder.until(), saved.positions().get(partition),
                saved.generation());
    }

    private void checkPartition(int partition) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " is out of range 0.." + (partitions - 1));
        }
    }
}
