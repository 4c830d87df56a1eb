package io.github.edgestream.http.auth;

import java.util.Objects;

/** Outcome of {@link OciSignatureVerifier#verify(SignedRequest, boolean)}: {@link Success} or {@link Failure}. */
public sealed interface OciSignatureResult permits OciSignatureResult.Success, OciSignatureResult.Failure {

    /** Why verification failed. */
    enum Reason {
        /** The request carries no {@code Authorization} header. */
        MISSING,
        /** The {@code Authorization} header, or a header it names, is malformed, inconsistent or too large. */
        MALFORMED,
        /** The key id is not known to the key lookup, or its key cannot check an RSA signature. */
        UNKNOWN_KEY,
        /** The signed {@code date} or {@code x-date} is further from the verifier's clock than the allowed skew. */
        EXPIRED,
        /** The signature does not verify with the key's public key. */
        SIGNATURE_MISMATCH,
        /** {@code x-content-sha256} (or {@code content-length}) does not describe the body actually received. */
        BODY_HASH_MISMATCH,
        /** The request must sign its body ({@code x-content-sha256}) but does not. */
        BODY_NOT_SIGNED
    }

    /** {@code true} for {@link Success}. */
    default boolean isSuccess() {
        return this instanceof Success;
    }

    /**
     * The request is authentic: it was signed with the private key of {@code keyId}.
     *
     * @param keyId      the key id of the signature ({@code tenancy/user/fingerprint})
     * @param bodySigned whether the body was covered by the signature (through {@code x-content-sha256})
     */
    record Success(String keyId, boolean bodySigned) implements OciSignatureResult {
        public Success {
            Objects.requireNonNull(keyId, "keyId");
        }
    }

    /**
     * The request is not authentic or could not be checked. {@code message} names the offending parameter or
     * header and value; it never contains key material or the signature.
     */
    record Failure(Reason reason, String message) implements OciSignatureResult {
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
