package io.github.edgestream.http;

import io.netty.buffer.ByteBuf;

/**
 * The body of a session request, delivered as it arrives while the reply streams out (S2's append session over
 * HTTP/2): see {@link HttpApi#streamsRequestBody}. Chunks arrive in order on the connection's event loop.
 *
 * <p><b>Backpressure.</b> {@link #pause} stops reading the body: over HTTP/2 the stream's flow-control window is
 * then not given back, so the client stops sending once it has used it up, without being disconnected;
 * {@link #resume} reads on. A paused session holds at most one window of data in the layer.
 *
 * <p>Thread-safe: pause and resume may be called from any thread.
 */
public interface RequestBodyStream {

    /** Where the body goes. Called on the event loop; must not block. */
    interface Receiver {
        /** The next part of the body; the receiver owns it and releases it. */
        void onChunk(ByteBuf chunk);

        /** The client finished the body (half-closed its side). */
        void onEnd();

        /** The client went away, or the request broke off, before the body ended. */
        void onAbort(Throwable cause);
    }

    /**
     * Sets the receiver; chunks that arrived before are handed to it first. Called once, by the API, typically
     * while handling the call.
     */
    void receive(Receiver receiver);

    /** Stops reading the body until {@link #resume}. */
    void pause();

    /** Reads the body again after {@link #pause}. */
    void resume();
}
