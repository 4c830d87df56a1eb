package io.github.edgestream.api.s2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.api.s2.S2Protobuf.AppendAckParts;
import io.github.edgestream.api.s2.S2Protobuf.ReadBatchParts;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.RecordLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The s2.v1 codec: a vector captured from S2's JS SDK, round trips of every message at edge values, proto3's rules
 * for defaults and optionals, unknown fields skipped, every malformation refused with its field named, and the
 * limits.
 */
class S2ProtobufTest {

    // --- a small protobuf writer for hand-made bodies, independent of the codec under test ---

    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
            return this;
        }

        Proto tag(int field, int wireType) {
            return varint((long) field << 3 | wireType);
        }

        Proto raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Proto raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Proto uint64(int field, long value) {
            return tag(field, 0).varint(value);
        }

        Proto bytes(int field, byte[] value) {
            tag(field, 2).varint(value.length);
            out.writeBytes(value);
            return this;
        }

        Proto bytes(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto inner) {
            return bytes(field, inner.toBytes());
        }

        byte[] toBytes() {
            return out.toByteArray();
        }

        ByteBuf buf() {
            return Unpooled.wrappedBuffer(toBytes());
        }
    }

    private static Proto proto() {
        return new Proto();
    }

    private static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex);
    }

    private static String hexOf(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static AppendInput decode(Proto proto) {
        return S2Protobuf.decodeAppendInput(proto.buf());
    }

    private static void assertRefused(Proto body, String message) {
        assertThatThrownBy(() -> decode(body)).isInstanceOf(S2ProtobufException.class).hasMessage(message);
    }

    // --- the JS SDK's vector ---

    @Test
    void theJsSdksAppendInputWithAnEmptyFencingTokenDecodesAndEncodesByteForByte() {
        ByteBuf wire = Unpooled.wrappedBuffer(hex("0a051a030102031a00"));
        AppendInput input = S2Protobuf.decodeAppendInput(wire);
        assertThat(wire.isReadable()).isFalse();
        assertThat(input.records()).hasSize(1);
        AppendRecord record = input.records().get(0);
        assertThat(bytes(record.payload())).containsExactly(1, 2, 3);
        assertThat(record.hasTimestamp()).isFalse();
        assertThat(record.headers()).isEmpty();
        assertThat(record.key()).isEmpty();
        assertThat(input.matchSeqNum()).isEmpty();
        assertThat(input.fencingToken()).contains("");
        assertThat(input.meteredBytes()).isEqualTo(8 + 3);

        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeAppendInput(input, out);
        assertThat(hexOf(out)).isEqualTo("0a051a030102031a00");
    }

    // --- round trips ---

    @Test
    void appendInputRoundTripsAtEdgeValues() {
        List<AppendRecord> records = List.of(
                new AppendRecord(0, Message.NO_KEY, List.of(), ByteBuffer.wrap(new byte[0])), // timestamp 0, empty
                new AppendRecord(RecordLimits.MAX_TIMESTAMP_MICROS / 1000 * 1000, Message.NO_KEY,
                        List.of(new Header(new byte[0], new byte[] {0, (byte) 0xFF}),
                                new Header(new byte[] {(byte) 0x80, 0, 1}, new byte[0]),
                                Header.of("k", "v")),
                        ByteBuffer.wrap(new byte[300])),
                AppendRecord.of("hello".getBytes(StandardCharsets.UTF_8)));
        for (AppendInput input : List.of(
                new AppendInput(records, OptionalLong.of(Long.MAX_VALUE), Optional.of("fence-ü"), 0),
                new AppendInput(records, OptionalLong.of(0), Optional.empty(), 0),
                new AppendInput(List.of(), OptionalLong.empty(), Optional.empty(), 0))) {
            ByteBuf out = Unpooled.buffer();
            S2Protobuf.encodeAppendInput(input, out);
            AppendInput back = S2Protobuf.decodeAppendInput(out);
            assertThat(back.matchSeqNum()).isEqualTo(input.matchSeqNum());
            assertThat(back.fencingToken()).isEqualTo(input.fencingToken());
            assertThat(back.records()).hasSameSizeAs(input.records());
            for (int i = 0; i < input.records().size(); i++) {
                AppendRecord sent = input.records().get(i);
                AppendRecord got = back.records().get(i);
                assertThat(got.timestampMicros()).isEqualTo(sent.timestampMicros());
                assertThat(got.headers()).isEqualTo(sent.headers());
                assertThat(bytes(got.payload())).isEqualTo(bytes(sent.payload()));
            }
        }
    }

    @Test
    void anEmptyAppendInputIsZeroBytesAndDecodesToNoRecords() {
        AppendInput input = S2Protobuf.decodeAppendInput(Unpooled.EMPTY_BUFFER);
        assertThat(input.records()).isEmpty();
        assertThat(input.meteredBytes()).isZero();
    }

    @Test
    void encodingReadsThePayloadWithoutMovingIt() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9});
        payload.position(1).limit(4);
        AppendInput input = new AppendInput(List.of(AppendRecord.of(payload)), OptionalLong.empty(),
                Optional.empty(), 0);
        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeAppendInput(input, out);
        assertThat(hexOf(out)).isEqualTo("0a051a03010203");
        assertThat(payload.position()).isEqualTo(1);
        assertThat(payload.limit()).isEqualTo(4);
    }

    @Test
    void aRecordWithAKeyCannotBeEncoded() {
        AppendRecord keyed = AppendRecord.of(new byte[] {1}).withKey(new byte[] {7});
        assertThatThrownBy(() -> S2Protobuf.encodeAppendInput(
                new AppendInput(List.of(keyed), OptionalLong.empty(), Optional.empty(), 0), Unpooled.buffer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
    }

    @Test
    void appendAckRoundTripsAndWritesAllDefaultPositionsAsEmptyMessages() {
        ByteBuf zero = Unpooled.buffer();
        S2Protobuf.encodeAppendAck(new Position(0, 0), new Position(0, 0), new Position(0, 0), zero);
        assertThat(hexOf(zero)).isEqualTo("0a0012001a00");
        assertThat(S2Protobuf.decodeAppendAck(zero))
                .isEqualTo(new AppendAckParts(new Position(0, 0), new Position(0, 0), new Position(0, 0)));

        Position start = new Position(5, 1_700_000_000_000L);
        Position end = new Position(Long.MAX_VALUE, 0);
        Position tail = new Position(Long.MAX_VALUE, Long.MAX_VALUE);
        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeAppendAck(start, end, tail, out);
        assertThat(S2Protobuf.decodeAppendAck(out)).isEqualTo(new AppendAckParts(start, end, tail));
        assertThat(out.isReadable()).isFalse();
    }

    @Test
    void appendAckPositionsAreExactlyProto3() {
        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeAppendAck(new Position(1, 0), new Position(3, 2), new Position(300, 0), out);
        // start {seq_num 1}, end {seq_num 3, timestamp 2}, tail {seq_num 300 = ac 02}
        assertThat(hexOf(out)).isEqualTo("0a020801" + "120408031002" + "1a0308ac02");
    }

    @Test
    void anAppendAckWithoutAPositionIsRefused() {
        ByteBuf body = proto().message(1, proto()).message(3, proto()).buf();
        assertThatThrownBy(() -> S2Protobuf.decodeAppendAck(body)).isInstanceOf(S2ProtobufException.class)
                .hasMessage("AppendAck.end: missing");
    }

    @Test
    void aPositionGivenTwiceIsMergedAsProtobufSpecifies() {
        ByteBuf body = proto().message(1, proto().uint64(1, 7).uint64(2, 9)).message(1, proto().uint64(2, 11))
                .message(2, proto()).message(3, proto()).buf();
        assertThat(S2Protobuf.decodeAppendAck(body).start()).isEqualTo(new Position(7, 11));
    }

    @Test
    void readBatchRoundTripsAtEdgeValues() {
        List<Message> records = List.of(
                new Message(0, 0, 0, Message.NO_KEY, List.of(), new byte[0]),
                new Message(Long.MAX_VALUE, 1_700_000_000_123L, 1_700_000_000_123_000L, Message.NO_KEY,
                        List.of(new Header(new byte[0], new byte[] {1}), Header.of("content-type", "x")),
                        new byte[] {0, 1, (byte) 0xFF}));
        for (Optional<Position> tail : List.of(Optional.<Position>empty(), Optional.of(new Position(0, 0)),
                Optional.of(new Position(Long.MAX_VALUE, 1_700_000_000_123L)))) {
            ByteBuf out = Unpooled.buffer();
            S2Protobuf.encodeReadBatch(records, tail, out);
            ReadBatchParts back = S2Protobuf.decodeReadBatch(out);
            assertThat(back.records()).isEqualTo(records);
            assertThat(back.tail()).isEqualTo(tail);
        }
    }

    @Test
    void readBatchOmitsDefaultsAndTruncatesMicrosToMillis() {
        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeReadBatch(List.of(new Message(0, 0, 1_999, Message.NO_KEY, List.of(), new byte[0])),
                Optional.empty(), out);
        assertThat(hexOf(out)).isEqualTo("0a021001"); // one record {timestamp 1}: seq_num 0 and body left out
        ByteBuf empty = Unpooled.buffer();
        S2Protobuf.encodeReadBatch(List.of(), Optional.of(new Position(0, 0)), empty);
        assertThat(hexOf(empty)).isEqualTo("1200"); // the tail present and all default
    }

    // --- decoding details ---

    @Test
    void meteredBytesFollowS2sFormula() {
        Proto record = proto().message(2, proto().bytes(1, "k").bytes(2, "v")).bytes(3, "hello");
        assertThat(decode(proto().message(1, record)).meteredBytes()).isEqualTo(8 + 2 + 2 + 5);
        assertThat(decode(proto().message(1, record).message(1, proto())).meteredBytes()).isEqualTo(17 + 8);
    }

    @Test
    void optionalFieldsArePresentWhenZeroOrEmpty() {
        AppendInput input = decode(proto().message(1, proto().uint64(1, 0)).uint64(2, 0).bytes(3, ""));
        assertThat(input.records().get(0).timestampMicros()).isZero();
        assertThat(input.records().get(0).hasTimestamp()).isTrue();
        assertThat(input.matchSeqNum()).hasValue(0);
        assertThat(input.fencingToken()).contains("");
    }

    @Test
    void timestampsAreMillisecondsOnTheWire() {
        AppendInput input = decode(proto().message(1, proto().uint64(1, 1_700_000_000_123L)));
        assertThat(input.records().get(0).timestampMicros()).isEqualTo(1_700_000_000_123_000L);
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkippedAtEveryLevel() {
        Proto unknowns = proto()
                .uint64(15, Long.MIN_VALUE)                  // varint, 10 bytes
                .tag(16, 1).raw(1, 2, 3, 4, 5, 6, 7, 8)      // 64-bit
                .bytes(17, "ignored")                        // length-delimited
                .tag(536_870_911, 5).raw(1, 2, 3, 4);        // 32-bit, the highest field number
        Proto header = proto().bytes(1, "n").raw(unknowns.toBytes()).bytes(2, "v");
        Proto record = proto().raw(unknowns.toBytes()).message(2, header).bytes(3, "body");
        AppendInput input = decode(proto().raw(unknowns.toBytes()).message(1, record).raw(unknowns.toBytes())
                .uint64(2, 4));
        assertThat(input.records()).hasSize(1);
        assertThat(input.records().get(0).headers()).containsExactly(Header.of("n", "v"));
        assertThat(bytes(input.records().get(0).payload())).isEqualTo("body".getBytes(StandardCharsets.UTF_8));
        assertThat(input.matchSeqNum()).hasValue(4);
        assertThat(input.meteredBytes()).isEqualTo(8 + 2 + 2 + 4);

        ByteBuf ack = proto().raw(unknowns.toBytes()).message(1, proto().raw(unknowns.toBytes()).uint64(1, 3))
                .message(2, proto()).message(3, proto()).buf();
        assertThat(S2Protobuf.decodeAppendAck(ack).start()).isEqualTo(new Position(3, 0));
    }

    @Test
    void theLastScalarWins() {
        AppendInput input = decode(proto().message(1, proto().bytes(3, "first").bytes(3, "second"))
                .uint64(2, 1).uint64(2, 2).bytes(3, "a").bytes(3, "b"));
        assertThat(bytes(input.records().get(0).payload())).isEqualTo("second".getBytes(StandardCharsets.UTF_8));
        assertThat(input.matchSeqNum()).hasValue(2);
        assertThat(input.fencingToken()).contains("b");
        assertThat(input.meteredBytes()).isEqualTo(8 + 6);
    }

    @Test
    void bodiesAreCopiesThatOutliveTheBuffer() {
        ByteBuf wire = proto().message(1, proto().bytes(3, "abc")).buf();
        AppendInput input = S2Protobuf.decodeAppendInput(wire);
        wire.setBytes(0, new byte[wire.capacity()]);
        wire.release();
        assertThat(bytes(input.records().get(0).payload())).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void onlyTheReadableBytesAreDecoded() {
        byte[] body = proto().uint64(2, 5).toBytes();
        ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF}).writeBytes(body).writeByte(0xFF);
        wire.readerIndex(2).writerIndex(2 + body.length);
        assertThat(S2Protobuf.decodeAppendInput(wire).matchSeqNum()).hasValue(5);
        assertThat(wire.readerIndex()).isEqualTo(2 + body.length);
    }

    // --- malformations ---

    @Test
    void aLengthPastTheEndOfANestedMessageIsRefusedWithItsPath() {
        Proto body = proto();
        for (int i = 0; i < 3; i++) {
            body.message(1, proto().bytes(3, "ok"));
        }
        body.message(1, proto().tag(2, 2).varint(900)); // headers[0] claims 900 bytes; the record has none left
        assertRefused(body, "AppendInput.records[3].headers[0]: length 900 runs past the end of the message"
                + " (0 bytes left)");
    }

    @Test
    void aLengthPastTheEndOfTheBodyIsRefused() {
        assertRefused(proto().tag(1, 2).varint(10).raw(1, 2), "AppendInput.records[0]: length 10 runs past the"
                + " end of the message (2 bytes left)");
        assertRefused(proto().message(1, proto().tag(3, 2).varint(4).raw(1)),
                "AppendInput.records[0].body: length 4 runs past the end of the message (1 bytes left)");
        assertRefused(proto().message(1, proto().message(2, proto().tag(1, 2).varint(1))),
                "AppendInput.records[0].headers[0].name: length 1 runs past the end of the message (0 bytes left)");
        assertRefused(proto().tag(3, 2).varint(-1L), "AppendInput.fencing_token: length 18446744073709551615"
                + " runs past the end of the message (0 bytes left)");
    }

    @Test
    void truncatedVarintsAreRefused() {
        assertRefused(proto().tag(2, 0).raw(0x80, 0x80), "AppendInput.match_seq_num: truncated varint");
        assertRefused(proto().tag(1, 2), "AppendInput.records[0]: truncated varint");
        assertRefused(proto().raw(0x80), "AppendInput: truncated varint"); // the tag itself
        assertRefused(proto().message(1, proto().raw(0x08, 0xFF)), "AppendInput.records[0].timestamp:"
                + " truncated varint");
    }

    @Test
    void varintsLongerThanTenBytesOrPast64BitsAreRefused() {
        assertRefused(proto().tag(2, 0).raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00),
                "AppendInput.match_seq_num: varint longer than 10 bytes");
        assertRefused(proto().tag(2, 0).raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02),
                "AppendInput.match_seq_num: varint overflows 64 bits");
        assertRefused(proto().tag(9, 0).raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00),
                "AppendInput.field 9: varint longer than 10 bytes");
        // ten bytes ending in 0x01 is the largest uint64, which a sequence number cannot be
        assertRefused(proto().tag(2, 0).raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                "AppendInput.match_seq_num: 18446744073709551615 is above 9223372036854775807");
    }

    @Test
    void aKnownFieldWithTheWrongWireTypeIsRefused() {
        assertRefused(proto().uint64(1, 5), "AppendInput.records[0]: wire type 0 (varint) where 2"
                + " (length-delimited) is expected");
        assertRefused(proto().bytes(2, "5"), "AppendInput.match_seq_num: wire type 2 (length-delimited) where 0"
                + " (varint) is expected");
        assertRefused(proto().message(1, proto().tag(3, 5).raw(1, 2, 3, 4)), "AppendInput.records[0].body: wire"
                + " type 5 (32-bit) where 2 (length-delimited) is expected");
        assertRefused(proto().message(1, proto().message(2, proto().uint64(2, 1))),
                "AppendInput.records[0].headers[0].value: wire type 0 (varint) where 2 (length-delimited) is"
                        + " expected");
        ByteBuf ack = proto().message(1, proto().bytes(1, "x")).buf();
        assertThatThrownBy(() -> S2Protobuf.decodeAppendAck(ack)).hasMessage("AppendAck.start.seq_num: wire type"
                + " 2 (length-delimited) where 0 (varint) is expected");
    }

    @Test
    void groupsAndInvalidWireTypesAndFieldZeroAreRefused() {
        assertRefused(proto().tag(9, 3), "AppendInput.field 9: wire type 3 (start group) is not supported");
        assertRefused(proto().message(1, proto().tag(9, 4)), "AppendInput.records[0].field 9: wire type 4"
                + " (end group) is not supported");
        assertRefused(proto().tag(9, 6), "AppendInput.field 9: wire type 6 (invalid) is not supported");
        assertRefused(proto().tag(0, 0).varint(1), "AppendInput: invalid tag 0 (field number 0)");
        assertRefused(proto().varint(1L << 32), "AppendInput: invalid tag 4294967296 (field number 536870912)");
    }

    @Test
    void truncatedFixedWidthValuesAreRefused() {
        assertRefused(proto().tag(9, 1).raw(1, 2, 3), "AppendInput.field 9: truncated 64-bit value");
        assertRefused(proto().message(1, proto().tag(9, 5).raw(1)), "AppendInput.records[0].field 9: truncated"
                + " 32-bit value");
    }

    @Test
    void aFencingTokenMustBeUtf8() {
        assertRefused(proto().bytes(3, new byte[] {'a', (byte) 0xC3}), "AppendInput.fencing_token: not valid"
                + " UTF-8");
        assertRefused(proto().bytes(3, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                "AppendInput.fencing_token: not valid UTF-8"); // a lone surrogate
    }

    @Test
    void timestampsPastYear9999AreRefused() {
        long lastMillis = RecordLimits.MAX_TIMESTAMP_MICROS / 1000;
        assertThat(decode(proto().message(1, proto().uint64(1, lastMillis))).records().get(0).timestampMicros())
                .isEqualTo(lastMillis * 1000);
        assertRefused(proto().message(1, proto().uint64(1, lastMillis + 1)), "AppendInput.records[0].timestamp: "
                + (lastMillis + 1) + " ms is past the latest timestamp, " + lastMillis + " ms (year 9999)");
        assertRefused(proto().message(1, proto().uint64(1, Long.MAX_VALUE / 1000 + 1)),
                "AppendInput.records[0].timestamp: " + (Long.MAX_VALUE / 1000 + 1)
                        + " ms is past the latest timestamp, " + lastMillis + " ms (year 9999)");
        assertRefused(proto().message(1, proto().uint64(1, -1)), "AppendInput.records[0].timestamp: "
                + "18446744073709551615 ms is past the latest timestamp, " + lastMillis + " ms (year 9999)");
    }

    @Test
    void readBatchErrorsNameTheirField() {
        ByteBuf body = proto().message(1, proto()).message(1, proto().message(3, proto().tag(2, 2).varint(3)))
                .buf();
        assertThatThrownBy(() -> S2Protobuf.decodeReadBatch(body)).isInstanceOf(S2ProtobufException.class)
                .hasMessage("ReadBatch.records[1].headers[0].value: length 3 runs past the end of the message"
                        + " (0 bytes left)");
        ByteBuf tail = proto().message(2, proto().uint64(1, -1)).buf();
        assertThatThrownBy(() -> S2Protobuf.decodeReadBatch(tail)).hasMessage("ReadBatch.tail.seq_num:"
                + " 18446744073709551615 is above 9223372036854775807");
    }

    // --- limits ---

    @Test
    void atMost1000Records() {
        Proto body = proto();
        for (int i = 0; i < 1000; i++) {
            body.message(1, proto());
        }
        assertThat(decode(body).records()).hasSize(1000);
        body.message(1, proto());
        assertRefused(body, "AppendInput.records[1000]: more than 1000 records (S2's limit)");
    }

    @Test
    void atMost256HeadersPerRecord() {
        Proto record = proto();
        for (int i = 0; i < 256; i++) {
            record.message(2, proto());
        }
        AppendInput input = decode(proto().message(1, record));
        assertThat(input.records().get(0).headers()).hasSize(256)
                .allSatisfy(h -> assertThat(h).isEqualTo(new Header(new byte[0], new byte[0])));
        assertThat(input.meteredBytes()).isEqualTo(8 + 2 * 256);
        record.message(2, proto());
        assertRefused(proto().message(1, proto()).message(1, record),
                "AppendInput.records[1].headers[256]: more than 256 headers (S2's limit)");
    }

    @Test
    void aBatchMeteringOver2MiBIsRefusedAsItIsRead() {
        byte[] mebibyte = new byte[1024 * 1024 - 8];
        Proto twoMiB = proto().message(1, proto().bytes(3, mebibyte)).message(1, proto().bytes(3, mebibyte));
        assertThat(decode(twoMiB).meteredBytes()).isEqualTo(2L * 1024 * 1024);
        assertRefused(twoMiB.message(1, proto()), "AppendInput.records[2]: the batch's metered size passes 2097152"
                + " bytes");
    }

    @Test
    void manyRecordsOfManyHeadersRoundTrip() {
        List<AppendRecord> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            List<Header> headers = new ArrayList<>();
            for (int h = 0; h < (i % 7 == 0 ? 256 : i % 5); h++) {
                headers.add(Header.of("h" + h, "v" + i));
            }
            records.add(new AppendRecord(i * 1000L, Message.NO_KEY, headers,
                    ByteBuffer.wrap(("record " + i).getBytes(StandardCharsets.UTF_8))));
        }
        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeAppendInput(new AppendInput(records, OptionalLong.empty(), Optional.empty(), 0), out);
        int size = out.readableBytes();
        AppendInput back = S2Protobuf.decodeAppendInput(out);
        assertThat(back.records()).hasSize(1000);
        long metered = 0;
        for (int i = 0; i < 1000; i++) {
            AppendRecord record = records.get(i);
            assertThat(back.records().get(i).headers()).isEqualTo(record.headers());
            assertThat(back.records().get(i).timestampMicros()).isEqualTo(record.timestampMicros());
            metered += 8 + 2L * record.headers().size() + record.payload().remaining();
            for (Header header : record.headers()) {
                metered += header.name().length + header.value().length;
            }
        }
        assertThat(back.meteredBytes()).isEqualTo(metered);
        assertThat(size).isPositive();
    }

    @Test
    void varintSizesMatchWhatIsWritten() {
        for (long value : new long[] {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1,
                Long.MIN_VALUE}) {
            ByteBuf out = Unpooled.buffer();
            S2Protobuf.writeVarint(out, value);
            assertThat(S2Protobuf.varintSize(value)).as("size of %d", value).isEqualTo(out.readableBytes());
        }
    }
}
