package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.ResponseTooLargeException;
import io.github.edgestream.http.ResponseStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read session: batches from a start position for as long as S2's rules say, over server-sent events or S2S
 * frames. It holds no thread: each read waits in the store (up to the heartbeat interval) and the next read starts
 * only once the previous batch has been handed to the socket, so a slow reader slows the session instead of filling
 * memory.
 *
 * <p>It ends when its {@code count} or {@code bytes} are used up, at a record timestamped at or after {@code until},
 * at the tail if it has a limit and no {@code wait}, or after {@code wait} seconds without a new record; without
 * any of them it follows the stream for ever. At the tail it sends a heartbeat at once and then every
 * {@code api.s2.heartbeatSeconds} (an SSE {@code ping} with the tail, or an empty S2S batch with the tail).
 */
final class ReadSession {

    private static final Logger LOG = LoggerFactory.getLogger(ReadSession.class);

    enum Transport {
        SSE, S2S
    }

    private final MessageStream stream;
    private final RecordOperations.ReadArgs args;
    private final Transport transport;
    private final S2RequestDecoder.Format format;
    private final ResponseStream out;
    private final Duration heartbeat;
    private final Clock clock;

    private long next;
    private long remainingCount;
    private long remainingBytes;
    private long deliveredCount;
    private long deliveredBytes;
    /** When the last batch was sent, or the session started (for {@code wait}). */
    private long lastBatchMillis;
    /** A heartbeat was sent since the last batch. */
    private boolean heartbeatSent;
    private volatile boolean finished;

    ReadSession(MessageStream stream, RecordOperations.ReadArgs args, long start, long countUsed, long bytesUsed,
            Transport transport, S2RequestDecoder.Format format, ResponseStream out, Duration heartbeat,
            Clock clock) {
        this.stream = stream;
        this.args = args;
        this.transport = transport;
        this.format = format;
        this.out = out;
        this.heartbeat = heartbeat;
        this.clock = clock;
        this.next = start;
        this.remainingCount = args.count().isPresent() ? Math.max(0, args.count().getAsLong() - countUsed)
                : Long.MAX_VALUE;
        this.remainingBytes = args.bytes().isPresent() ? Math.max(0, args.bytes().getAsLong() - bytesUsed)
                : Long.MAX_VALUE;
        this.deliveredCount = countUsed;
        this.deliveredBytes = bytesUsed;
        this.lastBatchMillis = clock.millis();
    }

    void start() {
        out.onClose(() -> finished = true);
        step();
    }

    /** One round: finish, or read (waiting at most a heartbeat interval) and send what came. */
    private void step() {
        if (finished || !out.isOpen()) {
            finished = true;
            return;
        }
        if (remainingCount == 0 || remainingBytes == 0) {
            finish();
            return;
        }
        Position tail = Appends.tail(stream);
        boolean atTail = next >= tail.seqNum();
        long waitLeft = Long.MAX_VALUE;
        if (atTail) {
            if (!args.mayFollow(true)) {
                finish();
                return;
            }
            if (args.waitSeconds().isPresent() && args.waitSeconds().getAsLong() > 0) {
                waitLeft = args.waitSeconds().getAsLong() * 1000 - (clock.millis() - lastBatchMillis);
                if (waitLeft <= 0) {
                    finish();
                    return;
                }
            }
            if (!heartbeatSent) {
                heartbeatSent = true;
                sendHeartbeat(tail).whenComplete((ok, failure) -> {
                    if (failure == null) {
                        step();
                    } else {
                        finished = true;
                    }
                });
                return;
            }
        }
        int max = (int) Math.min(RecordOperations.MAX_COUNT, remainingCount);
        long budget = Math.min(RecordOperations.MAX_BYTES, remainingBytes);
        Duration timeout = Duration.ofMillis(Math.min(heartbeat.toMillis(), waitLeft));
        ReadRequest request = new ReadRequest(next, 1, max, timeout, DataSize.ofBytes(budget), 8,
                args.stopBeforeMicros());
        stream.read(request).whenComplete((records, failure) -> {
            if (failure != null) {
                Throwable cause = Basins.unwrap(failure);
                if (cause instanceof NotEnoughMessagesException) {
                    idle();
                } else if (cause instanceof ResponseTooLargeException) {
                    finish(); // the next record does not fit what is left of the byte limit
                } else {
                    fail(cause);
                }
                return;
            }
            deliver(records);
        });
    }

    /** Nothing came within a heartbeat interval: a heartbeat, then the next round (which may end the session). */
    private void idle() {
        if (finished) {
            return;
        }
        sendHeartbeat(Appends.tail(stream)).whenComplete((ok, failure) -> {
            if (failure == null) {
                step();
            } else {
                finished = true;
            }
        });
    }

    private void deliver(List<Message> read) {
        if (read.isEmpty()) {
            finish(); // a record at or after until
            return;
        }
        List<Message> records = RecordOperations.withinMetered(read, remainingBytes);
        if (records.isEmpty()) {
            finish();
            return;
        }
        long bytes = 0;
        for (Message record : records) {
            bytes += RecordOperations.metered(record);
        }
        next = records.get(records.size() - 1).sequenceNumber() + 1;
        remainingCount -= records.size();
        remainingBytes -= bytes;
        deliveredCount += records.size();
        deliveredBytes += bytes;
        lastBatchMillis = clock.millis();
        heartbeatSent = false;
        Position tail = Appends.tail(stream);
        Optional<Position> caughtUp = next >= tail.seqNum() ? Optional.of(tail) : Optional.empty();
        send(records, caughtUp).whenComplete((ok, failure) -> {
            if (failure == null) {
                step();
            } else {
                finished = true;
            }
        });
    }

    private java.util.concurrent.CompletionStage<Void> send(List<Message> records, Optional<Position> tail) {
        if (transport == Transport.SSE) {
            String id = records.get(records.size() - 1).sequenceNumber() + "," + deliveredCount + ","
                    + deliveredBytes;
            return out.event("batch", id, S2ResponseEncoder.batchJson(records, tail, format));
        }
        ByteBuf body = ByteBufAllocator.DEFAULT.buffer();
        S2Protobuf.encodeReadBatch(records, tail, body);
        return out.write(S2sFraming.dataFrame(ByteBufAllocator.DEFAULT, body));
    }

    private java.util.concurrent.CompletionStage<Void> sendHeartbeat(Position tail) {
        if (transport == Transport.SSE) {
            return out.event("ping", null, "{\"timestamp\":" + clock.millis() + ",\"tail\":"
                    + S2ResponseEncoder.position(tail) + "}");
        }
        ByteBuf body = ByteBufAllocator.DEFAULT.buffer(24);
        S2Protobuf.encodeReadBatch(List.of(), Optional.of(tail), body);
        return out.write(S2sFraming.dataFrame(ByteBufAllocator.DEFAULT, body));
    }

    /** The session is complete: SSE's {@code [DONE]}, then the end of the body. */
    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (transport == Transport.SSE) {
            out.event(null, null, "[DONE]").whenComplete((ok, failure) -> out.end());
        } else {
            out.end();
        }
    }

    private void fail(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        S2Exception error = S2ErrorTable.of(cause);
        if (error == null) {
            LOG.error("S2 read session on stream \"{}\" failed unexpectedly", stream.name(), cause);
            error = new S2Exception(500, "other", "internal error (" + cause.getClass().getSimpleName()
                    + "); see the daemon's log");
        }
        if (transport == Transport.SSE) {
            out.event("error", null, error.json()).whenComplete((ok, failure) -> out.end());
        } else {
            out.write(S2sFraming.terminalFrame(ByteBufAllocator.DEFAULT, error.status(), error.json()))
                    .whenComplete((ok, failure) -> out.end());
        }
    }
}
