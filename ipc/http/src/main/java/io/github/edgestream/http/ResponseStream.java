package io.github.edgestream.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Where a streaming reply writes its body. Thread-safe: chunks may be written from any thread; they are sent in the
 * order written.
 */
public interface ResponseStream {

    /**
     * Sends a chunk (the stream takes ownership of the buffer). The stage completes when the chunk has been handed
     * to the socket; wait on it before writing the next large chunk, which keeps a slow reader from filling memory.
     * It fails if the client went away.
     */
    CompletionStage<Void> write(ByteBuf chunk);

    /** Sends one server-sent event ({@code text/event-stream}): optional event name and id, data lines. */
    default CompletionStage<Void> event(String event, String id, String data) {
        StringBuilder frame = new StringBuilder();
        if (event != null) {
            frame.append("event: ").append(event).append('\n');
        }
        if (id != null) {
            frame.append("id: ").append(id).append('\n');
        }
        for (String line : data.split("\n", -1)) {
            frame.append("data: ").append(line).append('\n');
        }
        frame.append('\n');
        return write(io.netty.buffer.Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8));
    }

    /** Ends the body. Idempotent. */
    void end();

    /** False once the client has gone away or {@link #end} was called. */
    boolean isOpen();

    /** Runs the action when the client goes away or the body ends (at once if it already has). */
    void onClose(Runnable action);
}
