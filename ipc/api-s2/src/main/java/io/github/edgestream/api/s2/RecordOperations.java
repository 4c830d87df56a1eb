package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.ResponseTooLargeException;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * S2's record operations outside sessions: append (JSON or protobuf, acknowledged once durable by the stream's
 * {@code flushOnWrite}), read (from a sequence number, a timestamp or an offset from the tail, with S2's limits and
 * long-poll {@code wait}, which holds no thread) and check tail.
 */
final class RecordOperations {

    static final int MAX_COUNT = 1000;
    static final long MAX_BYTES = 1024 * 1024;
    static final long MAX_UNARY_WAIT_SECONDS = 60;

    private final Basins basins;

    RecordOperations(Basins basins) {
        this.basins = basins;
    }

    // ------------------------------------------------------------------------------------------------ append

    CompletionStage<HttpReply> append(HttpCall call, String basin, StreamName name) {
        call.operation("append");
        AppendInput input = S2RequestDecoder.append(call);
        boolean protobuf = S2RequestDecoder.acceptsProtobuf(call) || S2RequestDecoder.isProtobuf(call);
        call.principal().check(Permission.WRITE, S2Names.namespace(basin), name.value());
        return basins.stream(basin, name, true, call).thenCompose(stream -> append(call, basin, stream, input))
                .thenApply(ack -> S2ResponseEncoder.ack(ack.start(), ack.end(), ack.tail(), protobuf));
    }

    /** The positions an acknowledged append reports. */
    record Ack(Position start, Position end, Position tail) {
    }

    /** Appends one batch to a stream and completes once it is acknowledged (and its trim command done). */
    CompletionStage<Ack> append(HttpCall call, String basin, MessageStream stream, AppendInput input) {
        Appends.Prepared prepared = Appends.prepare(input, stream, basins.clock().millis());
        if (prepared.hasCommands()) {
            call.principal().check(Permission.ADMIN, S2Names.namespace(basin), stream.name().value());
        }
        StreamService service = basins.basin(basin);
        return service.appendBatch(stream.name(), 0, prepared.batch()).thenCompose(result -> {
            OptionalLong trim = prepared.trimPoint(result);
            CompletionStage<Long> trimmed = trim.isPresent() ? service.trim(stream.name(), 0, trim.getAsLong())
                    : CompletableFuture.completedFuture(0L);
            return trimmed.thenApply(oldest -> ack(stream, result));
        });
    }

    static Ack ack(MessageStream stream, AppendResult result) {
        Position tail = Appends.tail(stream);
        Position end = new Position(result.nextSequence(), result.lastTimestampMicros() / 1000);
        return new Ack(new Position(result.firstSequence(), result.firstTimestampMicros() / 1000), end,
                tail.seqNum() >= end.seqNum() ? tail : end);
    }

    // ------------------------------------------------------------------------------------------------ read

    /** Where and how far a read goes, parsed from its query. */
    record ReadArgs(OptionalLong seqNum, OptionalLong timestamp, OptionalLong tailOffset, boolean clamp,
            OptionalLong count, OptionalLong bytes, OptionalLong until, OptionalLong waitSeconds) {

        static ReadArgs of(HttpCall call) {
            OptionalLong seq = S2RequestDecoder.queryLong(call, "seq_num", Long.MAX_VALUE);
            OptionalLong ts = S2RequestDecoder.queryLong(call, "timestamp", Long.MAX_VALUE);
            OptionalLong offset = S2RequestDecoder.queryLong(call, "tail_offset", Long.MAX_VALUE);
            int given = (seq.isPresent() ? 1 : 0) + (ts.isPresent() ? 1 : 0) + (offset.isPresent() ? 1 : 0);
            if (given > 1) {
                throw S2Exception.invalid("only one of seq_num, timestamp or tail_offset may be given");
            }
            OptionalLong until = S2RequestDecoder.queryLong(call, "until", Long.MAX_VALUE);
            if (ts.isPresent() && until.isPresent() && until.getAsLong() <= ts.getAsLong()) {
                throw S2Exception.invalid("until (" + until.getAsLong() + ") must be later than timestamp ("
                        + ts.getAsLong() + ")");
            }
            return new ReadArgs(seq, ts, offset, S2RequestDecoder.queryBoolean(call, "clamp").orElse(false),
                    S2RequestDecoder.queryLong(call, "count", Long.MAX_VALUE),
                    S2RequestDecoder.queryLong(call, "bytes", Long.MAX_VALUE), until,
                    S2RequestDecoder.queryLong(call, "wait", Integer.MAX_VALUE));
        }

        /** Whether a read at the tail may wait for records instead of being out of range. */
        boolean mayFollow(boolean session) {
            boolean limited = count.isPresent() || bytes.isPresent() || until.isPresent() || !session;
            return !limited || waitSeconds.orElse(0) > 0;
        }

        long stopBeforeMicros() {
            return until.isPresent() ? Math.min(until.getAsLong(), Long.MAX_VALUE / 1000) * 1000 : Long.MAX_VALUE;
        }
    }

    /**
     * The first sequence number a read returns, by S2's rules; 416 (with the tail) when it lies beyond the tail, or
     * at the tail of a read that may not wait, unless {@code clamp}.
     */
    static long start(MessageStream stream, ReadArgs args, boolean session) {
        Position tail = Appends.tail(stream);
        long start;
        boolean seqForm = true;
        if (args.seqNum().isPresent()) {
            start = args.seqNum().getAsLong();
            if (start > tail.seqNum()) {
                if (!args.clamp()) {
                    throw outOfRange(tail);
                }
                start = tail.seqNum();
            }
        } else if (args.timestamp().isPresent()) {
            long ts = args.timestamp().getAsLong();
            seqForm = false;
            if (ts > tail.timestampMillis()) {
                if (!args.clamp()) {
                    throw outOfRange(tail);
                }
                start = tail.seqNum();
            } else {
                start = stream.seekTime(Math.multiplyExact(ts, 1000L));
            }
        } else {
            long offset = args.tailOffset().orElse(0);
            start = Math.max(0, tail.seqNum() - offset);
        }
        if (seqForm && start == tail.seqNum() && !args.mayFollow(session)) {
            throw outOfRange(tail);
        }
        return start;
    }

    static S2Exception outOfRange(Position tail) {
        return S2Exception.withBody(416, "range_not_satisfiable", "the read starts beyond the stream's tail",
                "{\"tail\":" + S2ResponseEncoder.position(tail) + "}");
    }

    CompletionStage<HttpReply> read(HttpCall call, String basin, StreamName name) {
        call.operation("read");
        ReadArgs args = ReadArgs.of(call);
        S2RequestDecoder.Format format = S2RequestDecoder.format(call);
        boolean protobuf = S2RequestDecoder.acceptsProtobuf(call);
        call.principal().check(Permission.READ, S2Names.namespace(basin), name.value());
        return basins.stream(basin, name, false, call).thenCompose(stream -> {
            long start = start(stream, args, false);
            int count = (int) Math.min(args.count().orElse(MAX_COUNT), MAX_COUNT);
            long bytes = Math.min(args.bytes().orElse(MAX_BYTES), MAX_BYTES);
            long wait = Math.min(args.waitSeconds().orElse(0), MAX_UNARY_WAIT_SECONDS);
            if (count == 0 || bytes == 0) {
                return CompletableFuture.completedFuture(S2ResponseEncoder.batch(List.of(), Optional.empty(),
                        protobuf, format));
            }
            boolean atTail = start >= Appends.tail(stream).seqNum();
            ReadRequest request = new ReadRequest(Math.max(start, 0), 1, count, Duration.ofSeconds(wait),
                    DataSize.ofBytes(bytes), 8, args.stopBeforeMicros());
            return read(stream, request, bytes).thenApply(records -> S2ResponseEncoder.batch(records,
                    atTail && !records.isEmpty() ? Optional.of(Appends.tail(stream)) : Optional.empty(), protobuf,
                    format));
        });
    }

    /**
     * Reads up to the request's count and S2's metered byte limit; no records (rather than a failure) when none come
     * in time or the first does not fit.
     */
    static CompletionStage<List<Message>> read(MessageStream stream, ReadRequest request, long meteredLimit) {
        return stream.read(request).handle((records, failure) -> {
            if (failure != null) {
                Throwable cause = Basins.unwrap(failure);
                if (cause instanceof NotEnoughMessagesException || cause instanceof ResponseTooLargeException) {
                    return List.<Message>of();
                }
                throw AdminOperations.rethrow(failure);
            }
            return withinMetered(records, meteredLimit);
        });
    }

    /** The longest prefix of the records within a metered byte limit (S2 never splits or exceeds it). */
    static List<Message> withinMetered(List<Message> records, long limit) {
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            total += metered(records.get(i));
            if (total > limit) {
                return new ArrayList<>(records.subList(0, i));
            }
        }
        return records;
    }

    static long metered(Message record) {
        long size = 8L + record.payload().length;
        for (Header header : record.headers()) {
            size += 2L + header.name().length + header.value().length;
        }
        return size;
    }

    // ------------------------------------------------------------------------------------------------ tail

    CompletionStage<HttpReply> checkTail(HttpCall call, String basin, StreamName name) {
        call.operation("check-tail");
        call.principal().check(Permission.READ, S2Names.namespace(basin), name.value());
        return basins.stream(basin, name, false, call).thenApply(stream -> HttpReply.text(200,
                S2ResponseEncoder.JSON, "{\"tail\":" + S2ResponseEncoder.position(Appends.tail(stream)) + "}"));
    }
}
