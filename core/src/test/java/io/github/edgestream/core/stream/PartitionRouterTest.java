package io.github.edgestream.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Kinesis's routing, with worked values: MD5 of the partition key, ranges as Kinesis gives a new stream's shards
 * (kinesalite's createStream computes the same: width ⌊2^128/n⌋, the last shard up to 2^128 − 1).
 */
class PartitionRouterTest {

    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    @Test
    void theHashKeyIsTheUnsignedMd5OfThePartitionKey() {
        // md5("a") = 0cc175b9c0f1b6a831c399e269772661
        assertThat(PartitionRouter.hashKeyOf("a"))
                .isEqualTo(new BigInteger("0cc175b9c0f1b6a831c399e269772661", 16));
        // md5("abc") = 900150983cd24fb0d6963f7d28e17f72: high bit set, still positive
        assertThat(PartitionRouter.hashKeyOf("abc"))
                .isEqualTo(new BigInteger("900150983cd24fb0d6963f7d28e17f72", 16)).isPositive();
    }

    @Test
    void rangesSplitTheSpaceEvenlyAndTheLastEndsAtTheTop() {
        PartitionRouter router = PartitionRouter.even(3);
        BigInteger width = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(3));

        assertThat(router.startingHashKey(0)).isZero();
        assertThat(router.endingHashKey(0)).isEqualTo(width.subtract(BigInteger.ONE));
        assertThat(router.startingHashKey(1)).isEqualTo(width);
        assertThat(router.startingHashKey(2)).isEqualTo(width.multiply(BigInteger.TWO));
        assertThat(router.endingHashKey(2)).isEqualTo(MAX);
    }

    @Test
    void aKeyGoesToThePartitionWhoseRangeHoldsItsHashKey() {
        PartitionRouter router = PartitionRouter.even(4);
        assertThat(router.partitionOf("a")).isZero(); // 0x0c… is in the first quarter
        assertThat(router.partitionOf("abc")).isEqualTo(2); // 0x90… is in the third quarter
        for (int p = 0; p < 4; p++) {
            assertThat(router.partitionOfHashKey(router.startingHashKey(p))).isEqualTo(p);
            assertThat(router.partitionOfHashKey(router.endingHashKey(p))).isEqualTo(p);
        }
        assertThat(router.partitionOfHashKey(MAX)).isEqualTo(3);
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheLimits() {
        assertThatThrownBy(() -> PartitionRouter.even(0)).hasMessageContaining("between 1 and 256");
        assertThatThrownBy(() -> PartitionRouter.even(257)).hasMessageContaining("257");
        assertThatThrownBy(() -> PartitionRouter.even(2).partitionOfHashKey(MAX.add(BigInteger.ONE)))
                .hasMessageContaining("outside 0 to " + MAX);
        assertThatThrownBy(() -> PartitionRouter.even(2).endingHashKey(2)).hasMessageContaining("between 0 and 1");
    }

    @Test
    void oneThousandKeysSpreadOverEightPartitions() {
        PartitionRouter router = PartitionRouter.even(8);
        int[] counts = new int[8];
        for (int i = 0; i < 1000; i++) {
            counts[router.partitionOf("sensor-" + i)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(80, 170);
        }
    }
}
