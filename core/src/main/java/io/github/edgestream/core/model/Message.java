package io.github.edgestream.core.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One stored message (record) as a reader sees it.
 *
 * <p>The arrays are shared, not copied: treat them as read-only. Immutable by that convention and thread-safe.
 *
 * @param sequenceNumber        position in the stream, from 0, one higher for every appended message
 * @param ingestTimeEpochMillis when the store accepted the message, in milliseconds since the epoch
 * @param timestampMicros       the record's timestamp in microseconds since the epoch: the one its producer gave, or
 *                              else its ingest time; never lower than the previous record's (see
 *                              {@link io.github.edgestream.core.stream.MessageStream#appendBatchAsync})
 * @param key                   the record's key (Kinesis partition key, OCI message key); empty if it has none
 * @param headers               the record's headers in the order the producer gave them; empty if none
 * @param payload               the bytes the producer appended; empty only for records appended in a batch
 */
public record Message(long sequenceNumber, long ingestTimeEpochMillis, long timestampMicros, byte[] key,
        List<Header> headers, byte[] payload) {

    public static final byte[] NO_KEY = new byte[0];

    public Message {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(payload, "payload");
    }

    /** A message without key or headers, timestamped at its ingest time. */
    public Message(long sequenceNumber, long ingestTimeEpochMillis, byte[] payload) {
        this(sequenceNumber, ingestTimeEpochMillis, ingestTimeEpochMillis * 1000, NO_KEY, List.of(), payload);
    }

    public Instant ingestTime() {
        return Instant.ofEpochMilli(ingestTimeEpochMillis);
    }

    /** The record timestamp as an instant (microsecond precision). */
    public Instant timestamp() {
        return Instant.ofEpochSecond(Math.floorDiv(timestampMicros, 1_000_000),
                Math.floorMod(timestampMicros, 1_000_000) * 1000L);
    }

    /** The record timestamp in milliseconds since the epoch (rounded down). */
    public long timestampMillis() {
        return Math.floorDiv(timestampMicros, 1000);
    }

    public boolean hasKey() {
        return key.length > 0;
    }

    /** Equal when every field is equal, arrays by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Message that
                && sequenceNumber == that.sequenceNumber
                && ingestTimeEpochMillis == that.ingestTimeEpochMillis
                && timestampMicros == that.timestampMicros
                && Arrays.equals(key, that.key)
                && headers.equals(that.headers)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(sequenceNumber) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Message[sequenceNumber=" + sequenceNumber + ", ingestTime=" + ingestTime()
                + (timestampMicros != ingestTimeEpochMillis * 1000 ? ", timestamp=" + timestamp() : "")
                + (key.length > 0 ? ", key=" + key.length + " bytes" : "")
                + (headers.isEmpty() ? "" : ", headers=" + headers.size())
                + ", payload=" + payload.length + " bytes]";
    }
}
