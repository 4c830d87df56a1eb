package io.github.edgestream.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured credentials, looked up by access key id (SigV4), by OCI key id (OCI signatures) or by token
 * (Bearer). Immutable, thread-safe.
 *
 * <p>A presented token is never compared with {@code equals}: it is hashed (SHA-256) to find the candidate, whose
 * token is then compared with {@link MessageDigest#isEqual}, in constant time for tokens of equal length. Access
 * key ids and OCI key ids are not secret; the secret behind an access key is only used inside the signature check.
 */
public final class CredentialStore {

    private final Map<String, Credential> byAccessKey = new HashMap<>();
    private final Map<String, Credential> byTokenHash = new HashMap<>();
    private final Map<String, Credential> byOciKey = new HashMap<>();

    /**
     * @throws IllegalArgumentException if two credentials share a name, an access key id, an OCI key id or a token
     */
    public CredentialStore(List<Credential> credentials) {
        Map<String, Credential> names = new HashMap<>();
        for (Credential credential : credentials) {
            if (names.put(credential.name(), credential) != null) {
                throw new IllegalArgumentException("two credentials are named \"" + credential.name() + "\"");
            }
            credential.accessKeyId().ifPresent(id -> {
                if (byAccessKey.put(id, credential) != null) {
                    throw new IllegalArgumentException("two credentials use accessKeyId \"" + id + "\"");
                }
            });
            credential.ociKey().ifPresent(key -> {
                if (byOciKey.put(key.keyId(), credential) != null) {
                    throw new IllegalArgumentException("two credentials use OCI keyId \"" + key.keyId() + "\"");
                }
            });
            credential.token().ifPresent(token -> {
                if (byTokenHash.put(hash(token), credential) != null) {
                    throw new IllegalArgumentException("credential \"" + credential.name()
                            + "\" uses the token of another credential");
                }
            });
        }
    }

    public static CredentialStore empty() {
        return new CredentialStore(List.of());
    }

    public Optional<Credential> byAccessKeyId(String accessKeyId) {
        return Optional.ofNullable(byAccessKey.get(accessKeyId));
    }

    /** The credential whose OCI signing key has this key id. */
    public Optional<Credential> byOciKeyId(String keyId) {
        return Optional.ofNullable(byOciKey.get(keyId));
    }

    /** The credential whose token this is, compared in constant time. */
    public Optional<Credential> byToken(String presented) {
        Credential candidate = byTokenHash.get(hash(presented));
        if (candidate == null) {
            return Optional.empty();
        }
        byte[] expected = candidate.token().orElseThrow().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
                ? Optional.of(candidate) : Optional.empty();
    }

    public int size() {
        Map<String, Credential> all = new HashMap<>();
        byAccessKey.values().forEach(c -> all.put(c.name(), c));
        byTokenHash.values().forEach(c -> all.put(c.name(), c));
        byOciKey.values().forEach(c -> all.put(c.name(), c));
        return all.size();
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
