package io.github.edgestream.http.auth;

import java.util.Objects;

/** Outcome of {@link SigV4Verifier#verify(SignedRequest)}: either {@link Success} or {@link Failure}. */
public sealed interface SigV4Result permits SigV4Result.Success, SigV4Result.Failure {

    /** Why verification failed. */
    enum Reason {
        /** The request carries no {@code Authorization} header. */
        MISSING,
        /** The {@code Authorization} header or a header it depends on is malformed, inconsistent or too large. */
        MALFORMED,
        /** The access key id is not known to the secret lookup. */
        UNKNOWN_KEY,
        /** {@code x-amz-date} is further from the verifier's clock than the allowed skew. */
        EXPIRED,
        /** The signature does not match the one computed with the key's secret. */
        SIGNATURE_MISMATCH,
        /** {@code x-amz-content-sha256} does not equal the SHA-256 of the body actually received. */
        BODY_HASH_MISMATCH
    }

    /** {@code true} for {@link Success}. */
    default boolean isSuccess() {
        return this instanceof Success;
    }

    /** The request is authentic: it was signed with the secret of {@code accessKeyId} for this scope. */
    record Success(String accessKeyId, String region, String service) implements SigV4Result {
        public Success {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(service, "service");
        }
    }

    /**
     * The request is not authentic or could not be checked. {@code message} names the offending field and
     * value; it never contains a secret or the expected signature.
     */
    record Failure(Reason reason, String message) implements SigV4Result {
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
