package io.github.edgestream.api.oci;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.http.auth.HmacSeal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Cursors: opaque to clients, URL-safe, tamper-evident and expiring. A cursor is a position in a stream signed with
 * the daemon's secret, so that a client cannot forge one (to read a stream its credential may not, or to commit a
 * group position it was never given), and dated so that it expires {@link #TTL} after it was issued, as OCI's do
 * when unused (every GetMessages hands out a fresh one in {@code opc-next-cursor}).
 *
 * <pre>
 *   version (1) | kind (1) | issued at, epoch ms (8) | stream created at, epoch ms (8)
 *   | namespace length (1) | namespace, UTF-8 | name length (2) | stream name, UTF-8
 *   | kind 1, a partition: partition (2) | position (8)
 *   | kind 2, a group instance: group length (1) | group | instance length (1) | instance | timeout ms (4)
 *       | commit on get (1) | next partition to read first (2) | count (2) | count × (partition (2) | epoch (8)
 *       | position (8))
 *   | HMAC-SHA256 of all before, first 16 bytes ({@link HmacSeal})
 * </pre>
 *
 * encoded as unpadded base64url (only {@code A-Z a-z 0-9 - _}: the Node SDK puts cursors in the query string without
 * encoding them, the Java SDK encodes them, and both arrive intact). The creation time ties a cursor to one life of
 * the stream: after a delete and re-create of the same name, old cursors are refused.
 *
 * <p>Thread-safe.
 */
final class OciCursors {

    /** How long a cursor may be used after it was issued, as on OCI. */
    static final Duration TTL = Duration.ofMinutes(5);
    /** The longest cursor accepted (a group cursor holding 256 partitions is about 6,400 characters). */
    static final int MAX_LENGTH = 8192;

    private static final int VERSION = 1;
    private static final int PARTITION = 1;
    private static final int GROUP = 2;

    private final HmacSeal seal;
    private final Clock clock;

    OciCursors(byte[] secret, Clock clock) {
        this.seal = new HmacSeal(secret);
        this.clock = clock;
    }

    /** The stream a cursor reads, in one of its lives. */
    record Target(Namespace namespace, String stream, long streamCreatedMillis) {
    }

    /** A position in one partition. */
    record PartitionCursor(Target target, int partition, long position) {
    }

    /** Where a group instance has read to in each partition it held, under that partition's reservation epoch. */
    record Held(int partition, long epoch, long position) {
    }

    /** A group instance's cursor. */
    record GroupCursor(Target target, String group, String instance, int timeoutMillis, boolean commitOnGet,
            int nextFirst, List<Held> held) {

        GroupCursor {
            held = List.copyOf(held);
        }

        GroupCursor with(List<Held> value, int first) {
            return new GroupCursor(target, group, instance, timeoutMillis, commitOnGet, first, value);
        }
    }

    /** A decoded cursor: exactly one of the two is set. */
    record Decoded(PartitionCursor partition, GroupCursor group) {
        Target target() {
            return partition != null ? partition.target() : group.target();
        }
    }

    String issue(PartitionCursor cursor) {
        ByteBuffer out = header(PARTITION, cursor.target(), 10);
        out.putShort((short) cursor.partition()).putLong(cursor.position());
        return seal(out);
    }

    String issue(GroupCursor cursor) {
        byte[] group = cursor.group().getBytes(StandardCharsets.UTF_8);
        byte[] instance = cursor.instance().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = header(GROUP, cursor.target(), 2 + group.length + instance.length + 9
                + 18 * cursor.held().size());
        out.put((byte) group.length).put(group).put((byte) instance.length).put(instance)
                .putInt(cursor.timeoutMillis()).put((byte) (cursor.commitOnGet() ? 1 : 0))
                .putShort((short) cursor.nextFirst()).putShort((short) cursor.held().size());
        for (Held held : cursor.held()) {
            out.putShort((short) held.partition()).putLong(held.epoch()).putLong(held.position());
        }
        return seal(out);
    }

    private ByteBuffer header(int kind, Target target, int body) {
        byte[] ns = target.namespace().value().getBytes(StandardCharsets.UTF_8);
        byte[] name = target.stream().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(2 + 16 + 1 + ns.length + 2 + name.length + body);
        out.put((byte) VERSION).put((byte) kind).putLong(clock.millis()).putLong(target.streamCreatedMillis())
                .put((byte) ns.length).put(ns).putShort((short) name.length).put(name);
        return out;
    }

    private String seal(ByteBuffer out) {
        return seal.seal(out.array(), out.position());
    }

    /**
     * @throws OciException 400 InvalidParameter if it is not a cursor this daemon issued (or was changed) or it
     *                      expired
     */
    Decoded read(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            throw OciException.missing("cursor");
        }
        if (cursor.length() > MAX_LENGTH) {
            throw OciException.invalid("cursor is " + cursor.length() + " characters, more than any this gateway"
                    + " issues (" + MAX_LENGTH + ")");
        }
        byte[] bytes = seal.open(cursor).orElseThrow(OciCursors::invalid);
        if (bytes.length < 2 + 16 + 1 + 2 || bytes[0] != VERSION) {
            throw invalid();
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            in.get();
            int kind = in.get();
            long issued = in.getLong();
            long created = in.getLong();
            String ns = text(in, in.get() & 0xff);
            String name = text(in, in.getShort() & 0xffff);
            long now = clock.millis();
            if (now - issued > TTL.toMillis()) {
                throw OciException.invalid("the cursor expired: it was issued at " + Instant.ofEpochMilli(issued)
                        + " and cursors may be used for " + TTL.toMinutes() + " minutes (now "
                        + Instant.ofEpochMilli(now) + "); create a new one");
            }
            Target target = new Target(Namespace.of(ns), name, created);
            if (kind == PARTITION) {
                PartitionCursor p = new PartitionCursor(target, in.getShort() & 0xffff, in.getLong());
                requireEnd(in);
                return new Decoded(p, null);
            }
            if (kind != GROUP) {
                throw invalid();
            }
            String group = text(in, in.get() & 0xff);
            String instance = text(in, in.get() & 0xff);
            int timeout = in.getInt();
            boolean commitOnGet = in.get() == 1;
            int first = in.getShort() & 0xffff;
            int count = in.getShort() & 0xffff;
            List<Held> held = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                held.add(new Held(in.getShort() & 0xffff, in.getLong(), in.getLong()));
            }
            requireEnd(in);
            return new Decoded(null, new GroupCursor(target, group, instance, timeout, commitOnGet, first, held));
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static void requireEnd(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw invalid();
        }
    }

    private static String text(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static OciException invalid() {
        return OciException.invalid("the cursor is not valid: it was not issued by this gateway, or it was changed");
    }
}
