package io.github.edgestream.core.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The worked example of {@link RecordFormat}'s Javadoc. */
class RecordFormatTest {

    @Test
    void theWorkedExampleAccountsTwentySixBytes() {
        assertThat(RecordFormat.recordSize(2)).isEqualTo(26);
        assertThat(RecordFormat.OVERHEAD).isEqualTo(RecordFormat.HEADER + 4);
    }

    @Test
    void theChecksumCoversLittleEndianSequenceAndTimeThenThePayload() {
        ByteBuffer payload = ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII));
        byte[] covered = HexFormat.of().parseHex("0700000000000000" + "0068e5cf8b010000" + "6869");
        CRC32C expected = new CRC32C();
        expected.update(covered);

        int checksum = RecordFormat.checksum(7, 1_700_000_000_000L, payload);

        assertThat(checksum).isEqualTo((int) expected.getValue());
        assertThat(payload.remaining()).as("the payload is not consumed").isEqualTo(2);
        assertThat(ByteBuffer.wrap(covered, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(1_700_000_000_000L);
    }

    @Test
    void anyChangedByteChangesTheChecksum() {
        int base = RecordFormat.checksum(7, 1_700_000_000_000L, ByteBuffer.wrap(new byte[] {1, 2, 3}));

        assertThat(RecordFormat.checksum(8, 1_700_000_000_000L, ByteBuffer.wrap(new byte[] {1, 2, 3}))).isNotEqualTo(base);
        assertThat(RecordFormat.checksum(7, 1_700_000_000_001L, ByteBuffer.wrap(new byte[] {1, 2, 3}))).isNotEqualTo(base);
        assertThat(RecordFormat.checksum(7, 1_700_000_000_000L, ByteBuffer.wrap(new byte[] {1, 2, 4}))).isNotEqualTo(base);
    }
}
