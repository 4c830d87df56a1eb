package io.github.edgestream.fault;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * What a fault test sent to one stream and what the daemon acknowledged, and the check of what the stream holds.
 *
 * <p>Every payload describes itself, so any message read back can be checked even if its append was never
 * acknowledged (it was in flight at the crash):
 * <pre>
 *   0      8       12                 12+n    16+n
 *   | id   | n     | body (n bytes)   | crc32c of bytes 0..12+n |
 *   body = SplittableRandom(id) bytes; id = stream tag (16 bits) | attempt number (48 bits), big-endian
 * </pre>
 * Acknowledged appends are kept as sequence number → id in a growing array, so millions fit in memory.
 *
 * <p>Thread-safe for {@link #acknowledged}; {@link #check} runs on one thread.
 */
final class Ledger {

    private final String stream;
    private final long tag;
    private long nextAttempt;
    private long[] ids = new long[1 << 16];   // sequence number → id; 0: not acknowledged
    private long acknowledged;
    private long highestAcknowledged = -1;

    Ledger(String stream, int tag) {
        this.stream = stream;
        this.tag = (long) tag << 48;
    }

    String stream() {
        return stream;
    }

    /** The next payload to send, with its id. */
    synchronized Payload next() {
        long id = tag | ++nextAttempt;
        return new Payload(id, payload(id));
    }

    record Payload(long id, byte[] bytes) {
    }

    static byte[] payload(long id) {
        SplittableRandom random = new SplittableRandom(id);
        int n = 16 + random.nextInt(497);
        ByteBuffer out = ByteBuffer.allocate(16 + n);
        out.putLong(id).putInt(n);
        byte[] body = new byte[n];
        random.nextBytes(body);
        out.put(body);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, 12 + n);
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** The id a payload claims, if it is whole and is exactly what that id generates; else -1. */
    static long idOf(byte[] bytes) {
        if (bytes.length < 16) {
            return -1;
        }
        long id = ByteBuffer.wrap(bytes).getLong();
        return Arrays.equals(bytes, payload(id)) ? id : -1;
    }

    synchronized void acknowledged(long sequenceNumber, long id) {
        if (sequenceNumber >= ids.length) {
            ids = Arrays.copyOf(ids, (int) Math.max(ids.length * 2L, sequenceNumber + 1));
        }
        if (ids[(int) sequenceNumber] != 0 && ids[(int) sequenceNumber] != id) {
            throw new AssertionError(stream + ": sequence number " + sequenceNumber + " acknowledged twice, for "
                    + Long.toHexString(ids[(int) sequenceNumber]) + " and " + Long.toHexString(id));
        }
        ids[(int) sequenceNumber] = id;
        acknowledged++;
        highestAcknowledged = Math.max(highestAcknowledged, sequenceNumber);
    }

    /**
     * Forgets the acknowledgements above {@code sequenceNumber}: they were lost (a power cut took what was not yet
     * synced) and the daemon will give their sequence numbers to new messages. Returns how many were forgotten.
     */
    synchronized long forgetAbove(long sequenceNumber) {
        long forgotten = 0;
        for (long s = Math.max(0, sequenceNumber + 1); s < ids.length; s++) {
            if (ids[(int) s] != 0) {
                ids[(int) s] = 0;
                forgotten++;
            }
        }
        acknowledged -= forgotten;
        highestAcknowledged = Math.min(highestAcknowledged, sequenceNumber);
        return forgotten;
    }

    /**
     * Forgets the acknowledgements of messages the stream no longer holds (a power cut took them before they were
     * synced). Returns how many.
     */
    long forgetMissing(StreamManagerClient client) throws Exception {
        var description = client.describeMessageStream(stream).get(30, TimeUnit.SECONDS);
        java.util.BitSet present = new java.util.BitSet();
        for (long next = description.oldestSequenceNumber(); next <= description.newestSequenceNumber(); ) {
            List<Message> messages = client.readMessages(stream, next, 1, 2000, Duration.ZERO)
                    .get(60, TimeUnit.SECONDS);
            for (Message message : messages) {
                present.set((int) message.sequenceNumber());
                next = message.sequenceNumber() + 1;
            }
        }
        long forgotten = 0;
        synchronized (this) {
            for (int s = 0; s < ids.length; s++) {
                if (ids[s] != 0 && !present.get(s)) {
                    ids[s] = 0;
                    forgotten++;
                }
            }
            acknowledged -= forgotten;
        }
        return forgotten;
    }

    /** The id acknowledged at {@code sequenceNumber}, or 0. */
    synchronized long idAt(long sequenceNumber) {
        return sequenceNumber < ids.length ? ids[(int) sequenceNumber] : 0;
    }

    synchronized long acknowledgedCount() {
        return acknowledged;
    }

    synchronized long highestAcknowledged() {
        return highestAcknowledged;
    }

    /** What a check found. */
    record Check(long read, long acknowledgedFound, long unacknowledgedFound, long acknowledgedMissing,
            long corrupt, long holes) {
        boolean clean() {
            return acknowledgedMissing == 0 && corrupt == 0 && holes == 0;
        }
    }

    /**
     * Reads the stream from {@code from} to its newest message and checks it: no holes in the sequence numbers,
     * every payload whole and self-consistent, and every acknowledged message at its sequence number with its own
     * bytes. With {@code requireAcknowledged}, every acknowledged message from {@code from} on must be there.
     */
    Check check(StreamManagerClient client, long from, boolean requireAcknowledged) throws Exception {
        var description = client.describeMessageStream(stream).get(30, TimeUnit.SECONDS);
        long newest = description.newestSequenceNumber();
        long next = Math.max(from, description.oldestSequenceNumber());
        long read = 0;
        long found = 0;
        long unacknowledged = 0;
        long corrupt = 0;
        long holes = 0;
        long[] acked;
        synchronized (this) {
            acked = ids.clone();
        }
        while (next <= newest) {
            List<Message> messages = client.readMessages(stream, next, 1, 2000, Duration.ZERO)
                    .get(60, TimeUnit.SECONDS);
            for (Message message : messages) {
                if (message.sequenceNumber() != next) {
                    holes += message.sequenceNumber() - next;
                }
                long id = idOf(message.payload());
                long expected = message.sequenceNumber() < acked.length ? acked[(int) message.sequenceNumber()] : 0;
                if (id < 0 || (expected != 0 && id != expected)) {
                    corrupt++;
                } else if (expected != 0) {
                    found++;
                } else {
                    unacknowledged++;
                }
                read++;
                next = message.sequenceNumber() + 1;
            }
        }
        long missing = 0;
        if (requireAcknowledged) {
            long expectedAcknowledged = 0;
            for (long s = Math.max(0, from); s < acked.length; s++) {
                if (acked[(int) s] != 0) {
                    expectedAcknowledged++;
                }
            }
            missing = expectedAcknowledged - found;
        }
        return new Check(read, found, unacknowledged, missing, corrupt, holes);
    }
}
