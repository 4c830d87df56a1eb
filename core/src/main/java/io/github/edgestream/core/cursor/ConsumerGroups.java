package io.github.edgestream.core.cursor;

import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The consumer groups of one stream, as OCI Streaming has them: the live instances of a group share the stream's
 * partitions, each partition reserved by at most one of them at a time, and the group's committed position per
 * partition says where the next holder resumes.
 *
 * <ul>
 * <li>{@link #join} makes an instance a member of the group until {@code now + timeout} and hands it its share of
 *     the partitions. Shares are balanced on every join and heartbeat: with {@code n} partitions and {@code k} live
 *     instances each holds {@code n / k} partitions, and the {@code n % k} earliest joiners one more. An instance
 *     over its share gives up its highest partitions, a free partition (never held, or held by an instance whose
 *     membership expired) goes to the earliest joiner under its share, its previous holder first. So a second
 *     instance takes part of the first's partitions, and when one stops heartbeating the others take its
 *     partitions over at their next call. An instance may hold nothing (more instances than partitions).
 * <li>Every reservation carries an <em>epoch</em>, new each time the partition changes hands (and after a
 *     {@link #reset}): a reader that remembers the epoch it read under can tell whether it held the partition all
 *     along ({@link #commitAll} ignores positions read under another epoch). Epochs never repeat within a process
 *     and start at a random point, so an epoch remembered from before a restart matches nothing.
 * <li>{@link #heartbeat} and the commits renew the membership by its timeout; a membership is live while the
 *     clock is before its end.
 * <li>{@link #commit} and {@link #commitAll} save the group's position on a partition; only its live holder may,
 *     and never backwards.
 * <li>{@link #reset} (OCI {@code updateGroup}) sets every partition's position, forward or back, and ends every
 *     reservation of the group (members stay, and get partitions under new epochs at their next call).
 * </ul>
 *
 * <p><b>Durability.</b> Committed positions are a group cursor in the {@link CursorStore} (record
 * {@code cursor.<group>}, kind {@link CursorKind#GROUP}, one position per partition), created at the first join,
 * durable as the stream's checkpoints are, written with each commit and reset (one write per {@link #commitAll},
 * whatever the number of partitions). Memberships and reservations live in memory only: they expire within their
 * timeout anyway, so after a restart every partition is free and instances join again. Group names share the
 * namespace of consumer cursors: a name taken by one cannot be used for the other.
 *
 * <p><b>Limits.</b> At most {@value #MAX_GROUPS} groups per stream and {@value #MAX_INSTANCES} live instances per
 * group; members whose membership ended are forgotten at the group's next join or heartbeat.
 *
 * <p>Callers: whoever serves the stream's consumers (the IPC layer), from any thread; one instance per stream,
 * over the stream's one {@link CursorStore}. Time comes only from that store's clock.
 *
 * <p><b>Errors.</b> {@link IllegalArgumentException}: an invalid group or instance name ({@value CursorNames#RULE}),
 * partition, position or timeout (the message names the field, the value and the limit), a commit that would
 * move a partition back, or one instance too many; {@link ReservationConflictException}: the instance does not
 * hold the membership or reservation it acts on; {@link IllegalStateException}: the name is a consumer's cursor,
 * or the group's record is damaged; {@link StoreWriteException}, {@link StreamNotFoundException} as for
 * {@link CursorStore}. A failed call changes nothing; join, heartbeat and reset may be repeated freely.
 *
 * <p><b>Thread-safe.</b> Every operation runs under the {@link CursorStore}'s lock, which also guards the tables of
 * members and reservations: the one lock of the stream's cursors (see core/LOCKS.md).
 */
public final class ConsumerGroups {

    public static final int MAX_PARTITIONS = 256;
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);
    public static final int MAX_INSTANCES = 1024;
    /** The most groups one stream may have (each is a record in its checkpoints and a table in memory). */
    public static final int MAX_GROUPS = 1024;

    private final CursorStore cursors;
    private final int partitions;
    private final int maxGroups;
    /** Group name to its members and its holders by partition. */
    private final Map<String, Table> tables = new HashMap<>();
    private long nextEpoch = new SecureRandom().nextLong() >>> 2;

    /** A member of a group: live until {@code until}; {@code order} ranks it among the group's joiners. */
    private record Member(Instant until, Duration timeout, long order) {

        boolean liveAt(Instant now) {
            return now.isBefore(until);
        }
    }

    /** Who holds (or last held) a partition, under which epoch. */
    private record Holder(String instance, long epoch) {
    }

    /** One group's members (in join order) and holders (null: never held since the start or the last reset). */
    private static final class Table {
        final Map<String, Member> members = new LinkedHashMap<>();
        final Holder[] holders;
        long joins;

        Table(int partitions) {
            holders = new Holder[partitions];
        }
    }

    /** A position to commit on one partition, read under {@code epoch}. */
    public record Commit(int partition, long epoch, long position) {
    }

    /**
     * @param cursors    the stream's cursor store (its checkpoints, clock and lock)
     * @param partitions how many partitions the stream has, 1 to {@value #MAX_PARTITIONS}
     */
    public ConsumerGroups(CursorStore cursors, int partitions) {
        this(cursors, partitions, MAX_GROUPS);
    }

    /** With another limit on the stream's groups (tests). */
    ConsumerGroups(CursorStore cursors, int partitions, int maxGroups) {
        this.maxGroups = maxGroups;
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
     * Makes {@code instance} a member of {@code group} until now + {@code timeout} (renewing it if it is one),
     * creating the group (every position 0) if it does not exist, and balances the partitions.
     *
     * @param timeout 1 ms to {@link #MAX_TIMEOUT}; a heartbeat renews by the timeout of the latest join
     * @return the instance's reservations in partition order; empty if the other live instances hold every
     *         partition
     * @throws IllegalArgumentException the group has {@value #MAX_INSTANCES} live instances already
     */
    public List<Reservation> join(String group, String instance, Duration timeout) {
        CursorNames.check("group", group);
        CursorNames.check("instance", instance);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " is out of range 1 ms.." + MAX_TIMEOUT);
        }
        return cursors.locked(() -> {
            Instant now = cursors.now();
            Table table = tables.computeIfAbsent(group, g -> new Table(partitions));
            Member member = table.members.get(instance);
            if (member == null || !member.liveAt(now)) {
                forgetEnded(table, now);
                if (table.members.size() >= MAX_INSTANCES) {
                    throw new IllegalArgumentException("group \"" + group + "\" has " + table.members.size()
                            + " live instances, the most a group may have (" + MAX_INSTANCES + "); instance \""
                            + instance + "\" may not join until one leaves");
                }
                table.members.put(instance, new Member(now.plus(timeout), timeout, table.joins++));
            } else {
                table.members.put(instance, new Member(now.plus(timeout), timeout, member.order()));
            }
            CursorRecord saved = loadOrCreate(group, now);
            balance(table, now);
            return reservations(group, instance, table, saved);
        });
    }

    /**
     * Renews {@code instance}'s membership by its timeout and balances the partitions.
     *
     * @return its reservations, as {@link #join} gives them
     * @throws ReservationConflictException the instance is not a live member of the group
     */
    public List<Reservation> heartbeat(String group, String instance) {
        CursorNames.check("group", group);
        CursorNames.check("instance", instance);
        return cursors.locked(() -> {
            Instant now = cursors.now();
            Table table = renewed(group, instance, now);
            balance(table, now);
            return reservations(group, instance, table, loadOrCreate(group, now));
        });
    }

    /**
     * Saves {@code position} as the group's committed position on {@code partition} and renews the membership.
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
            Table table = tables.get(group);
            Holder holder = table == null ? null : table.holders[partition];
            Member member = holder == null ? null : table.members.get(holder.instance());
            boolean live = member != null && member.liveAt(now);
            if (!live || !holder.instance().equals(instance)) {
                throw new ReservationConflictException(group, instance, "partition " + partition + " of group \""
                        + group + "\" " + (live
                                ? "is reserved by instance \"" + holder.instance() + "\" until " + member.until()
                                : holder == null
                                        ? "is not reserved by anyone"
                                        : "is not reserved: the membership of instance \"" + holder.instance()
                                                + "\" ended" + (member == null ? "" : " at " + member.until())
                                                + " (now " + now + ")")
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
            renewed(group, instance, now);
            return reservation(group, instance, partition, table, written);
        });
    }

    /**
     * Saves several positions at once (one write), each only if {@code instance} still holds its partition under the
     * commit's epoch, and never backwards (a position below the committed one is left out, not refused: it was
     * read before a later commit). Renews the membership.
     *
     * @return the instance's reservations after the commit, as {@link #join} gives them
     * @throws ReservationConflictException the instance is not a live member of the group
     */
    public List<Reservation> commitAll(String group, String instance, List<Commit> commits) {
        CursorNames.check("group", group);
        CursorNames.check("instance", instance);
        Objects.requireNonNull(commits, "commits");
        for (Commit commit : commits) {
            checkPartition(commit.partition());
            CursorNames.checkPosition("position", commit.position());
            if (partitions == 1) {
                cursors.checkWithinStream("position", commit.position());
            }
        }
        return cursors.locked(() -> {
            Instant now = cursors.now();
            Table table = renewed(group, instance, now);
            CursorRecord saved = loadOrCreate(group, now);
            List<Long> positions = new ArrayList<>(saved.positions());
            boolean changed = false;
            for (Commit commit : commits) {
                Holder holder = table.holders[commit.partition()];
                if (holder != null && holder.instance().equals(instance) && holder.epoch() == commit.epoch()
                        && commit.position() > positions.get(commit.partition())) {
                    positions.set(commit.partition(), commit.position());
                    changed = true;
                }
            }
            CursorRecord written = changed ? cursors.save(saved.next(positions, now)) : saved;
            return reservations(group, instance, table, written);
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
            Table table = tables.get(group);
            List<GroupDescription.Partition> described = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                Holder holder = table == null ? null : table.holders[p];
                Member member = holder == null ? null : table.members.get(holder.instance());
                boolean live = member != null && member.liveAt(now);
                described.add(new GroupDescription.Partition(p, saved.get().positions().get(p),
                        live ? Optional.of(holder.instance()) : Optional.empty(),
                        live ? Optional.of(member.until()) : Optional.empty()));
            }
            return Optional.of(new GroupDescription(group, saved.get().generation(), saved.get().updatedAt(),
                    described));
        });
    }

    /**
     * Sets the group's committed positions, forward or back, and ends its reservations (OCI {@code updateGroup});
     * creates the group if it does not exist. Its members stay members: they get partitions, under new epochs, at
     * their next join or heartbeat.
     *
     * @param positions one per partition, in partition order, each >= 0
     */
    public GroupDescription reset(String group, List<Long> positions) {
        CursorNames.check("group", group);
        checkPositions(positions);
        return cursors.locked(() -> {
            Instant now = cursors.now();
            Optional<CursorRecord> saved = cursors.load(group);
            saved.ifPresent(s -> CursorStore.requireKind(s, CursorKind.GROUP));
            if (saved.isEmpty()) {
                requireRoomFor(group);
            }
            cursors.save(saved.map(s -> s.next(positions, now))
                    .orElseGet(() -> new CursorRecord(group, CursorKind.GROUP, 1, now, positions)));
            Table table = tables.get(group);
            if (table != null) {
                java.util.Arrays.fill(table.holders, null);
            }
            return describe(group).orElseThrow();
        });
    }

    /**
     * Creates the group at {@code positions} unless it exists (OCI's group cursor types say where a new group
     * starts; an existing group keeps its committed positions).
     *
     * @param positions one per partition, in partition order, each >= 0
     * @return whether this call created the group
     */
    public boolean createIfAbsent(String group, List<Long> positions) {
        CursorNames.check("group", group);
        checkPositions(positions);
        return cursors.locked(() -> {
            Optional<CursorRecord> saved = cursors.load(group);
            if (saved.isPresent()) {
                CursorStore.requireKind(saved.get(), CursorKind.GROUP);
                return false;
            }
            requireRoomFor(group);
            cursors.save(new CursorRecord(group, CursorKind.GROUP, 1, cursors.now(), positions));
            return true;
        });
    }

    /** Deletes the group: its committed positions, members and reservations. Harmless if there is none. */
    public void delete(String group) {
        CursorNames.check("group", group);
        cursors.locked(() -> {
            cursors.load(group).ifPresent(s -> CursorStore.requireKind(s, CursorKind.GROUP));
            cursors.remove(group);
            tables.remove(group);
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

    /** The group's table with {@code instance}'s live membership renewed by its timeout. */
    private Table renewed(String group, String instance, Instant now) {
        Table table = tables.get(group);
        Member member = table == null ? null : table.members.get(instance);
        if (member == null || !member.liveAt(now)) {
            throw new ReservationConflictException(group, instance, "instance \"" + instance + "\" of group \""
                    + group + "\" is not a live member: " + (member == null
                            ? "it has not joined, or its membership ended long ago"
                            : "its membership ended at " + member.until() + " (now " + now + ")")
                    + "; join again");
        }
        table.members.put(instance, new Member(now.plus(member.timeout()), member.timeout(), member.order()));
        return table;
    }

    private static void forgetEnded(Table table, Instant now) {
        table.members.values().removeIf(member -> !member.liveAt(now));
    }

    /**
     * Balances the partitions among the live members (see the class comment): ends the reservations of members
     * whose membership ended, takes partitions above their share from the others (highest first), and hands the
     * free ones out, earliest joiner first, each to its previous holder if that one is under its share.
     */
    private void balance(Table table, Instant now) {
        forgetEnded(table, now);
        List<String> live = new ArrayList<>(table.members.keySet());
        live.sort((a, b) -> Long.compare(table.members.get(a).order(), table.members.get(b).order()));
        if (live.isEmpty()) {
            return;
        }
        Map<String, Integer> share = new HashMap<>();
        Map<String, Integer> held = new HashMap<>();
        for (int i = 0; i < live.size(); i++) {
            share.put(live.get(i), partitions / live.size() + (i < partitions % live.size() ? 1 : 0));
            held.put(live.get(i), 0);
        }
        boolean[] owned = new boolean[partitions];
        for (int p = 0; p < partitions; p++) {
            Holder holder = table.holders[p];
            if (holder != null && held.containsKey(holder.instance())
                    && held.get(holder.instance()) < share.get(holder.instance())) {
                owned[p] = true;
                held.merge(holder.instance(), 1, Integer::sum);
            }
        }
        for (int p = 0; p < partitions; p++) {
            if (owned[p]) {
                continue;
            }
            Holder previous = table.holders[p];
            String taker = previous != null && held.containsKey(previous.instance())
                    && held.get(previous.instance()) < share.get(previous.instance()) ? previous.instance() : null;
            for (int i = 0; taker == null && i < live.size(); i++) {
                if (held.get(live.get(i)) < share.get(live.get(i))) {
                    taker = live.get(i);
                }
            }
            if (taker == null) {
                table.holders[p] = null; // more partitions than shares cannot happen; kept safe
                continue;
            }
            held.merge(taker, 1, Integer::sum);
            if (previous == null || !previous.instance().equals(taker)) {
                table.holders[p] = new Holder(taker, nextEpoch++);
            }
        }
    }

    private List<Reservation> reservations(String group, String instance, Table table, CursorRecord saved) {
        List<Reservation> held = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            Holder holder = table.holders[p];
            if (holder != null && holder.instance().equals(instance)) {
                held.add(reservation(group, instance, p, table, saved));
            }
        }
        return List.copyOf(held);
    }

    private Reservation reservation(String group, String instance, int partition, Table table, CursorRecord saved) {
        return new Reservation(group, instance, partition, table.members.get(instance).until(),
                fitted(saved).positions().get(partition), saved.generation(), table.holders[partition].epoch());
    }

    private CursorRecord loadOrCreate(String group, Instant now) {
        Optional<CursorRecord> saved = cursors.load(group);
        if (saved.isPresent()) {
            return fitted(saved.get());
        }
        requireRoomFor(group);
        return cursors.save(new CursorRecord(group, CursorKind.GROUP, 1, now, zeros()));
    }

    /** Refuses a new group when the stream has {@link #MAX_GROUPS} already. */
    private void requireRoomFor(String group) {
        long groups = cursors.list().stream().filter(cursor -> cursor.kind() == CursorKind.GROUP).count();
        if (groups >= maxGroups) {
            throw new IllegalArgumentException("group \"" + group + "\" cannot be created: the stream has " + groups
                    + " consumer groups, the most a stream may have (" + maxGroups + ")");
        }
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

    private void checkPositions(List<Long> positions) {
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
    }

    private void checkPartition(int partition) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " is out of range 0.." + (partitions - 1));
        }
    }
}
