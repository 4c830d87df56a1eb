package io.github.edgestream.http.auth;

import java.util.Objects;

/**
 * How an API's clients prove who they are.
 *
 * @param kind    the scheme
 * <p>The two OCI kinds differ only in whether a request that carries a body must sign it. The OCI Node SDK signs
 * PutMessages without its body, so an API serving it answers {@link #ociBodyOptional()} for that request alone
 * ({@code HttpApi.authScheme(HttpCall)}) and {@link #oci()} for the others; a body hash that is signed is checked
 * either way.
 *
 * @param service for {@link Kind#SIGV4}: the service name in the credential scope ({@code kinesis}); else empty
 */
public record AuthScheme(Kind kind, String service) {

    public enum Kind {
        /** AWS Signature Version 4 in the {@code Authorization} header. */
        SIGV4,
        /** {@code Authorization: Bearer <token>}. */
        BEARER,
        /**
         * OCI HTTP signature ({@link OciSignatureVerifier}); a {@code POST}, {@code PUT}, {@code PATCH} or any
         * request with a body must sign it ({@code x-content-sha256}).
         */
        OCI,
        /** OCI HTTP signature; the body may be left unsigned (a signed body hash is still checked). */
        OCI_BODY_OPTIONAL
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

    /** OCI HTTP signatures that must cover the body of every request that has one. */
    public static AuthScheme oci() {
        return new AuthScheme(Kind.OCI, "");
    }

    /** OCI HTTP signatures that may leave the body unsigned, as the OCI Node SDK does for PutMessages. */
    public static AuthScheme ociBodyOptional() {
        return new AuthScheme(Kind.OCI_BODY_OPTIONAL, "");
    }
}
