package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.RecordLimits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The layout of one stored record, in two versions; a segment holds records of one version only (its metadata says
 * which; segments written before version 2 existed hold version 1).
 *
 * <pre>
 * Version 1 (Chronicle excerpt, little-endian, as Chronicle Bytes writes it):
 *
 * +--------+----------------+----------------+--------+----------------------+
 * | header | sequenceNumber | ingestTime     | crc32c | payload              |
 * | 4      | 8 (int64)      | 8 (int64, ms)  | 4      | n = length - 20      |
 * +--------+----------------+----------------+--------+----------------------+
 *   ^ written by Chronicle: length of the excerpt and its "complete" bit
 *
 * crc32c covers sequenceNumber, ingestTime and payload (crc field excluded).
 *
 * Version 2: version 1's first 20 bytes, then the "extension" (timestamp, flags, key, headers), then the payload:
 *
 * +--------+-----+--------+-----+-----------+-------+--------+--------+-----+---------------------+---------+
 * | header | seq | ingest | crc | timestamp | flags | keyLen | hdrCnt | key | headers             | payload |
 * | 4      | 8   | 8 (ms) | 4   | 8 (µs)    | 1     | 2 (u16)| 2 (u16)| k   | per header:         | rest    |
 * |        |     |        |     |           |       |        |        |     | nameLen 2 (u16),    |         |
 * |        |     |        |     |           |       |        |        |     | valueLen 4, name,   |         |
 * |        |     |        |     |           |       |        |        |     | value               |         |
 * +--------+-----+--------+-----+-----------+-------+--------+--------+-----+---------------------+---------+
 *
 * flags bit 0 (BATCH_CONTINUES): more records of the same atomic batch follow; the last record of a batch (and every
 * single record) has it clear. Recovery drops a trailing run of records with the bit set: a batch cut short by a
 * crash was never acknowledged, and is either wholly there or not at all.
 * crc32c covers seq and ingest, then everything after the crc field.
 * </pre>
 *
 * <p>Worked example, version 1: sequence 7, ingest time 1700000000000, payload "hi" (0x68 0x69) is the excerpt body
 * {@code 07 00 00 00 00 00 00 00 | 00 68 e5 cf 8b 01 00 00 | crc(4) | 68 69}, 22 bytes, which the store accounts as
 * 2 + {@value #OVERHEAD} = 26 bytes.
 *
 * <p>Worked example, version 2: the same record with timestamp 1700000000000123 µs, key "k" and header a=b is
 * {@code 07 00.. | 00 68 e5 cf 8b 01 00 00 | crc(4) | 7b 3d 2b 1a 3e 0a 06 00 | 00 | 01 00 | 01 00 | 6b |
 * 01 00 01 00 00 00 61 62 | 68 69}, 45 bytes, accounted as 2 + 1 + (6 + 2) + 24 = 35 bytes
 * ({@link RecordLimits#recordSize(AppendRecord)}: accounting does not depend on the version).
 *
 * <p>The sequence number is redundant with the excerpt's position; it lets readers and recovery detect a misplaced
 * or zeroed record. The CRC lets recovery detect a torn write (a page of the payload that never reached the disk).
 */
public final class RecordFormat {

    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;

    /** Bytes of our header inside the excerpt: sequence number, ingest time, CRC (both versions start so). */
    public static final int HEADER = 8 + 8 + 4;

    /** Fixed bytes of version 2's extension: timestamp, flags, key length, header count. */
    public static final int EXTENSION_FIXED = 8 + 1 + 2 + 2;

    /** Accounted bytes per message on top of its payload (and key and headers). */
    public static final int OVERHEAD = RecordLimits.RECORD_OVERHEAD;

    /** Flag: more records of the same atomic batch follow this one. */
    public static final int BATCH_CONTINUES = 1;

    private RecordFormat() {
    }

    private static final ThreadLocal<ByteBuffer> HEADER_SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN));

    /** Version 1's CRC32C: of the little-endian sequence number and ingest time, then the payload's remaining bytes. */
    public static int checksum(long sequence, long ingestTimeMillis, ByteBuffer payload) {
        CRC32C crc = start(sequence, ingestTimeMillis);
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    /** Version 2's CRC32C: sequence number and ingest time, then the extension, then the payload. */
    public static int checksum(long sequence, long ingestTimeMillis, ByteBuffer extension, ByteBuffer payload) {
        CRC32C crc = start(sequence, ingestTimeMillis);
        crc.update(extension.duplicate());
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    private static CRC32C start(long sequence, long ingestTimeMillis) {
        ByteBuffer header = HEADER_SCRATCH.get().clear();
        header.putLong(sequence).putLong(ingestTimeMillis).flip();
        CRC32C crc = new CRC32C();
        crc.update(header);
        return crc;
    }

    /** The size a message with this payload length (no key, no headers) occupies in the stream's accounting. */
    public static long recordSize(long payloadLength) {
        return RecordLimits.recordSize(payloadLength);
    }

    /** The accounted size of a stored message. */
    public static long recordSize(Message message) {
        return message.payload().length + RecordLimits.extraSize(message.key(), message.headers()) + OVERHEAD;
    }

    /** Bytes of version 2's extension for this key and these headers. */
    public static int extensionLength(byte[] key, List<Header> headers) {
        int length = EXTENSION_FIXED + key.length;
        for (Header header : headers) {
            length += 6 + header.name().length + header.value().length;
        }
        return length;
    }

    /**
     * Writes version 2's extension into {@code out} (little-endian) from its position, leaving it after the
     * extension. Limits are the caller's ({@link RecordLimits}): lengths must fit their fields.
     */
    public static void writeExtension(ByteBuffer out, long timestampMicros, int flags, byte[] key,
            List<Header> headers) {
        out.putLong(timestampMicros);
        out.put((byte) flags);
        out.putShort((short) key.length);
        out.putShort((short) headers.size());
        out.put(key);
        for (Header header : headers) {
            out.putShort((short) header.name().length);
            out.putInt(header.value().length);
            out.put(header.name());
            out.put(header.value());
        }
    }

    /** Version 2's extension fields, as read back. */
    public record Extension(long timestampMicros, int flags, byte[] key, List<Header> headers) {
        public boolean batchContinues() {
            return (flags & BATCH_CONTINUES) != 0;
        }
    }

    /**
     * Reads version 2's extension from {@code in} (little-endian), leaving it at the payload.
     *
     * @throws IllegalArgumentException if a length runs past the record (a damaged record)
     */
    public static Extension readExtension(ByteBuffer in) {
        if (in.remaining() < EXTENSION_FIXED) {
            throw new IllegalArgumentException("record too short for its extension: " + in.remaining() + " bytes");
        }
        long timestamp = in.getLong();
        int flags = in.get() & 0xff;
        int keyLength = in.getShort() & 0xffff;
        int headerCount = in.getShort() & 0xffff;
        byte[] key = bytes(in, keyLength, "key");
        List<Header> headers = headerCount == 0 ? List.of() : new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            if (in.remaining() < 6) {
                throw new IllegalArgumentException("record too short for header " + i);
            }
            int nameLength = in.getShort() & 0xffff;
            int valueLength = in.getInt();
            if (valueLength < 0) {
                throw new IllegalArgumentException("header " + i + " has a negative length");
            }
            byte[] name = bytes(in, nameLength, "header name");
            byte[] value = bytes(in, valueLength, "header value");
            headers.add(new Header(name, value));
        }
        return new Extension(timestamp, flags, key, headerCount == 0 ? headers : List.copyOf(headers));
    }

    private static byte[] bytes(ByteBuffer in, int length, String what) {
        if (length == 0) {
            return Message.NO_KEY;
        }
        if (length > in.remaining()) {
            throw new IllegalArgumentException(what + " of " + length + " bytes runs past the record");
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }
}
