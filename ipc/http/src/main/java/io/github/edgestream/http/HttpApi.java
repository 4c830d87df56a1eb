package io.github.edgestream.http;

import io.github.edgestream.http.auth.AuthScheme;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletionStage;

/**
 * One API served on the local HTTP port (Kinesis, S2, OCI Streaming, ReductStore), made by its
 * {@link HttpApiProvider}. The HTTP layer owns the connection, the limits, authentication, metrics and logs; the API
 * decodes the request, calls the store's service and encodes the answer.
 *
 * <p><b>Routing.</b> For each request the layer asks the APIs in turn whether {@link #matches} its head (method,
 * path, headers, before any of the body has arrived): by path prefix ({@code /v1/}, {@code /api/v1/}) or by a header
 * ({@code X-Amz-Target: Kinesis_20131202.*}). Routes must not overlap; the first API that matches serves it.
 *
 * <p><b>Threads.</b> {@link #handle} runs on the connection's event loop and must not block: the store's service
 * completes its stages without blocking. Implementations are thread-safe.
 */
public interface HttpApi {

    /** The API's name in metrics and logs ({@code kinesis}, {@code s2}, ...). */
    String name();

    /** Whether this API serves the request with this head. Called on the event loop; quick. */
    boolean matches(HttpRequest head);

    /** How the API's clients authenticate; the layer verifies it before {@link #handle} is called. */
    AuthScheme authScheme();

    /**
     * How this request must authenticate, when an API's rule differs by request (OCI Streaming signs every body but
     * PutMessages'). Called on the event loop with the complete request; quick. Default: {@link #authScheme()}.
     */
    default AuthScheme authScheme(HttpCall call) {
        return authScheme();
    }

    /**
     * Answers one complete request. The returned stage may fail with anything: the layer turns a failure into
     * {@link #problem} with {@link HttpProblem.Kind#INTERNAL} after logging it, so an API should map its expected
     * errors itself.
     */
    CompletionStage<HttpReply> handle(HttpCall call);

    /**
     * Whether the request with this head is a session whose body streams in while its reply streams out (S2's append
     * session). If so, the layer authenticates the head (Bearer schemes only: no body is signed) and calls
     * {@link #handle} at once, before any of the body has arrived; the body then reaches the API through
     * {@link HttpCall#requestBody()} as it comes, with no total size limit (the API bounds what it buffers), and the
     * reply should be a {@link HttpReply#streaming streaming} one. Called on the event loop; quick. Default: no.
     */
    default boolean streamsRequestBody(HttpRequest head) {
        return false;
    }

    /** Stops what the API runs in the background (timers); called once when the server closes. Default: nothing. */
    default void close() {
    }

    /** The API's own answer to a request the layer refused (not authenticated, too large, ...). */
    HttpReply problem(HttpProblem problem, HttpCall call);
}
