package io.github.edgestream.http.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured credential: a name for logs, the secrets it may present and the scopes it grants. A credential
 * has an AWS access key pair (for SigV4 clients), a Bearer token, or both.
 *
 * @param name            shown in logs and denials; not a secret
 * @param accessKeyId     the AWS access key id clients put in their signatures
 * @param secretAccessKey the AWS secret access key the signatures are checked with
 * @param token           the Bearer token
 * @param scopes          what the credential may do (at least one)
 */
public record Credential(String name, Optional<String> accessKeyId, Optional<String> secretAccessKey,
        Optional<String> token, List<Scope> scopes) {

    /** The shortest token or secret accepted: guessing must be out of reach. */
    public static final int MIN_SECRET_LENGTH = 16;

    public Credential {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(token, "token");
        scopes = List.copyOf(scopes);
        String where = "credential \"" + name + "\"";
        if (name.isBlank()) {
            throw new IllegalArgumentException("a credential needs a name");
        }
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new IllegalArgumentException(where + ": accessKeyId and secretAccessKey go together");
        }
        if (accessKeyId.isEmpty() && token.isEmpty()) {
            throw new IllegalArgumentException(where + " has neither an access key pair nor a token");
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
                + (token.isPresent() ? "***" : "-") + ", scopes=" + scopes + "]";
    }
}
