package io.github.edgestream.http.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals what an API hands out to be given back (Kinesis shard iterators, OCI cursors): the bytes followed by the
 * first {@value #LENGTH} bytes of their HMAC-SHA256 under the daemon's secret, as unpadded base64url (only
 * {@code A-Z a-z 0-9 - _}, safe in a query string unencoded). {@link #open} gives the bytes back only if this secret
 * sealed them and nothing was changed (constant-time comparison); what they mean, their version and expiry are the
 * API's to check.
 *
 * <p>Thread-safe.
 */
public final class HmacSeal {

    /** The seal's length in bytes (128 bits). */
    public static final int LENGTH = 16;

    private final SecretKeySpec key;

    /** @param secret at least 32 random bytes (the daemon's API secret) */
    public HmacSeal(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("secret has " + secret.length + " bytes but needs at least 32");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The first {@code length} bytes of {@code data}, sealed, as base64url. */
    public String seal(byte[] data, int length) {
        byte[] sealed = Arrays.copyOf(data, length + LENGTH);
        System.arraycopy(mac(data, length), 0, sealed, length, LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /** The bytes {@link #seal} sealed; empty if the text is not base64url, too short, or not sealed by this secret. */
    public Optional<byte[]> open(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (bytes.length <= LENGTH) {
            return Optional.empty();
        }
        int signed = bytes.length - LENGTH;
        byte[] expected = Arrays.copyOf(mac(bytes, signed), LENGTH);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, signed, bytes.length))) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOf(bytes, signed));
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
