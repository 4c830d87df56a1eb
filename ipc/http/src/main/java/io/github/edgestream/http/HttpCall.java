package io.github.edgestream.http;

import io.github.edgestream.http.auth.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.InputStream;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One complete request as an API sees it, and what the API reports back about it (its operation name, for
 * metrics and logs).
 *
 * <p>The body is owned by the layer and valid until the reply's stage completes; read it, do not keep it.
 * Not thread-safe: one call is handled by one API at a time.
 */
public final class HttpCall {

    private final HttpMethod method;
    private final String uri;
    private final QueryStringDecoder query;
    private final HttpHeaders headers;
    private final ByteBuf body;
    private final String protocol;
    private final SocketAddress remote;
    private Principal principal;
    private String operation = "unknown";
    private RequestBodyStream requestBody;

    public HttpCall(HttpMethod method, String uri, HttpHeaders headers, ByteBuf body, String protocol,
            SocketAddress remote, Principal principal) {
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.query = new QueryStringDecoder(uri);
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.remote = remote;
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    public HttpMethod method() {
        return method;
    }

    /** The request target as received: raw path and query. */
    public String uri() {
        return uri;
    }

    /** The decoded path. */
    public String path() {
        return query.path();
    }

    /** The raw path, as received (for signatures). */
    public String rawPath() {
        return query.rawPath();
    }

    /** The raw query, without {@code ?}; empty if none. */
    public String rawQuery() {
        return query.rawQuery();
    }

    public Map<String, List<String>> parameters() {
        return query.parameters();
    }

    /** Over HTTP/2, the pseudo-header {@code :authority} arrives as {@code host}. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The body's readable bytes; do not release or keep it. */
    public ByteBuf body() {
        return body;
    }

    public int bodyLength() {
        return body.readableBytes();
    }

    /** A fresh stream over the whole body. */
    public InputStream bodyStream() {
        return new ByteBufInputStream(body.duplicate());
    }

    /**
     * The body as it arrives, for a request its API takes as a session ({@link HttpApi#streamsRequestBody});
     * {@link #body()} is then empty.
     *
     * @throws IllegalStateException for any other request (its body is complete in {@link #body()})
     */
    public RequestBodyStream requestBody() {
        if (requestBody == null) {
            throw new IllegalStateException("this request's body is complete in body(); it is not a session");
        }
        return requestBody;
    }

    /** Whether the body arrives as a stream ({@link #requestBody()}). */
    public boolean isSession() {
        return requestBody != null;
    }

    void requestBody(RequestBodyStream stream) {
        this.requestBody = Objects.requireNonNull(stream, "stream");
    }

    /** {@code HTTP/1.1} or {@code HTTP/2}. */
    public String protocol() {
        return protocol;
    }

    public SocketAddress remote() {
        return remote;
    }

    /** Who is calling: the verified credential's scopes (every permission when authentication is off). */
    public Principal principal() {
        return principal;
    }

    void principal(Principal value) {
        this.principal = Objects.requireNonNull(value, "principal");
    }

    /** The operation's name for metrics and logs; set by the API as soon as it knows it. */
    public void operation(String name) {
        this.operation = Objects.requireNonNull(name, "name");
    }

    public String operation() {
        return operation;
    }
}
