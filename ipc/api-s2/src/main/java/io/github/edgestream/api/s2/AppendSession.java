package io.github.edgestream.api.s2;

import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.RequestBodyStream;
import io.github.edgestream.http.ResponseStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One S2S append session on an HTTP/2 stream: AppendInput frames in, AppendAck frames out, in order.
 *
 * <p>Each batch is appended as its frame arrives (on the connection's event loop, so in order); acknowledgements
 * are sent in the order of the batches once each is durable. The first batch that fails ends the session: the acks
 * of the batches before it, then a terminal frame with its error (412 with the expected sequence number or fencing
 * token, 422, ...); no batch after it is appended.
 *
 * <p><b>Backpressure.</b> When the batches not yet acknowledged hold more than {@code api.s2.sessionWindow} bytes,
 * the session stops reading the request (HTTP/2 flow control then stops the client without dropping it) until
 * acknowledgements bring them under half of it.
 *
 * <p>A client that goes away frees the session at once: buffered frames are released and nothing more is sent.
 */
final class AppendSession implements RequestBodyStream.Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(AppendSession.class);
    /** S2's largest S2S frame. */
    static final int MAX_FRAME = 2 * 1024 * 1024;

    private final RecordOperations records;
    private final HttpCall call;
    private final String basin;
    private final MessageStream stream;
    private final ResponseStream out;
    private final RequestBodyStream body;
    private final long window;
    private final S2sFraming.Decoder decoder = new S2sFraming.Decoder(ByteBufAllocator.DEFAULT, MAX_FRAME);

    /** Batches appended and not yet acknowledged to the client, oldest first. Guarded by this. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long unacked;
    private boolean paused;
    /** The client half-closed its side: end once every ack is out. */
    private boolean ended;
    /** The error that ends the session, once the acks before it are out. */
    private S2Exception failure;
    private boolean closed;
    /** Guarded by the decoder. */
    private boolean decoderClosed;

    private record Pending(CompletableFuture<RecordOperations.Ack> ack, long bytes) {
    }

    AppendSession(RecordOperations records, HttpCall call, String basin, MessageStream stream, ResponseStream out,
            long window) {
        this.records = records;
        this.call = call;
        this.basin = basin;
        this.stream = stream;
        this.out = out;
        this.body = call.requestBody();
        this.window = window;
    }

    void start() {
        out.onClose(this::clientGone);
        body.receive(this);
    }

    @Override
    public void onChunk(ByteBuf chunk) {
        synchronized (this) {
            if (closed || failure != null) {
                chunk.release();
                return;
            }
        }
        try {
            synchronized (decoder) {
                if (decoderClosed) {
                    chunk.release();
                    return;
                }
                decoder.feed(chunk);
                for (S2sFraming.Frame frame = decoder.next(); frame != null;
                        frame = decoderClosed ? null : decoder.next()) {
                    try {
                        accept(frame);
                    } finally {
                        frame.body().release();
                    }
                }
            }
        } catch (S2sFramingException e) {
            failAfterPending(new S2Exception(400, "bad_frame", e.getMessage()));
        } catch (S2Exception e) {
            failAfterPending(e);
        }
    }

    /** One frame: an AppendInput to append now, in order. */
    private void accept(S2sFraming.Frame frame) {
        synchronized (this) {
            if (closed || failure != null) {
                return;
            }
        }
        if (frame.terminal()) {
            throw new S2Exception(400, "bad_frame", "a client's S2S frame may not be terminal");
        }
        long size = frame.body().readableBytes();
        AppendInput input;
        try {
            input = S2RequestDecoder.checked(S2Protobuf.decodeAppendInput(frame.body()));
        } catch (S2ProtobufException e) {
            throw new S2Exception(400, "bad_proto", e.getMessage());
        }
        CompletableFuture<RecordOperations.Ack> ack;
        try {
            ack = records.append(call, basin, stream, input).toCompletableFuture();
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        synchronized (this) {
            pending.add(new Pending(ack, size));
            unacked += size;
            if (ack.isCompletedExceptionally()) {
                // refused at once (a condition, a limit): nothing after it may be appended
                failure = error(ack);
            } else if (unacked > window && !paused) {
                paused = true;
                body.pause();
            }
        }
        ack.whenComplete((ok, e) -> drain());
    }

    /** Sends the acks that are ready, in order; then the terminal error or the end, once nothing is pending. */
    private void drain() {
        boolean resume = false;
        boolean end = false;
        S2Exception terminal = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            while (!pending.isEmpty() && pending.peek().ack().isDone()) {
                Pending done = pending.poll();
                unacked -= done.bytes();
                if (done.ack().isCompletedExceptionally()) {
                    if (failure == null || failure.status() == 0) {
                        failure = error(done.ack());
                    }
                    terminal = failure;
                    break;
                }
                RecordOperations.Ack ack = done.ack().join();
                ByteBuf frame = ByteBufAllocator.DEFAULT.buffer(64);
                S2Protobuf.encodeAppendAck(ack.start(), ack.end(), ack.tail(), frame);
                out.write(S2sFraming.dataFrame(ByteBufAllocator.DEFAULT, frame));
            }
            if (terminal == null && pending.isEmpty() && failure != null) {
                terminal = failure;
            }
            if (terminal != null) {
                closed = true;
                pending.clear();
            } else if (pending.isEmpty() && ended) {
                closed = true;
                end = true;
            } else if (paused && unacked <= window / 2) {
                paused = false;
                resume = true;
            }
        }
        if (terminal != null) {
            S2Exception error = terminal;
            out.write(S2sFraming.terminalFrame(ByteBufAllocator.DEFAULT, error.status(), error.json()))
                    .whenComplete((ok, e) -> out.end());
            decoderClose();
        } else if (end) {
            out.end();
            decoderClose();
        } else if (resume) {
            body.resume();
        }
    }

    private static S2Exception error(CompletableFuture<?> failed) {
        try {
            failed.join();
            return new S2Exception(500, "other", "no failure");
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = Basins.unwrap(e);
            S2Exception error = S2ErrorTable.of(cause);
            if (error == null) {
                LOG.error("S2 append session: an append failed unexpectedly", cause);
                error = new S2Exception(500, "other", "internal error (" + cause.getClass().getSimpleName()
                        + "); see the daemon's log");
            }
            return error;
        }
    }

    private void failAfterPending(S2Exception error) {
        synchronized (this) {
            if (failure == null) {
                failure = error;
            }
        }
        drain();
    }

    @Override
    public void onEnd() {
        synchronized (this) {
            ended = true;
        }
        drain();
    }

    @Override
    public void onAbort(Throwable cause) {
        clientGone();
    }

    private void clientGone() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
        }
        decoderClose();
    }

    /** Releases what the decoder holds; frames that arrive later are dropped. */
    private void decoderClose() {
        synchronized (decoder) {
            if (!decoderClosed) {
                decoderClosed = true;
                decoder.close();
            }
        }
    }
}
