package io.github.edgestream.core.stream.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The layout of one stored message, shared by both segment implementations so that file and memory streams account
 * identical sizes for identical messages.
 *
 * <pre>
 * Chronicle excerpt (little-endian, as Chronicle Bytes writes it):
 *
 * +--------+----------------+----------------+--------+----------------------+
 * | header | sequenceNumber | ingestTime     | crc32c | payload              |
 * | 4      | 8 (int64)      | 8 (int64, ms)  | 4      | n = length - 20      |
 * +--------+----------------+----------------+--------+----------------------+
 *   ^ written by Chronicle: length of the excerpt and its "complete" bit
 *
 * crc32c covers sequenceNumber, ingestTime and payload (20 + n - 4 bytes, crc field excluded).
 * </pre>
 *
 * <p>Worked example: sequence 7, ingest time 1700000000000, payload "hi" (0x68 0x69) is the excerpt body
 * {@code 07 00 00 00 00 00 00 00 | 00 68 e5 cf 8b 01 00 00 | crc(4) | 68 69}, 22 bytes, which the store accounts as
 * 2 + {@value #OVERHEAD} = 26 bytes.
 *
 * <p>The sequence number is redundant with the excerpt's position; it lets readers and recovery detect a misplaced
 * or zeroed record. The CRC lets recovery detect a torn write (a page of the payload that never reached the disk).
 */
public final class RecordFormat {

    /** Bytes of our header inside the excerpt: sequence number, ingest time, CRC. */
    public static final int HEADER = 8 + 8 + 4;

    /** Accounted bytes per message on top of its payload: our header plus Chronicle's 4-byte excerpt header. */
    public static final int OVERHEAD = HEADER + 4;

    private RecordFormat() {
    }

    private static final ThreadLocal<ByteBuffer> HEADER_SCRATCH =
            ThreadLocal.withInitial(() -> ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN));

    /** CRC32C of the little-endian sequence number and ingest time, then the payload's remaining bytes. */
    public static int checksum(long sequence, long ingestTimeMillis, ByteBuffer payload) {
        ByteBuffer header = HEADER_SCRATCH.get().clear();
        header.putLong(sequence).putLong(ingestTimeMillis).flip();
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(payload.duplicate());
        return (int) crc.getValue();
    }

    /** The size a message with this payload length occupies in the stream's accounting. */
    public static long recordSize(long payloadLength) {
        return payloadLength + OVERHEAD;
    }
}
