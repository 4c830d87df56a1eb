package io.github.edgestream.http.auth;

import java.util.Objects;

/**
 * How an API's clients prove who they are.
 *
 * @param kind    the scheme
 * @param service for {@link Kind#SIGV4}: the service name in the credential scope ({@code kinesis}); else empty
 */
public record AuthScheme(Kind kind, String service) {

    public enum Kind {
        /** AWS Signature Version 4 in the {@code Authorization} header. */
        SIGV4,
        /** {@code Authorization: Bearer <token>}. */
        BEARER
    }

    public AuthScheme {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(service, "service");
    }

    public static AuthScheme sigV4(String service) {
        return new AuthScheme(Kind.SIGV4, service);
    }

    public static AuthScheme bearer() {
        return new AuthScheme(Kind.BEARER, "");
    }
}
