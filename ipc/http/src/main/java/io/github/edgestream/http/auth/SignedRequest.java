package io.github.edgestream.http.auth;

import java.util.List;
import java.util.Objects;

/**
 * An incoming HTTP request, exactly as received, in the shape {@link SigV4Verifier} needs.
 *
 * <p>Nothing here is decoded or normalised: the verifier reproduces the client's canonicalisation
 * from the raw wire form.
 *
 * @param method    the request method, e.g. {@code POST}
 * @param rawPath   the request path as received, still percent-encoded, without the query (e.g. {@code "/"})
 * @param rawQuery  the query string as received, without the leading {@code '?'}; empty when there is none
 * @param headers   every header in arrival order, names lower-cased. Over HTTP/2 the pseudo header
 *                  {@code :authority} takes the place of {@code host}
 * @param body      the complete body. Not copied (bodies may be large): the caller must not change it
 *                  while verification runs
 */
public record SignedRequest(String method, String rawPath, String rawQuery, List<Header> headers, byte[] body) {

    /** One header line. {@code name} is expected lower-case; the verifier lower-cases it again defensively. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    public SignedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** Equality compares the body by content (the record default would compare array identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRequest other
                && method.equals(other.method)
                && rawPath.equals(other.rawPath)
                && rawQuery.equals(other.rawQuery)
                && headers.equals(other.headers)
                && java.util.Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, rawPath, rawQuery, headers) * 31 + java.util.Arrays.hashCode(body);
    }

    /** Shows the body's length only, never its content. */
    @Override
    public String toString() {
        return "SignedRequest[method=" + method + ", rawPath=" + rawPath + ", rawQuery=" + rawQuery
                + ", headers=" + headers.size() + ", body=" + body.length + " bytes]";
    }
}
