package io.github.edgestream.http;

import java.util.Objects;

/**
 * A request the HTTP layer refuses before (or instead of) its API's handler: each API answers it in its own error
 * shape ({@link HttpApi#problem}), so that the API's official client reports it as it would from the real service.
 *
 * @param kind    what went wrong
 * @param message for the client: names the field or header, the value and the limit; never a secret
 */
public record HttpProblem(Kind kind, String message) {

    public enum Kind {
        /** No credentials where they are required (401). */
        UNAUTHENTICATED(401),
        /** Credentials present but wrong: a signature that does not match, a token that is not valid (403). */
        BAD_CREDENTIALS(403),
        /** An access key id no credential has (403). */
        UNKNOWN_CREDENTIAL(403),
        /** An {@code Authorization} header that cannot be parsed (400). */
        MALFORMED_CREDENTIALS(400),
        /** The signature's time is too far from the daemon's clock (403). */
        EXPIRED_SIGNATURE(403),
        /** Authenticated, but the credential's scope does not cover the request (403). */
        ACCESS_DENIED(403),
        /** The body is larger than {@code http.maxBodySize} (413). */
        BODY_TOO_LARGE(413),
        /** The request cannot be parsed (400). */
        MALFORMED(400),
        /** The API has no operation for this method and path (404). */
        NOT_FOUND(404),
        /** The daemon is stopping (503). */
        UNAVAILABLE(503),
        /** A bug: the handler failed unexpectedly (500). */
        INTERNAL(500);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status an API without a convention of its own answers with. */
        public int status() {
            return status;
        }
    }

    public HttpProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
