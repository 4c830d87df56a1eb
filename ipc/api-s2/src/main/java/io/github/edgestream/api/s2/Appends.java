package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.MessageStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns an S2 append into the store's batch under the stream's S2 configuration:
 * <ul>
 *   <li><b>Timestamps</b> (milliseconds on the wire): {@code client-prefer} keeps a client's and stamps the others
 *       with the arrival time, {@code client-require} refuses a record without one (422), {@code arrival} ignores
 *       them; unless {@code uncapped}, a client timestamp later than the arrival time is lowered to it; one earlier
 *       than the stream's newest is raised to it ({@link AppendBatch.TimestampRule#RAISE}), never refused.</li>
 *   <li><b>Command records</b>, a record whose only header has an empty name: {@code fence} (body: the new fencing
 *       token, UTF-8, at most {@value #MAX_FENCING_TOKEN_BYTES} bytes) sets the token atomically with the batch, after
 *       the batch's own {@code fencing_token} was checked; {@code trim} (body: 8-byte big-endian sequence number)
 *       trims the stream below it once the batch is stored, never past the trim record itself. Both are stored as
 *       records, as S2 does.</li>
 * </ul>
 */
final class Appends {

    /** S2's limit on a fencing token. */
    static final int MAX_FENCING_TOKEN_BYTES = 36;

    /**
     * A batch ready for the store.
     *
     * @param batch       the store's batch, with its conditions and fence
     * @param trimIndex   the index of the last trim command in the batch, or -1
     * @param trimTo      the sequence number that trim asks for
     * @param hasCommands whether the batch holds command records (they need the admin permission)
     */
    record Prepared(AppendBatch batch, int trimIndex, long trimTo, boolean hasCommands) {

        /** Where the trim lands once the batch has its sequence numbers: never past the trim record itself. */
        OptionalLong trimPoint(AppendResult result) {
            if (trimIndex < 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Math.min(trimTo, result.firstSequence() + trimIndex + 1));
        }
    }

    private Appends() {
    }

    static Prepared prepare(AppendInput input, MessageStream stream, long nowMillis) {
        StreamConfig config = StreamConfig.of(stream.definition());
        String mode = config.mode().orElse(StreamConfig.CLIENT_PREFER);
        boolean uncapped = config.uncapped().orElse(false);
        long nowMicros = nowMillis * 1000;
        List<AppendRecord> records = new ArrayList<>(input.records().size());
        Optional<String> fenceTo = Optional.empty();
        int trimIndex = -1;
        long trimTo = 0;
        boolean commands = false;
        for (int i = 0; i < input.records().size(); i++) {
            AppendRecord record = input.records().get(i);
            String path = "records[" + i + "]";
            Optional<String> command = command(record, path);
            if (command.isPresent()) {
                commands = true;
                byte[] body = bytes(record.payload());
                if (command.get().equals("fence")) {
                    fenceTo = Optional.of(fencingToken(body, path + ".body"));
                } else {
                    if (body.length != 8) {
                        throw S2Exception.invalid(path + " is a trim command whose body has " + body.length
                                + " bytes but must have 8 (the big-endian sequence number to trim below)");
                    }
                    long point = ByteBuffer.wrap(body).getLong();
                    trimTo = point < 0 ? Long.MAX_VALUE : point;
                    trimIndex = i;
                }
            }
            long timestamp = record.timestampMicros();
            switch (mode) {
                case StreamConfig.ARRIVAL -> timestamp = AppendRecord.INGEST_TIME;
                case StreamConfig.CLIENT_REQUIRE -> {
                    if (!record.hasTimestamp()) {
                        throw S2Exception.invalid(path + ".timestamp is missing but stream \"" + stream.name()
                                + "\" has timestamping mode client-require");
                    }
                }
                default -> {
                }
            }
            if (timestamp != AppendRecord.INGEST_TIME && !uncapped && timestamp > nowMicros) {
                timestamp = nowMicros;
            }
            records.add(timestamp == record.timestampMicros() ? record : record.withTimestampMicros(timestamp));
        }
        AppendBatch batch = AppendBatch.of(records).withTimestampRule(AppendBatch.TimestampRule.RAISE);
        if (input.matchSeqNum().isPresent()) {
            batch = batch.expectingNext(input.matchSeqNum().getAsLong());
        }
        if (input.fencingToken().isPresent()) {
            String token = input.fencingToken().get();
            if (token.getBytes(StandardCharsets.UTF_8).length > MAX_FENCING_TOKEN_BYTES) {
                throw S2Exception.badJson("fencing_token has " + token.getBytes(StandardCharsets.UTF_8).length
                        + " bytes but must have at most " + MAX_FENCING_TOKEN_BYTES);
            }
            batch = batch.withFencingToken(token);
        }
        if (fenceTo.isPresent()) {
            batch = batch.fencingTo(fenceTo.get());
        }
        return new Prepared(batch, trimIndex, trimTo, commands);
    }

    /** The command a record carries ({@code fence} or {@code trim}), if it is a command record. */
    private static Optional<String> command(AppendRecord record, String path) {
        List<Header> headers = record.headers();
        boolean anyEmptyName = false;
        for (Header header : headers) {
            anyEmptyName |= header.name().length == 0;
        }
        if (!anyEmptyName) {
            return Optional.empty();
        }
        if (headers.size() != 1) {
            throw S2Exception.invalid(path + " has a header with an empty name among " + headers.size()
                    + " headers: only a command record (one header, empty name, value fence or trim) may");
        }
        String value = new String(headers.get(0).value(), StandardCharsets.UTF_8);
        if (!value.equals("fence") && !value.equals("trim")) {
            throw S2Exception.invalid(path + " is a command record with command \"" + S2RequestDecoder.clip(value)
                    + "\"; the commands are fence and trim");
        }
        return Optional.of(value);
    }

    private static String fencingToken(byte[] body, String path) {
        if (body.length > MAX_FENCING_TOKEN_BYTES) {
            throw S2Exception.invalid(path + " (a fence command's new token) has " + body.length + " bytes but"
                    + " must have at most " + MAX_FENCING_TOKEN_BYTES);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw S2Exception.invalid(path + " (a fence command's new token) is not UTF-8");
        }
    }

    private static byte[] bytes(ByteBuffer payload) {
        byte[] out = new byte[payload.remaining()];
        payload.duplicate().get(out);
        return out;
    }

    /** The stream's tail: the next sequence number, and the newest record's timestamp in ms (0 if none). */
    static Position tail(MessageStream stream) {
        long next = stream.info().newestSequenceNumber() + 1;
        long newest = stream.newestTimestampMicros();
        return new Position(next, newest == Long.MIN_VALUE ? 0 : newest / 1000);
    }
}
