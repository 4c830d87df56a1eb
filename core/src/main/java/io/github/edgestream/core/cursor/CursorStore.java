package io.github.edgestream.core.cursor;

import io.github.edgestream.core.stream.Checkpoints;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable named cursors of one stream: where each local consumer has got to, moved by compare-and-set. Each
 * cursor is a record {@code cursor.<name>} in the stream's {@link Checkpoints} (format in {@link CursorRecord}), so
 * it is as durable as they are (on disk and atomic for file streams, in memory for memory streams) and is deleted
 * with the stream. {@link #list} also shows each export's progress ({@code export.<identifier>}) as a read-only
 * {@link CursorKind#EXPORT} cursor, and each {@link ConsumerGroups consumer group} as a {@link CursorKind#GROUP}
 * cursor, so that describe and metrics can treat every reader of the stream alike.
 *
 * <p>Callers: whoever serves consumers of the stream (the IPC layer), from any thread. Make exactly one instance
 * per stream (and one {@link ConsumerGroups} over it): compare-and-set is serialised by this instance's lock, so
 * two instances over the same {@code Checkpoints} would not exclude each other.
 *
 * <p><b>Errors.</b> {@link IllegalArgumentException}: an invalid name ({@value CursorNames#RULE}) or a negative
 * position, or a commit that would move the cursor back; {@link CursorConflictException}: the expected generation
 * is not the cursor's; {@link IllegalStateException}: the name belongs to a consumer group (move it through
 * {@link ConsumerGroups}), or its record is damaged; {@link StoreWriteException}: the record could not be written
 * (the old one stays); {@link StreamNotFoundException}: the stream was deleted. A failed call changes nothing, so
 * any call may be repeated; a repeated commit fails with a conflict once the first one went through.
 *
 * <p><b>Thread-safe.</b> One lock per store serialises every write (the read, the check and the save of a record,
 * including a file stream's fsync), so of concurrent commits with the same expected generation exactly one wins.
 * Reads ({@link #get}, {@link #list}) take no lock: {@code Checkpoints} hands out whole records.
 */
public final class CursorStore {

    private static final Logger LOG = LoggerFactory.getLogger(CursorStore.class);

    private final Checkpoints checkpoints;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    /** The stream's next sequence number, bounding positions; null when unbounded (reading only, tests). */
    private final LongSupplier streamNext;

    /** Cursors whose positions are not checked against a stream (for reading them, and for tests). */
    public CursorStore(Checkpoints checkpoints, Clock clock) {
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.streamNext = null;
    }

    /**
     * Cursors of one stream whose next sequence number {@code streamNext} gives: a position beyond it is refused,
     * and a saved position counts as {@link Checkpoints#ISSUED} (every number below it existed), so that a power cut
     * that takes unsynced messages cannot make the stream hand out numbers a consumer has already read past.
     */
    public CursorStore(Checkpoints checkpoints, Clock clock, LongSupplier streamNext) {
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.streamNext = Objects.requireNonNull(streamNext, "streamNext");
    }

    /**
     * @throws IllegalArgumentException if this store is bound to a stream and {@code position} is beyond its next
     *                                  sequence number
     */
    void checkWithinStream(String field, long position) {
        if (streamNext != null) {
            long next = streamNext.getAsLong();
            if (position > next) {
                throw new IllegalArgumentException(field + " is " + position + " but the stream's next sequence"
                        + " number is " + next + "; a cursor cannot point past what the stream holds");
            }
        }
    }

    /**
     * The consumer or group cursor of that name; exports are not looked up here (their identifiers are another
     * namespace), only {@link #list}ed.
     */
    public Optional<Cursor> get(String name) {
        CursorNames.check("cursor name", name);
        return load(name).map(CursorRecord::cursor);
    }

    /**
     * Every cursor of the stream, consumers, groups and exports, sorted by name (then kind: a consumer and an export
     * may share a name). A damaged record is left out and logged.
     */
    public List<Cursor> list() {
        List<Cursor> cursors = new ArrayList<>();
        for (String record : checkpoints.names()) {
            try {
                if (record.startsWith(CursorNames.RECORD_PREFIX)) {
                    String name = record.substring(CursorNames.RECORD_PREFIX.length());
                    load(name).ifPresent(saved -> cursors.add(saved.cursor()));
                } else if (record.startsWith(CursorNames.EXPORT_PREFIX)) {
                    String identifier = record.substring(CursorNames.EXPORT_PREFIX.length());
                    checkpoints.load(record).ifPresent(values -> cursors.add(exportCursor(identifier, values)));
                }
            } catch (RuntimeException damaged) {
                if (damaged instanceof StreamNotFoundException) {
                    throw damaged;
                }
                LOG.warn("checkpoint {} left out of the cursors: {}", record, damaged.toString());
            }
        }
        cursors.sort(Comparator.comparing(Cursor::name).thenComparing(Cursor::kind));
        return List.copyOf(cursors);
    }

    /**
     * Moves a consumer's cursor to {@code position} if its generation is still {@code expectedGeneration} (0 for
     * a cursor that does not exist yet: that creates it). The position may stay where it is but never goes back.
     *
     * @return the cursor as saved, its generation one higher
     * @throws CursorConflictException the cursor's generation is not {@code expectedGeneration}
     * @throws IllegalArgumentException {@code position} is below the cursor's (use {@link #reset}), negative, or
     *         the name is invalid
     */
    public Cursor commit(String name, long position, long expectedGeneration) {
        CursorNames.check("cursor name", name);
        CursorNames.checkPosition("position", position);
        checkWithinStream("position", position);
        if (expectedGeneration < 0) {
            throw new IllegalArgumentException("expectedGeneration " + expectedGeneration
                    + " is negative (0 creates the cursor)");
        }
        return locked(() -> {
            Optional<CursorRecord> saved = load(name);
            long generation = saved.map(CursorRecord::generation).orElse(0L);
            if (generation != expectedGeneration) {
                throw new CursorConflictException(name, expectedGeneration, generation,
                        saved.map(s -> OptionalLong.of(s.position())).orElse(OptionalLong.empty()));
            }
            saved.ifPresent(s -> requireKind(s, CursorKind.CONSUMER));
            if (saved.isPresent() && position < saved.get().position()) {
                throw new IllegalArgumentException("cursor \"" + name + "\": position " + position
                        + " is below its position " + saved.get().position()
                        + "; commits only move forward, reset moves back");
            }
            return save(saved.map(s -> s.next(List.of(position), now()))
                    .orElseGet(() -> CursorRecord.consumer(name, 1, now(), position))).cursor();
        });
    }

    /**
     * Sets a consumer's cursor to {@code position}, forward or back, whatever its generation; creates it if absent.
     *
     * @return the cursor as saved, its generation one higher
     */
    public Cursor reset(String name, long position) {
        CursorNames.check("cursor name", name);
        CursorNames.checkPosition("position", position);
        checkWithinStream("position", position);
        return locked(() -> {
            Optional<CursorRecord> saved = load(name);
            saved.ifPresent(s -> requireKind(s, CursorKind.CONSUMER));
            return save(saved.map(s -> s.next(List.of(position), now()))
                    .orElseGet(() -> CursorRecord.consumer(name, 1, now(), position))).cursor();
        });
    }

    /**
     * Deletes a consumer's cursor; harmless if there is none. A later commit recreates it with expected generation
     * 0. A damaged record is deleted too.
     */
    public void delete(String name) {
        CursorNames.check("cursor name", name);
        locked(() -> {
            // the raw kind only: a damaged consumer record must stay deletable
            Optional<Map<String, String>> values = checkpoints.load(CursorNames.recordName(name));
            if (values.isPresent() && CursorKind.GROUP.name().equals(values.get().get("kind"))) {
                throw wrongKind(name, CursorKind.GROUP, CursorKind.CONSUMER);
            }
            checkpoints.delete(CursorNames.recordName(name));
            return null;
        });
    }

    // ---------------------------------------------------------------------------- for ConsumerGroups, same package

    /** Runs {@code action} under this store's lock (the one lock of the stream's cursors and groups). */
    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    Optional<CursorRecord> load(String name) {
        return checkpoints.load(CursorNames.recordName(name)).map(values -> CursorRecord.parse(name, values));
    }

    CursorRecord save(CursorRecord cursor) {
        Map<String, String> values = cursor.toValues();
        if (streamNext != null && cursor.positions().size() == 1 && cursor.positions().get(0) > 0) {
            // positions of one stream (not a group over several partitions): numbers below were handed out
            values.put(Checkpoints.ISSUED, Long.toString(cursor.positions().get(0)));
        }
        checkpoints.save(CursorNames.recordName(cursor.name()), values);
        return cursor;
    }

    void remove(String name) {
        checkpoints.delete(CursorNames.recordName(name));
    }

    Instant now() {
        return clock.instant();
    }

    static void requireKind(CursorRecord cursor, CursorKind kind) {
        if (cursor.kind() != kind) {
            throw wrongKind(cursor.name(), cursor.kind(), kind);
        }
    }

    private static IllegalStateException wrongKind(String name, CursorKind actual, CursorKind wanted) {
        return new IllegalStateException("cursor \"" + name + "\" is a " + actual + " cursor, not a " + wanted
                + (actual == CursorKind.GROUP ? "; move it through ConsumerGroups" : "; choose another group name"));
    }

    /** An export's progress record as a cursor: position = its {@code next} (see ExportProgress). */
    private static Cursor exportCursor(String identifier, Map<String, String> values) {
        String next = values.get("next");
        if (next == null) {
            throw new IllegalStateException("export progress has no \"next\": " + values);
        }
        String lastExport = values.get("lastExportTime");
        return new Cursor(identifier, CursorKind.EXPORT, Long.parseLong(next), 0,
                lastExport == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(lastExport)));
    }
}
