package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.StreamName;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The limits every record and batch is checked against, whatever API it came through, and the size the store
 * accounts for a record. API layers may be stricter (S2 caps a fencing token at 36 bytes), never looser.
 *
 * <p>Accounted size of a record: payload + key + each header's name and value + {@value #HEADER_OVERHEAD} per header
 * + {@value #RECORD_OVERHEAD} for the rest (sequence number, times, checksum, framing). The fixed part is the same
 * 24 bytes that releases before record format 2 accounted, so a stream's {@code maxSize} holds as many plain
 * messages as it did.
 */
public final class RecordLimits {

    /** Most records in one atomic batch (S2's limit). */
    public static final int MAX_BATCH_RECORDS = 1000;
    /** Longest key: a Kinesis partition key is up to 256 characters, at most 1,024 bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Most headers on one record. */
    public static final int MAX_HEADERS = 256;
    /** Longest header name. */
    public static final int MAX_HEADER_NAME_BYTES = 1024;
    /** Most bytes of header names and values on one record. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Longest fencing token (bytes of UTF-8). */
    public static final int MAX_FENCING_TOKEN_BYTES = 256;
    /** Latest timestamp accepted: 9999-12-31T23:59:59.999999Z. */
    public static final long MAX_TIMESTAMP_MICROS = 253_402_300_799_999_999L;
    /** Accounted bytes per record besides payload, key and headers. */
    public static final int RECORD_OVERHEAD = 24;
    /** Accounted bytes per header besides its name and value (their two lengths). */
    public static final int HEADER_OVERHEAD = 6;

    private RecordLimits() {
    }

    /** The accounted size of a record with this payload length and no key or headers. */
    public static long recordSize(long payloadLength) {
        return payloadLength + RECORD_OVERHEAD;
    }

    /** The accounted size of this record. */
    public static long recordSize(AppendRecord record) {
        return record.payload().remaining() + extraSize(record.key(), record.headers()) + RECORD_OVERHEAD;
    }

    /** Bytes of key and headers as accounted (0 for a plain record). */
    public static long extraSize(byte[] key, List<Header> headers) {
        long size = key.length;
        for (Header header : headers) {
            size += HEADER_OVERHEAD + header.name().length + header.value().length;
        }
        return size;
    }

    /**
     * Checks every record of the batch and the batch as a whole.
     *
     * @param maxMessageSize the store's largest message: bounds each record's payload and the whole batch's
     *                       accounted size
     * @return the batch's accounted size
     * @throws InvalidRecordException naming the first field that breaks a limit
     */
    public static long check(StreamName stream, AppendBatch batch, DataSize maxMessageSize) {
        List<AppendRecord> records = batch.records();
        if (records.isEmpty() || records.size() > MAX_BATCH_RECORDS) {
            throw new InvalidRecordException(stream, "records", "has " + records.size()
                    + " records but must have 1 to " + MAX_BATCH_RECORDS);
        }
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            AppendRecord record = records.get(i);
            String at = "records[" + i + "]";
            if (record.payload().remaining() > maxMessageSize.bytes()) {
                throw new InvalidRecordException(stream, at + ".payload", "is "
                        + DataSize.ofBytes(record.payload().remaining()) + ", more than the store's maxMessageSize of "
                        + maxMessageSize);
            }
            if (record.key().length > MAX_KEY_BYTES) {
                throw new InvalidRecordException(stream, at + ".key", "is " + record.key().length
                        + " bytes, more than the limit of " + MAX_KEY_BYTES);
            }
            if (record.hasTimestamp() && (record.timestampMicros() < 0
                    || record.timestampMicros() > MAX_TIMESTAMP_MICROS)) {
                throw new InvalidRecordException(stream, at + ".timestamp", "is " + record.timestampMicros()
                        + " µs but must be between 0 and " + MAX_TIMESTAMP_MICROS + " (years 1970 to 9999)");
            }
            checkHeaders(stream, at, record.headers());
            total += recordSize(record);
        }
        if (total > maxMessageSize.bytes()) {
            throw new InvalidRecordException(stream, "records", "add up to " + DataSize.ofBytes(total)
                    + " (stored size), more than the store's maxMessageSize of " + maxMessageSize
                    + " that bounds one batch");
        }
        batch.fencingToken().ifPresent(token -> checkFencingToken(stream, "fencingToken", token));
        batch.fenceTo().ifPresent(token -> checkFencingToken(stream, "fenceTo", token));
        return total;
    }

    private static void checkHeaders(StreamName stream, String at, List<Header> headers) {
        if (headers.size() > MAX_HEADERS) {
            throw new InvalidRecordException(stream, at + ".headers", "has " + headers.size()
                    + " headers, more than the limit of " + MAX_HEADERS);
        }
        long bytes = 0;
        for (int h = 0; h < headers.size(); h++) {
            Header header = headers.get(h);
            if (header.name().length > MAX_HEADER_NAME_BYTES) {
                throw new InvalidRecordException(stream, at + ".headers[" + h + "].name", "is "
                        + header.name().length + " bytes, more than the limit of " + MAX_HEADER_NAME_BYTES);
            }
            bytes += header.name().length + (long) header.value().length;
        }
        if (bytes > MAX_HEADER_BYTES) {
            throw new InvalidRecordException(stream, at + ".headers", "hold " + bytes
                    + " bytes of names and values, more than the limit of " + MAX_HEADER_BYTES);
        }
    }

    /** @throws InvalidRecordException if the token is longer than {@link #MAX_FENCING_TOKEN_BYTES} */
    public static void checkFencingToken(StreamName stream, String field, String token) {
        int length = token.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_FENCING_TOKEN_BYTES) {
            throw new InvalidRecordException(stream, field, "is " + length + " bytes, more than the limit of "
                    + MAX_FENCING_TOKEN_BYTES);
        }
    }
}
