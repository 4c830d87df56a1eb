package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.RecordLimits;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * S2's {@code s2.v1} protobuf messages (proto3), encoded and decoded by hand straight from and into Netty buffers: the
 * schema is seven small messages, and a hand-written codec reads bodies without protobuf-java's intermediate copies
 * and enforces S2's limits while reading rather than after.
 *
 * <p>The messages, by field number (all integers {@code uint64}, varint-encoded):
 *
 * <pre>
 * StreamPosition  { 1: seq_num;  2: timestamp }
 * Header          { 1: name bytes;  2: value bytes }
 * AppendRecord    { 1: optional timestamp;  2: repeated Header headers;  3: body bytes }
 * AppendInput     { 1: repeated AppendRecord records;  2: optional match_seq_num;  3: optional fencing_token string }
 * AppendAck       { 1: start StreamPosition;  2: end StreamPosition;  3: tail StreamPosition }
 * SequencedRecord { 1: seq_num;  2: timestamp;  3: repeated Header headers;  4: body bytes }
 * ReadBatch       { 1: repeated SequencedRecord records;  2: tail StreamPosition (optional) }
 * </pre>
 *
 * <p>On the wire a message is a run of fields, each a tag (varint {@code field_number << 3 | wire_type}) and a value:
 * wire type 0 a varint (7 bits a byte, low bits first, at most 10 bytes), 1 eight bytes, 2 a varint length and that
 * many bytes (bytes, strings and embedded messages), 5 four bytes; 3 and 4 (groups) are not used by proto3 and are
 * refused.
 *
 * <p>Timestamps on the wire are <b>milliseconds</b> since the epoch; the store's are microseconds (×/÷ 1000).
 *
 * <p>Encoding follows proto3: a plain scalar that has its default (0, empty bytes) is left out; an {@code optional}
 * one is written whenever it is present, even as 0 or empty; an embedded message is written whenever present, an
 * all-default one as its tag and length 0. Encoders compute sizes first and write once into the caller's buffer.
 *
 * <p>Decoders are strict and bounded: every length is checked against the end of its message before anything is
 * read or allocated, unknown fields are skipped by wire type, a known field with the wrong wire type is an error, and
 * record and header counts are capped as they are read. For scalars given twice the last one wins, and an embedded
 * message given twice is merged, as protobuf specifies. Errors are {@link S2ProtobufException}s naming the field.
 *
 * <p>Stateless and thread-safe.
 */
final class S2Protobuf {

    /** Most records in one AppendInput or ReadBatch (S2's limit). */
    static final int MAX_RECORDS = RecordLimits.MAX_BATCH_RECORDS;
    /** Most headers on one record (S2's limit). */
    static final int MAX_HEADERS = 256;
    /**
     * Most metered bytes the decoder will read in one AppendInput: twice S2's 1 MiB batch limit, so the caller can
     * still answer an over-size batch with its size, while a body cannot make the decoder hold more than this.
     */
    static final long MAX_DECODED_METERED_BYTES = 2L * 1024 * 1024;

    /** Latest timestamp in milliseconds whose microseconds the store accepts. */
    private static final long MAX_TIMESTAMP_MILLIS = RecordLimits.MAX_TIMESTAMP_MICROS / 1000;

    private static final int VARINT = 0;
    private static final int I64 = 1;
    private static final int LEN = 2;
    private static final int START_GROUP = 3;
    private static final int END_GROUP = 4;
    private static final int I32 = 5;

    private S2Protobuf() {
    }

    /** The three positions of an {@code AppendAck}. */
    record AppendAckParts(Position start, Position end, Position tail) {
    }

    /**
     * A decoded {@code ReadBatch}. The wire carries no ingest time, so each message's
     * {@link Message#ingestTimeEpochMillis()} is its timestamp in milliseconds.
     */
    record ReadBatchParts(List<Message> records, Optional<Position> tail) {
        ReadBatchParts {
            records = List.copyOf(records);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Decoding

    /**
     * Decodes the readable bytes of {@code in} as an {@code AppendInput}, and moves its reader index to the end on
     * success. Records get {@link Message#NO_KEY} and, without a timestamp, {@link AppendRecord#INGEST_TIME}; bodies
     * are copied, so the result outlives {@code in}. Zero records are allowed here (the caller refuses them), as is a
     * metered size over S2's 1 MiB (the caller answers it); a metered size over {@link #MAX_DECODED_METERED_BYTES}
     * is refused.
     *
     * @throws S2ProtobufException if the bytes are not a valid AppendInput or pass a limit
     */
    static AppendInput decodeAppendInput(ByteBuf in) {
        Reader reader = new Reader(in);
        List<AppendRecord> records = new ArrayList<>();
        OptionalLong matchSeqNum = OptionalLong.empty();
        Optional<String> fencingToken = Optional.empty();
        long metered = 0;
        Field at = new Field();
        try {
            while (reader.more()) {
                at.clear();
                int tag = reader.tag();
                switch (tag >>> 3) {
                    case 1 -> {
                        at.set("records", records.size());
                        RecordSlices slices = nextRecord(reader, tag, records.size(), false);
                        metered += slices.metered;
                        if (metered > MAX_DECODED_METERED_BYTES) {
                            throw new Malformed("the batch's metered size passes " + MAX_DECODED_METERED_BYTES
                                    + " bytes");
                        }
                        records.add(new AppendRecord(slices.timestampMicros, Message.NO_KEY, slices.headers(in),
                                ByteBuffer.wrap(slices.body(in))));
                    }
                    case 2 -> {
                        at.set("match_seq_num");
                        expect(tag, VARINT);
                        matchSeqNum = OptionalLong.of(nonNegative(reader.varint()));
                    }
                    case 3 -> {
                        at.set("fencing_token");
                        expect(tag, LEN);
                        int length = reader.length();
                        fencingToken = Optional.of(utf8(in, reader.skipBytes(length), length));
                    }
                    default -> {
                        at.setUnknown(tag >>> 3);
                        reader.skipField(tag);
                    }
                }
            }
        } catch (Malformed e) {
            throw e.report("AppendInput", at);
        }
        in.readerIndex(in.writerIndex());
        return new AppendInput(records, matchSeqNum, fencingToken, metered);
    }

    /**
     * Decodes the readable bytes of {@code in} as an {@code AppendAck}, moving its reader index to the end. All
     * three positions must be present (S2 always sends them).
     *
     * @throws S2ProtobufException if the bytes are not a valid AppendAck
     */
    static AppendAckParts decodeAppendAck(ByteBuf in) {
        Reader reader = new Reader(in);
        Position[] positions = new Position[3];
        Field at = new Field();
        try {
            while (reader.more()) {
                at.clear();
                int tag = reader.tag();
                int field = tag >>> 3;
                if (field >= 1 && field <= 3) {
                    at.set(field == 1 ? "start" : field == 2 ? "end" : "tail");
                    expect(tag, LEN);
                    int outer = reader.enter(reader.length());
                    positions[field - 1] = position(reader, positions[field - 1]);
                    reader.leave(outer);
                } else {
                    at.setUnknown(field);
                    reader.skipField(tag);
                }
            }
            String[] names = {"start", "end", "tail"};
            for (int i = 0; i < 3; i++) {
                if (positions[i] == null) {
                    at.set(names[i]);
                    throw new Malformed("missing");
                }
            }
        } catch (Malformed e) {
            throw e.report("AppendAck", at);
        }
        in.readerIndex(in.writerIndex());
        return new AppendAckParts(positions[0], positions[1], positions[2]);
    }

    /**
     * Decodes the readable bytes of {@code in} as a {@code ReadBatch}, moving its reader index to the end. Bodies
     * and headers are copied. At most {@link #MAX_RECORDS} records of {@link #MAX_HEADERS} headers each.
     *
     * @throws S2ProtobufException if the bytes are not a valid ReadBatch or pass a limit
     */
    static ReadBatchParts decodeReadBatch(ByteBuf in) {
        Reader reader = new Reader(in);
        List<Message> records = new ArrayList<>();
        Position tail = null;
        Field at = new Field();
        try {
            while (reader.more()) {
                at.clear();
                int tag = reader.tag();
                switch (tag >>> 3) {
                    case 1 -> {
                        at.set("records", records.size());
                        RecordSlices slices = nextRecord(reader, tag, records.size(), true);
                        long micros = slices.timestampMicros;
                        records.add(new Message(slices.seqNum, micros / 1000, micros, Message.NO_KEY,
                                slices.headers(in), slices.body(in)));
                    }
                    case 2 -> {
                        at.set("tail");
                        expect(tag, LEN);
                        int outer = reader.enter(reader.length());
                        tail = position(reader, tail);
                        reader.leave(outer);
                    }
                    default -> {
                        at.setUnknown(tag >>> 3);
                        reader.skipField(tag);
                    }
                }
            }
        } catch (Malformed e) {
            throw e.report("ReadBatch", at);
        }
        in.readerIndex(in.writerIndex());
        return new ReadBatchParts(records, Optional.ofNullable(tail));
    }

    /**
     * The next record of a batch (its tag read, {@code count} records before it): within S2's limit of records, read
     * as an {@code AppendRecord} or a {@code SequencedRecord}: where its parts are, and its metered size, so the
     * caller can check the batch's size before anything is copied.
     */
    private static RecordSlices nextRecord(Reader reader, int tag, int count, boolean sequenced) {
        expect(tag, LEN);
        if (count == MAX_RECORDS) {
            throw new Malformed("more than " + MAX_RECORDS + " records (S2's limit)");
        }
        int outer = reader.enter(reader.length());
        RecordSlices slices = record(reader, sequenced);
        reader.leave(outer);
        return slices;
    }

    /**
     * A record of either kind: a {@code SequencedRecord} is an {@code AppendRecord} with {@code seq_num} first, so
     * its other fields are numbered one higher (timestamp 2, headers 3, body 4 against 1, 2, 3).
     */
    private static RecordSlices record(Reader reader, boolean sequenced) {
        RecordSlices record = new RecordSlices();
        if (!sequenced) {
            record.timestampMicros = AppendRecord.INGEST_TIME;
        }
        Field at = new Field();
        try {
            while (reader.more()) {
                at.clear();
                int tag = reader.tag();
                int field = tag >>> 3;
                if (sequenced && field == 1) {
                    at.set("seq_num");
                    expect(tag, VARINT);
                    record.seqNum = nonNegative(reader.varint());
                    continue;
                }
                switch (sequenced ? field - 1 : field) {
                    case 1 -> {
                        at.set("timestamp");
                        expect(tag, VARINT);
                        record.timestampMicros = millisToMicros(reader.varint());
                    }
                    case 2 -> {
                        at.set("headers", record.headerCount);
                        header(reader, tag, record);
                    }
                    case 3 -> {
                        at.set("body");
                        expect(tag, LEN);
                        record.bodyLength = reader.length();
                        record.bodyIndex = reader.skipBytes(record.bodyLength);
                    }
                    default -> {
                        at.setUnknown(field);
                        reader.skipField(tag);
                    }
                }
            }
        } catch (Malformed e) {
            throw e.under(at);
        }
        record.metered = 8 + 2L * record.headerCount + record.headerBytes + record.bodyLength;
        return record;
    }

    /** One {@code Header} field of a record (its tag read): checks the count, then notes where name and value are. */
    private static void header(Reader reader, int tag, RecordSlices record) {
        expect(tag, LEN);
        if (record.headerCount == MAX_HEADERS) {
            throw new Malformed("more than " + MAX_HEADERS + " headers (S2's limit)");
        }
        int outer = reader.enter(reader.length());
        int nameIndex = 0;
        int nameLength = 0;
        int valueIndex = 0;
        int valueLength = 0;
        Field at = new Field();
        try {
            while (reader.more()) {
                at.clear();
                int fieldTag = reader.tag();
                switch (fieldTag >>> 3) {
                    case 1 -> {
                        at.set("name");
                        expect(fieldTag, LEN);
                        nameLength = reader.length();
                        nameIndex = reader.skipBytes(nameLength);
                    }
                    case 2 -> {
                        at.set("value");
                        expect(fieldTag, LEN);
                        valueLength = reader.length();
                        valueIndex = reader.skipBytes(valueLength);
                    }
                    default -> {
                        at.setUnknown(fieldTag >>> 3);
                        reader.skipField(fieldTag);
                    }
                }
            }
        } catch (Malformed e) {
            throw e.under(at);
        }
        reader.leave(outer);
        record.addHeader(nameIndex, nameLength, valueIndex, valueLength);
    }

    /** A {@code StreamPosition}, the reader limited to it, merged into {@code base} if the field came before. */
    private static Position position(Reader reader, Position base) {
        long seqNum = base == null ? 0 : base.seqNum();
        long timestamp = base == null ? 0 : base.timestampMillis();
        Field at = new Field();
        try {
            while (reader.more()) {
                at.clear();
                int tag = reader.tag();
                switch (tag >>> 3) {
                    case 1 -> {
                        at.set("seq_num");
                        expect(tag, VARINT);
                        seqNum = nonNegative(reader.varint());
                    }
                    case 2 -> {
                        at.set("timestamp");
                        expect(tag, VARINT);
                        timestamp = nonNegative(reader.varint());
                    }
                    default -> {
                        at.setUnknown(tag >>> 3);
                        reader.skipField(tag);
                    }
                }
            }
        } catch (Malformed e) {
            throw e.under(at);
        }
        return new Position(seqNum, timestamp);
    }

    private static void expect(int tag, int wireType) {
        if ((tag & 7) != wireType) {
            throw new Malformed("wire type " + wireTypeName(tag & 7) + " where " + wireTypeName(wireType)
                    + " is expected");
        }
    }

    private static String wireTypeName(int wireType) {
        return wireType + switch (wireType) {
            case VARINT -> " (varint)";
            case I64 -> " (64-bit)";
            case LEN -> " (length-delimited)";
            case START_GROUP -> " (start group)";
            case END_GROUP -> " (end group)";
            case I32 -> " (32-bit)";
            default -> " (invalid)";
        };
    }

    /** A uint64 that must fit a signed long (sequence numbers, match_seq_num). */
    private static long nonNegative(long value) {
        if (value < 0) {
            throw new Malformed(Long.toUnsignedString(value) + " is above " + Long.MAX_VALUE);
        }
        return value;
    }

    private static long millisToMicros(long millis) {
        if (millis < 0 || millis > MAX_TIMESTAMP_MILLIS) {
            throw new Malformed(Long.toUnsignedString(millis) + " ms is past the latest timestamp, "
                    + MAX_TIMESTAMP_MILLIS + " ms (year 9999)");
        }
        return millis * 1000;
    }

    private static String utf8(ByteBuf in, int index, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in.nioBuffer(index, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("not valid UTF-8");
        }
    }

    /**
     * Where a record's parts are in the buffer being decoded, until the record has been checked and they are copied.
     * Header slices are four ints each: name index and length, value index and length.
     */
    private static final class RecordSlices {
        long seqNum;
        long timestampMicros;
        int headerCount;
        long headerBytes;
        int[] headerSlices = new int[0];
        int bodyIndex;
        int bodyLength;
        long metered;

        void addHeader(int nameIndex, int nameLength, int valueIndex, int valueLength) {
            int at = headerCount * 4;
            if (at == headerSlices.length) {
                headerSlices = Arrays.copyOf(headerSlices, Math.max(16, at * 2));
            }
            headerSlices[at] = nameIndex;
            headerSlices[at + 1] = nameLength;
            headerSlices[at + 2] = valueIndex;
            headerSlices[at + 3] = valueLength;
            headerCount++;
            headerBytes += nameLength + valueLength;
        }

        List<Header> headers(ByteBuf in) {
            if (headerCount == 0) {
                return List.of();
            }
            Header[] headers = new Header[headerCount];
            for (int i = 0; i < headerCount; i++) {
                int at = i * 4;
                headers[i] = new Header(copy(in, headerSlices[at], headerSlices[at + 1]),
                        copy(in, headerSlices[at + 2], headerSlices[at + 3]));
            }
            return List.of(headers);
        }

        byte[] body(ByteBuf in) {
            return copy(in, bodyIndex, bodyLength);
        }

        private static byte[] copy(ByteBuf in, int index, int length) {
            byte[] bytes = new byte[length];
            in.getBytes(index, bytes);
            return bytes;
        }
    }

    /**
     * A cursor over the buffer being decoded, by absolute index (the buffer's own indices are not moved), limited to
     * the message being read: {@link #enter} limits it to an embedded message and {@link #leave} restores the outer
     * limit.
     */
    private static final class Reader {
        private final ByteBuf buf;
        private int index;
        private int end;

        Reader(ByteBuf buf) {
            this.buf = buf;
            this.index = buf.readerIndex();
            this.end = buf.writerIndex();
        }

        boolean more() {
            return index < end;
        }

        /** Limits reading to the next {@code length} bytes (already checked to be there); returns the old limit. */
        int enter(int length) {
            int outer = end;
            end = index + length;
            return outer;
        }

        /** Back to the outer message, after the embedded one has been read to its end. */
        void leave(int outer) {
            end = outer;
        }

        /** A tag: field number at least 1 and at most 2^29 - 1, any wire type (checked by the field's reader). */
        int tag() {
            long tag = varint();
            if (tag >>> 32 != 0 || (tag >>> 3) == 0) {
                throw new Malformed("invalid tag " + Long.toUnsignedString(tag) + " (field number "
                        + Long.toUnsignedString(tag >>> 3) + ")");
            }
            return (int) tag;
        }

        /** A varint of at most 10 bytes whose value fits 64 bits. */
        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (index == end) {
                    throw new Malformed("truncated varint");
                }
                byte b = buf.getByte(index++);
                if (shift == 63 && (b & 0xFF) > 1) {
                    throw new Malformed(b < 0 ? "varint longer than 10 bytes" : "varint overflows 64 bits");
                }
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new AssertionError("unreachable");
        }

        /** A length prefix, checked to fit in what is left of the message. */
        int length() {
            long length = varint();
            if (length < 0 || length > end - index) {
                throw new Malformed("length " + Long.toUnsignedString(length)
                        + " runs past the end of the message (" + (end - index) + " bytes left)");
            }
            return (int) length;
        }

        /** Skips {@code length} bytes (checked by {@link #length}); returns the index they start at. */
        int skipBytes(int length) {
            int start = index;
            index += length;
            return start;
        }

        /** Skips the value of an unknown field by its wire type. */
        void skipField(int tag) {
            switch (tag & 7) {
                case VARINT -> varint();
                case I64 -> fixed(8);
                case LEN -> skipBytes(length());
                case I32 -> fixed(4);
                default -> throw new Malformed("wire type " + wireTypeName(tag & 7) + " is not supported");
            }
        }

        private void fixed(int size) {
            if (end - index < size) {
                throw new Malformed("truncated " + (size * 8) + "-bit value");
            }
            index += size;
        }
    }

    /** The field being read in one message, to name it in an error: a name, and an index for repeated fields. */
    private static final class Field {
        private String name;
        private int index;
        private int number;

        void clear() {
            name = null;
            index = -1;
            number = 0;
        }

        void set(String fieldName) {
            set(fieldName, -1);
        }

        void set(String fieldName, int repeatedIndex) {
            name = fieldName;
            index = repeatedIndex;
        }

        void setUnknown(int fieldNumber) {
            number = fieldNumber;
        }

        /** The path segment, or null while the tag itself was being read. */
        String segment() {
            if (name != null) {
                return index >= 0 ? name + "[" + index + "]" : name;
            }
            return number != 0 ? "field " + number : null;
        }
    }

    /**
     * A problem found while reading, thrown up through the nested messages, each of which adds its field to the path
     * ({@link #under}); the top one turns it into an {@link S2ProtobufException} ({@link #report}). No stack trace:
     * it never escapes this class.
     */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String detail;
        private String path = "";

        Malformed(String detail) {
            super(detail, null, false, false);
            this.detail = detail;
        }

        Malformed under(Field field) {
            String segment = field.segment();
            if (segment != null) {
                path = "." + segment + path;
            }
            return this;
        }

        S2ProtobufException report(String message, Field field) {
            under(field);
            return new S2ProtobufException(message + path + ": " + detail);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Encoding

    /** Writes an {@code AppendAck} with all three positions. */
    static void encodeAppendAck(Position start, Position end, Position tail, ByteBuf out) {
        int startSize = positionSize(start);
        int endSize = positionSize(end);
        int tailSize = positionSize(tail);
        out.ensureWritable(embeddedSize(startSize) + embeddedSize(endSize) + embeddedSize(tailSize));
        writePosition(out, 1, start, startSize);
        writePosition(out, 2, end, endSize);
        writePosition(out, 3, tail, tailSize);
    }

    /**
     * Writes a {@code ReadBatch}: each message's sequence number, timestamp in milliseconds (its microseconds divided
     * by 1000), headers and payload; keys and ingest times are not part of S2's record.
     */
    static void encodeReadBatch(List<Message> records, Optional<Position> tail, ByteBuf out) {
        int[] sizes = new int[records.size()];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = sequencedRecordSize(records.get(i));
            total += embeddedSize(sizes[i]);
        }
        int tailSize = tail.map(S2Protobuf::positionSize).orElse(-1);
        if (tailSize >= 0) {
            total += embeddedSize(tailSize);
        }
        out.ensureWritable(checkedSize(total));
        for (int i = 0; i < sizes.length; i++) {
            Message record = records.get(i);
            writeTag(out, 1, LEN);
            writeVarint(out, sizes[i]);
            writeUint64(out, 1, record.sequenceNumber());
            writeUint64(out, 2, Math.floorDiv(record.timestampMicros(), 1000));
            writeHeaders(out, 3, record.headers());
            writeBytes(out, 4, record.payload());
        }
        if (tailSize >= 0) {
            writePosition(out, 2, tail.get(), tailSize);
        }
    }

    /**
     * Writes an {@code AppendInput}: each record's timestamp (microseconds divided by 1000) if it has one, headers
     * and payload (read from its position to its limit without moving either); match_seq_num and fencing_token if
     * present.
     *
     * @throws IllegalArgumentException if a record has a key (S2 records have none)
     */
    static void encodeAppendInput(AppendInput input, ByteBuf out) {
        List<AppendRecord> records = input.records();
        int[] sizes = new int[records.size()];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = appendRecordSize(records.get(i));
            total += embeddedSize(sizes[i]);
        }
        if (input.matchSeqNum().isPresent()) {
            total += 1 + varintSize(input.matchSeqNum().getAsLong());
        }
        byte[] token = input.fencingToken().map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (token != null) {
            total += embeddedSize(token.length);
        }
        out.ensureWritable(checkedSize(total));
        for (int i = 0; i < sizes.length; i++) {
            AppendRecord record = records.get(i);
            writeTag(out, 1, LEN);
            writeVarint(out, sizes[i]);
            if (record.hasTimestamp()) { // optional: written even when 0
                writeTag(out, 1, VARINT);
                writeVarint(out, Math.floorDiv(record.timestampMicros(), 1000));
            }
            writeHeaders(out, 2, record.headers());
            ByteBuffer payload = record.payload();
            if (payload.hasRemaining()) {
                writeTag(out, 3, LEN);
                writeVarint(out, payload.remaining());
                out.writeBytes(payload.duplicate());
            }
        }
        if (input.matchSeqNum().isPresent()) {
            writeTag(out, 2, VARINT);
            writeVarint(out, input.matchSeqNum().getAsLong());
        }
        if (token != null) { // optional: written even when empty
            writeTag(out, 3, LEN);
            writeVarint(out, token.length);
            out.writeBytes(token);
        }
    }

    private static int positionSize(Position position) {
        return uint64Size(position.seqNum()) + uint64Size(position.timestampMillis());
    }

    private static int sequencedRecordSize(Message record) {
        long size = uint64Size(record.sequenceNumber())
                + uint64Size(Math.floorDiv(record.timestampMicros(), 1000))
                + headersSize(record.headers())
                + bytesSize(record.payload().length);
        return checkedSize(size);
    }

    private static int appendRecordSize(AppendRecord record) {
        if (record.key().length > 0) {
            throw new IllegalArgumentException("an S2 record has no key, but this one has " + record.key().length
                    + " bytes of key");
        }
        long size = (record.hasTimestamp() ? 1 + varintSize(Math.floorDiv(record.timestampMicros(), 1000)) : 0)
                + headersSize(record.headers())
                + bytesSize(record.payload().remaining());
        return checkedSize(size);
    }

    private static long headersSize(List<Header> headers) {
        long size = 0;
        for (Header header : headers) {
            size += embeddedSize(headerSize(header));
        }
        return size;
    }

    private static int headerSize(Header header) {
        return bytesSize(header.name().length) + bytesSize(header.value().length);
    }

    /** Size of a plain {@code uint64} field (tags here are all one byte): nothing when 0. */
    private static int uint64Size(long value) {
        return value == 0 ? 0 : 1 + varintSize(value);
    }

    /** Size of a plain {@code bytes} field: nothing when empty. */
    private static int bytesSize(int length) {
        return length == 0 ? 0 : 1 + varintSize(length) + length;
    }

    /** Size of an embedded message field (always written), or an optional bytes/string field that is present. */
    private static int embeddedSize(int length) {
        return 1 + varintSize(length) + length;
    }

    private static int checkedSize(long size) {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("protobuf message of " + size + " bytes is too large to encode");
        }
        return (int) size;
    }

    static int varintSize(long value) {
        // 1 byte per 7 significant bits, at least 1: 64 - leading zeros, rounded up to a multiple of 7.
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    private static void writePosition(ByteBuf out, int field, Position position, int size) {
        writeTag(out, field, LEN);
        writeVarint(out, size);
        writeUint64(out, 1, position.seqNum());
        writeUint64(out, 2, position.timestampMillis());
    }

    private static void writeHeaders(ByteBuf out, int field, List<Header> headers) {
        for (Header header : headers) {
            writeTag(out, field, LEN);
            writeVarint(out, headerSize(header));
            writeBytes(out, 1, header.name());
            writeBytes(out, 2, header.value());
        }
    }

    private static void writeUint64(ByteBuf out, int field, long value) {
        if (value != 0) {
            writeTag(out, field, VARINT);
            writeVarint(out, value);
        }
    }

    private static void writeBytes(ByteBuf out, int field, byte[] value) {
        if (value.length > 0) {
            writeTag(out, field, LEN);
            writeVarint(out, value.length);
            out.writeBytes(value);
        }
    }

    private static void writeTag(ByteBuf out, int field, int wireType) {
        out.writeByte(field << 3 | wireType); // every field number here is below 16: one byte
    }

    static void writeVarint(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }
}
