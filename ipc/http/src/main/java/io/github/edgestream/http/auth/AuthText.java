package io.github.edgestream.http.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** What the signature verifiers share: client text made safe to echo, and SHA-256. Stateless. */
final class AuthText {

    /** How much client-supplied text an error message echoes. */
    static final int MAX_ECHO = 80;

    private AuthText() {
    }

    /** Client-supplied text made safe for a message or log: visible ASCII only, at most {@value #MAX_ECHO} chars. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_ECHO) + 3);
        for (int i = 0; i < s.length() && i < MAX_ECHO; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (s.length() > MAX_ECHO) {
            sb.append("...");
        }
        return sb.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
