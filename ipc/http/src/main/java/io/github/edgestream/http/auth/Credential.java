package io.github.edgestream.http.auth;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured credential: a name for logs, the secrets it may present and the scopes it grants. A credential
 * has an AWS access key pair (for SigV4 clients), a Bearer token, an OCI signing key (for OCI SDK clients), or any
 * combination of them.
 *
 * @param name            shown in logs and denials; not a secret
 * @param accessKeyId     the AWS access key id clients put in their signatures
 * @param secretAccessKey the AWS secret access key the signatures are checked with
 * @param token           the Bearer token
 * @param scopes          what the credential may do (at least one)
 * @param ociKey          the OCI API signing key whose signatures authenticate this credential
 */
public record Credential(String name, Optional<String> accessKeyId, Optional<String> secretAccessKey,
        Optional<String> token, List<Scope> scopes, Optional<OciKey> ociKey) {

    /**
     * An OCI API signing key: the key id OCI SDKs put in their signatures and the public half of the key they sign
     * with (read with {@link PemKeys#publicKey}).
     *
     * @param keyId     {@code <tenancy OCID>/<user OCID>/<key fingerprint>}, 1 to
     *                  {@value OciSignatureVerifier#MAX_KEY_ID_LENGTH} visible ASCII characters without {@code '"'}
     * @param publicKey an RSA public key
     */
    public record OciKey(String keyId, PublicKey publicKey) {
        public OciKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(publicKey, "publicKey");
            if (keyId.isEmpty() || keyId.length() > OciSignatureVerifier.MAX_KEY_ID_LENGTH
                    || !keyId.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"')) {
                throw new IllegalArgumentException("OCI keyId must be 1 to " + OciSignatureVerifier.MAX_KEY_ID_LENGTH
                        + " visible ASCII characters without '\"'");
            }
            if (!"RSA".equals(publicKey.getAlgorithm())) {
                throw new IllegalArgumentException("OCI key " + keyId + " is a " + publicKey.getAlgorithm()
                        + " key; OCI signatures need an RSA key");
            }
        }

        @Override
        public String toString() {
            return "OciKey[" + keyId + "]";
        }
    }

    /** The shortest token or secret accepted: guessing must be out of reach. */
    public static final int MIN_SECRET_LENGTH = 16;

    public Credential {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(ociKey, "ociKey");
        scopes = List.copyOf(scopes);
        String where = "credential \"" + name + "\"";
        if (name.isBlank()) {
            throw new IllegalArgumentException("a credential needs a name");
        }
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException(where + ": accessKeyId and secretAccessKey go together");
        }
        if (accessKeyId.isEmpty() && token.isEmpty() && ociKey.isEmpty()) {
            throw new IllegalArgumentException(where + " has neither an access key pair, a token nor an OCI key");
        }
        accessKeyId.ifPresent(id -> {
            if (!id.matches("[A-Za-z0-9_.-]{1,128}")) {
                throw new IllegalArgumentException(where + ": accessKeyId must be 1 to 128 characters from"
                        + " A-Z a-z 0-9 _ . -");
            }
        });
        secretAccessKey.ifPresent(secret -> checkSecret(where + ": secretAccessKey", secret));
        token.ifPresent(value -> checkSecret(where + ": token", value));
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException(where + " grants no scope");
        }
    }

    /** A credential without an OCI key. */
    public Credential(String name, Optional<String> accessKeyId, Optional<String> secretAccessKey,
            Optional<String> token, List<Scope> scopes) {
        this(name, accessKeyId, secretAccessKey, token, scopes, Optional.empty());
    }

    /** This credential with {@code key} as its OCI signing key (replacing any it had). */
    public Credential withOciKey(OciKey key) {
        return new Credential(name, accessKeyId, secretAccessKey, token, scopes, Optional.of(key));
    }

    private static void checkSecret(String what, String value) {
        if (value.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(what + " has " + value.length() + " characters but needs at least "
                    + MIN_SECRET_LENGTH);
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(what + " must be printable ASCII without spaces");
        }
    }

    public Principal principal() {
        return new Principal(name, scopes);
    }

    @Override
    public String toString() {
        return "Credential[" + name + ", accessKeyId=" + accessKeyId.orElse("-") + ", token="
                + (token.isPresent() ? "***" : "-") + ", ociKeyId=" + ociKey.map(OciKey::keyId).orElse("-")
                + ", scopes=" + scopes + "]";
    }
}
