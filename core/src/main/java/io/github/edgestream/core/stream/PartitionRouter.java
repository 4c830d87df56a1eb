package io.github.edgestream.core.stream;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Routes records of a partitioned stream to its partitions the way Kinesis routes them to shards: a record's hash
 * key is the MD5 of its partition key (UTF-8) read as an unsigned 128-bit integer, or an explicit hash key the
 * producer gives; the 128-bit space is split evenly, partition {@code i} owning
 * {@code [i·w, (i+1)·w − 1]} with {@code w = ⌊2^128 / n⌋}, and the last partition everything up to
 * {@code 2^128 − 1}. These are the ranges Kinesis (and kinesalite) give the shards of a new stream, so a client that
 * computes where a key goes finds it there.
 *
 * <p>Immutable and thread-safe.
 */
public final class PartitionRouter {

    /** The most partitions a stream may have. */
    public static final int MAX_PARTITIONS = 256;

    private static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);
    private static final BigInteger MAX_HASH_KEY = SPACE.subtract(BigInteger.ONE);

    private final int partitions;
    private final BigInteger width;

    private PartitionRouter(int partitions) {
        this.partitions = partitions;
        this.width = SPACE.divide(BigInteger.valueOf(partitions));
    }

    /**
     * A router over {@code partitions} even ranges.
     *
     * @throws IllegalArgumentException unless {@code 1 <= partitions <= MAX_PARTITIONS}
     */
    public static PartitionRouter even(int partitions) {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions is " + partitions + " but must be between 1 and "
                    + MAX_PARTITIONS);
        }
        return new PartitionRouter(partitions);
    }

    public int partitions() {
        return partitions;
    }

    /** The hash key of a partition key: MD5 of its UTF-8 bytes, unsigned. */
    public static BigInteger hashKeyOf(String partitionKey) {
        return hashKeyOf(partitionKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The hash key of a key's bytes: their MD5, unsigned. */
    public static BigInteger hashKeyOf(byte[] key) {
        try {
            return new BigInteger(1, MessageDigest.getInstance("MD5").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    /** The partition of a record with this partition key. */
    public int partitionOf(String partitionKey) {
        return partitionOfHashKey(hashKeyOf(partitionKey));
    }

    /** The partition of a record with this key (bytes). */
    public int partitionOf(byte[] key) {
        return partitionOfHashKey(hashKeyOf(key));
    }

    /**
     * The partition owning an explicit hash key.
     *
     * @throws IllegalArgumentException if the key is outside {@code [0, 2^128 − 1]}
     */
    public int partitionOfHashKey(BigInteger hashKey) {
        if (hashKey.signum() < 0 || hashKey.compareTo(MAX_HASH_KEY) > 0) {
            throw new IllegalArgumentException("hash key " + hashKey + " is outside 0 to " + MAX_HASH_KEY);
        }
        return Math.min(hashKey.divide(width).intValueExact(), partitions - 1);
    }

    /** The first hash key partition {@code i} owns. */
    public BigInteger startingHashKey(int partition) {
        check(partition);
        return width.multiply(BigInteger.valueOf(partition));
    }

    /** The last hash key partition {@code i} owns. */
    public BigInteger endingHashKey(int partition) {
        check(partition);
        return partition == partitions - 1 ? MAX_HASH_KEY
                : width.multiply(BigInteger.valueOf(partition + 1L)).subtract(BigInteger.ONE);
    }

    private void check(int partition) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition is " + partition + " but must be between 0 and "
                    + (partitions - 1));
        }
    }
}
