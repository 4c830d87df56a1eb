package io.github.edgestream.core.model;

import java.time.Instant;
import java.util.Arrays;

/**
 * One stored message as a reader sees it.
 *
 * <p>The payload array is shared, not copied: treat it as read-only. Immutable by that convention and thread-safe.
 *
 * @param sequenceNumber        position in the stream, from 0, one higher for every appended message
 * @param ingestTimeEpochMillis when the store accepted the message, in milliseconds since the epoch
 * @param payload               the bytes the producer appended, never empty
 */
public record Message(long sequenceNumber, long ingestTimeEpochMillis, byte[] payload) {

    public Instant ingestTime() {
        return Instant.ofEpochMilli(ingestTimeEpochMillis);
    }

    /** Equal when sequence number, ingest time and payload bytes are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Message that
                && sequenceNumber == that.sequenceNumber
                && ingestTimeEpochMillis == that.ingestTimeEpochMillis
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(sequenceNumber) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Message[sequenceNumber=" + sequenceNumber + ", ingestTime=" + ingestTime()
                + ", payload=" + payload.length + " bytes]";
    }
}
