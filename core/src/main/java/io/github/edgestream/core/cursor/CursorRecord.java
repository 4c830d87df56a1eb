package io.github.edgestream.core.cursor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A consumer's or a group's cursor as saved in the stream's {@code Checkpoints}: a string map under the record
 * name {@code cursor.<name>}.
 *
 * <pre>
 * cursor.reader-1                       cursor.orders-app
 *   kind=CONSUMER                         kind=GROUP
 *   position=1500                         partitions=3         how many position.N follow
 *   generation=7                          position.0=1500      committed position of partition 0
 *   updatedAt=1767225600000               position.1=0
 *                                         position.2=980
 *                                         generation=12
 *                                         updatedAt=1767225600000
 * </pre>
 *
 * {@code generation} counts the writes (0 means absent); {@code updatedAt} is epoch milliseconds. The record
 * carries no {@code issued} key: a cursor's position is not checked against the stream's end, so it cannot vouch
 * that those sequence numbers were handed out. Immutable.
 *
 * @param positions one for a consumer, one per partition for a group
 */
record CursorRecord(String name, CursorKind kind, long generation, Instant updatedAt, List<Long> positions) {

    CursorRecord {
        Objects.requireNonNull(name, "name");
        if (kind == CursorKind.EXPORT) {
            throw new IllegalArgumentException("cursor \"" + name + "\": EXPORT cursors are not saved here");
        }
        if (generation < 1) {
            throw new IllegalArgumentException("cursor \"" + name + "\": generation " + generation + " is below 1");
        }
        positions = List.copyOf(positions);
        if (positions.isEmpty() || (kind == CursorKind.CONSUMER && positions.size() != 1)) {
            throw new IllegalArgumentException("cursor \"" + name + "\": " + positions.size() + " positions for a "
                    + kind);
        }
    }

    static CursorRecord consumer(String name, long generation, Instant updatedAt, long position) {
        return new CursorRecord(name, CursorKind.CONSUMER, generation, updatedAt, List.of(position));
    }

    /** The lowest position: for a group, everything below it is consumed on every partition. */
    long position() {
        return Collections.min(positions);
    }

    Cursor cursor() {
        return new Cursor(name, kind, position(), generation, updatedAt);
    }

    /** This record one write later: {@code positions} replaced, generation + 1. */
    CursorRecord next(List<Long> newPositions, Instant at) {
        return new CursorRecord(name, kind, generation + 1, at, newPositions);
    }

    Map<String, String> toValues() {
        var values = new LinkedHashMap<String, String>();
        values.put("kind", kind.name());
        if (kind == CursorKind.CONSUMER) {
            values.put("position", Long.toString(positions.get(0)));
        } else {
            values.put("partitions", Integer.toString(positions.size()));
            for (int p = 0; p < positions.size(); p++) {
                values.put("position." + p, Long.toString(positions.get(p)));
            }
        }
        values.put("generation", Long.toString(generation));
        values.put("updatedAt", Long.toString(updatedAt.toEpochMilli()));
        return values;
    }

    /**
     * Reads a saved record.
     *
     * @throws IllegalStateException the record is damaged (a key missing or not a number, an unknown kind)
     */
    static CursorRecord parse(String name, Map<String, String> values) {
        try {
            CursorKind kind = CursorKind.valueOf(values.get("kind"));
            long generation = Long.parseLong(values.get("generation"));
            Instant updatedAt = Instant.ofEpochMilli(Long.parseLong(values.get("updatedAt")));
            List<Long> positions = new ArrayList<>();
            if (kind == CursorKind.CONSUMER) {
                positions.add(Long.parseLong(values.get("position")));
            } else {
                int partitions = Integer.parseInt(values.get("partitions"));
                for (int p = 0; p < partitions; p++) {
                    positions.add(Long.parseLong(values.get("position." + p)));
                }
            }
            for (long position : positions) {
                CursorNames.checkPosition("position", position);
            }
            return new CursorRecord(name, kind, generation, updatedAt, positions);
        } catch (RuntimeException damaged) {
            throw new IllegalStateException("checkpoint " + CursorNames.recordName(name) + " is damaged (" + values
                    + "): " + damaged.getMessage(), damaged);
        }
    }
}
