package io.github.edgestream.api.kinesis;

import io.github.edgestream.http.auth.HmacSeal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Shard iterators: opaque to clients, tamper-evident, expiring. An iterator is a position in a shard, signed with
 * the daemon's secret so that a client cannot forge one (to read a stream its credential may not, or a position
 * it never was given), and dated so that it expires like AWS's after {@link #TTL}.
 *
 * <pre>
 *   version 1 (1) | shard (2) | position (8) | issued at, epoch ms (8) | stream created at, epoch ms (8)
 *   | name length (1) | stream name, UTF-8 (1..128) | HMAC-SHA256 of all before, first 16 bytes ({@link HmacSeal})
 * </pre>
 *
 * encoded as unpadded base64url: 62 to 232 characters (AWS allows up to 512). The creation time ties an iterator
 * to one life of the stream: after a delete and re-create of the same name, old iterators are refused.
 *
 * <p>Thread-safe.
 */
final class ShardIterators {

    /** How long an iterator may be used after it was issued, as on AWS. */
    static final Duration TTL = Duration.ofMinutes(5);

    private static final int VERSION = 1;
    private static final int FIXED = 1 + 2 + 8 + 8 + 8 + 1;

    private final HmacSeal seal;
    private final Clock clock;

    ShardIterators(byte[] secret, Clock clock) {
        this.seal = new HmacSeal(secret);
        this.clock = clock;
    }

    /** A position in one shard of one stream. */
    record Position(String stream, int shard, long sequence, long streamCreatedMillis, long issuedMillis) {
    }

    String issue(String stream, int shard, long sequence, long streamCreatedMillis) {
        byte[] name = stream.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(FIXED + name.length);
        buffer.put((byte) VERSION).putShort((short) shard).putLong(sequence).putLong(clock.millis())
                .putLong(streamCreatedMillis).put((byte) name.length).put(name);
        return seal.seal(buffer.array(), buffer.position());
    }

    /**
     * @throws KinesisException InvalidArgumentException if it is not an iterator this daemon issued (or was
     *                          changed), ExpiredIteratorException if it is older than {@link #TTL}
     */
    Position read(String iterator) {
        if (iterator == null || iterator.isEmpty() || iterator.length() > 512) {
            throw KinesisException.validation("shardIterator", iterator == null ? "(absent)" : iterator,
                    "Member must have length between 1 and 512");
        }
        byte[] bytes = seal.open(iterator).orElseThrow(ShardIterators::invalid);
        if (bytes.length < FIXED + 1 || bytes[0] != VERSION) {
            throw invalid();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        int shard = buffer.getShort() & 0xffff;
        long sequence = buffer.getLong();
        long issued = buffer.getLong();
        long created = buffer.getLong();
        int nameLength = buffer.get() & 0xff;
        if (nameLength != buffer.remaining()) {
            throw invalid();
        }
        String stream = new String(bytes, FIXED, nameLength, StandardCharsets.UTF_8);
        long now = clock.millis();
        if (now - issued > TTL.toMillis()) {
            throw new KinesisException(KinesisErrorTable.EXPIRED_ITERATOR, "Iterator expired. The iterator was"
                    + " created at time " + java.time.Instant.ofEpochMilli(issued) + " while right now it is "
                    + java.time.Instant.ofEpochMilli(now) + " which is further in the future than the tolerated"
                    + " delay of " + TTL.toMillis() + " milliseconds.");
        }
        return new Position(stream, shard, sequence, created, issued);
    }

    private static KinesisException invalid() {
        return KinesisException.invalid("Invalid ShardIterator: it was not issued by this daemon or was changed");
    }
}
