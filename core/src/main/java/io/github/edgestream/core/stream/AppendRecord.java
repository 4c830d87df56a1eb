package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One record to append: payload, and optionally a timestamp, a key and headers. Limits are checked by the stream
 * ({@link RecordLimits}); this type only holds the values.
 *
 * <p>The payload is read from its position to its limit without moving either; the arrays are not copied before the
 * append (do not change them while it runs).
 *
 * @param timestampMicros the producer's timestamp, microseconds since the epoch, or {@link #INGEST_TIME} to use the
 *                        time the store accepts the record
 * @param key             the record's key; empty for none
 * @param headers         name/value pairs; empty for none
 * @param payload         the body; may be empty
 */
public record AppendRecord(long timestampMicros, byte[] key, List<Header> headers, ByteBuffer payload) {

    /** Timestamp the record with its ingest time (or the previous record's timestamp, if that is later). */
    public static final long INGEST_TIME = Long.MIN_VALUE;

    public AppendRecord {
        Objects.requireNonNull(key, "key");
        headers = List.copyOf(headers);
        Objects.requireNonNull(payload, "payload");
    }

    /** A record with only a payload, timestamped at ingest. */
    public static AppendRecord of(ByteBuffer payload) {
        return new AppendRecord(INGEST_TIME, Message.NO_KEY, List.of(), payload);
    }

    /** A record with only a payload, timestamped at ingest. */
    public static AppendRecord of(byte[] payload) {
        return of(ByteBuffer.wrap(payload));
    }

    public AppendRecord withTimestampMicros(long micros) {
        return new AppendRecord(micros, key, headers, payload);
    }

    public AppendRecord withTimestampMillis(long millis) {
        return withTimestampMicros(Math.multiplyExact(millis, 1000L));
    }

    public AppendRecord withKey(byte[] value) {
        return new AppendRecord(timestampMicros, value, headers, payload);
    }

    public AppendRecord withHeaders(List<Header> value) {
        return new AppendRecord(timestampMicros, key, value, payload);
    }

    public boolean hasTimestamp() {
        return timestampMicros != INGEST_TIME;
    }
}
