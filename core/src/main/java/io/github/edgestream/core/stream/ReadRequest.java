package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import java.time.Duration;
import java.util.Objects;

/**
 * What a reader asks for (protocol section 12).
 *
 * @param desiredStartSequenceNumber first wanted sequence number; raised to the stream's oldest if older
 * @param minMessageCount            fewer than this many available means wait (or fail); at least 1
 * @param maxMessageCount            return at most this many; at least {@code minMessageCount}
 * @param timeout                    how long to wait for {@code minMessageCount}; zero answers at once
 * @param maxResponseSize            byte budget for the returned payloads plus {@code overheadPerMessage} each; the
 *                                   read returns fewer messages to stay under it (but never fewer than the minimum)
 * @param overheadPerMessage         what each message costs in the response besides its payload (the protocol
 *                                   layer's encoding of sequence number, time and stream name)
 * @param stopBeforeMicros           end of a time range: the read returns no record timestamped at or after this
 *                                   (epoch µs), and once such a record exists it answers at once with what lies
 *                                   before it, even fewer than {@code minMessageCount} (possibly none);
 *                                   {@code Long.MAX_VALUE} for no end
 */
public record ReadRequest(
        long desiredStartSequenceNumber,
        int minMessageCount,
        int maxMessageCount,
        Duration timeout,
        DataSize maxResponseSize,
        int overheadPerMessage,
        long stopBeforeMicros) {

    /** No byte budget: {@code Long.MAX_VALUE}. */
    public static final DataSize UNLIMITED = DataSize.ofBytes(Long.MAX_VALUE);

    public ReadRequest {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxResponseSize, "maxResponseSize");
        if (desiredStartSequenceNumber < 0) {
            throw new IllegalArgumentException("desiredStartSequenceNumber is " + desiredStartSequenceNumber
                    + " but must be at least 0");
        }
        if (minMessageCount < 1) {
            throw new IllegalArgumentException("minMessageCount is " + minMessageCount + " but must be at least 1");
        }
        if (maxMessageCount < minMessageCount) {
            throw new IllegalArgumentException("maxMessageCount is " + maxMessageCount
                    + " but must be at least minMessageCount (" + minMessageCount + ")");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout is " + timeout + " but must not be negative");
        }
        if (overheadPerMessage < 0) {
            throw new IllegalArgumentException("overheadPerMessage is " + overheadPerMessage + " but must be >= 0");
        }
    }

    /** A read without an end time. */
    public ReadRequest(long desiredStartSequenceNumber, int minMessageCount, int maxMessageCount, Duration timeout,
            DataSize maxResponseSize, int overheadPerMessage) {
        this(desiredStartSequenceNumber, minMessageCount, maxMessageCount, timeout, maxResponseSize,
                overheadPerMessage, Long.MAX_VALUE);
    }

    /** The same read, ending before the first record timestamped at or after {@code micros}. */
    public ReadRequest stoppingBefore(long micros) {
        return new ReadRequest(desiredStartSequenceNumber, minMessageCount, maxMessageCount, timeout,
                maxResponseSize, overheadPerMessage, micros);
    }

    /** A read with a byte budget counted as the store accounts messages (payload + 24 bytes). */
    public ReadRequest(long desiredStartSequenceNumber, int minMessageCount, int maxMessageCount, Duration timeout,
            DataSize maxResponseSize) {
        this(desiredStartSequenceNumber, minMessageCount, maxMessageCount, timeout, maxResponseSize, 24);
    }

    /** A read without a byte budget. */
    public static ReadRequest of(long start, int min, int max, Duration timeout) {
        return new ReadRequest(start, min, max, timeout, UNLIMITED);
    }

    /** Up to {@code max} messages from {@code start}, at least one, answered at once. */
    public static ReadRequest upTo(long start, int max) {
        return of(start, 1, max, Duration.ZERO);
    }
}
