package io.github.edgestream.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies the Oracle Cloud Infrastructure HTTP signature (the "Signature" scheme of draft-cavage-http-signatures,
 * version 1, {@code rsa-sha256}) on a request received by the local OCI Streaming emulator, the way OCI does: the
 * signing string is rebuilt from the request and checked with the public key of the claimed key id. Uses only the
 * JDK.
 *
 * <h2>The scheme</h2>
 * <pre>
 * Authorization: Signature version="1",keyId="&lt;tenancy&gt;/&lt;user&gt;/&lt;fingerprint&gt;",algorithm="rsa-sha256",
 *                headers="x-date (request-target) host content-type content-length x-content-sha256",
 *                signature="&lt;base64&gt;"
 * </pre>
 * The signing string has one line {@code name: value} per name of {@code headers}, in that order, names lower-cased;
 * the pseudo header {@code (request-target)} is {@code <method lower-case> <path>[?<query>]} exactly as sent. Lines
 * are joined by {@code '\n'} without a trailing one. The signature is RSASSA-PKCS1-v1_5 with SHA-256 over its UTF-8
 * bytes. {@code x-content-sha256} is {@code base64(SHA-256(body))}.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>Bounds: an {@code Authorization} header over {@value #MAX_AUTHORIZATION_LENGTH} characters or listing more
 *       than {@value #MAX_SIGNED_HEADERS} headers is rejected before anything else is done with it.</li>
 *   <li>Strict parse: the word {@code Signature} (any case), then comma-separated {@code name="value"} parameters
 *       ({@code version}, {@code keyId}, {@code algorithm}, {@code headers}, {@code signature}), each exactly once;
 *       an unknown or repeated parameter, a backslash or an unterminated quote is refused. {@code version} must be
 *       {@code 1} and {@code algorithm} {@code rsa-sha256}.</li>
 *   <li>The signed headers are the ones the client lists, never an assumed set (the Node SDK signs {@code x-date},
 *       the Java SDK {@code date}; PutMessages from Node signs no body). They must include {@code (request-target)},
 *       {@code host} and at least one of {@code date} and {@code x-date}; each of those dates that is signed must be
 *       an RFC 7231 IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}; a one-digit day is tolerated, a
 *       week day that does not match the date is not) within the allowed skew of the injected {@link Clock}, in
 *       either direction.</li>
 *   <li>Whether the body must be signed is the caller's decision ({@code bodyMustBeSigned}): when it must, a
 *       {@code POST}, {@code PUT} or {@code PATCH}, or any request with a non-empty body, has to list
 *       {@code x-content-sha256}. Whatever the caller decided, a signed {@code x-content-sha256} is always checked
 *       against the body actually received, and so is a signed {@code content-length}.</li>
 *   <li>Every listed header must be present; repeated headers are joined by {@code ", "} in arrival order and values
 *       are trimmed. Over HTTP/2, a signed {@code host} that is absent is taken from {@code :authority}.</li>
 *   <li>The key of {@code keyId} is looked up; the signature is verified with {@link Signature} ({@code
 *       SHA256withRSA}), then the body hash is compared with {@link MessageDigest#isEqual} (constant time).</li>
 * </ol>
 *
 * <h2>Security properties</h2>
 * <ul>
 *   <li>Authenticity and integrity of the method, path, query and every signed header; of the body only when
 *       {@code x-content-sha256} is signed (the hash is recomputed, never trusted).</li>
 *   <li>Replay is limited to the skew window; there is no nonce, as in OCI.</li>
 *   <li>Failure messages name the parameter or header and the offending value (bounded, visible ASCII only), never
 *       the signature or key material.</li>
 *   <li>Work before crypto is bounded by the header limits; after that it is linear in the request size.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe (a {@link Signature} is created per verification).
 */
public final class OciSignatureVerifier {

    /** The only {@code version} accepted. */
    public static final String VERSION = "1";
    /** The only {@code algorithm} accepted. */
    public static final String ALGORITHM = "rsa-sha256";
    /** Default allowed difference between the signed date and the verifier's clock, either way. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(5);
    /** Longest {@code Authorization} header accepted, in characters. */
    public static final int MAX_AUTHORIZATION_LENGTH = 4096;
    /** Most names accepted in {@code headers}. */
    public static final int MAX_SIGNED_HEADERS = 32;
    /** Longest {@code keyId} accepted, in characters. */
    public static final int MAX_KEY_ID_LENGTH = 512;

    /** The pseudo header naming the method and target. */
    public static final String REQUEST_TARGET = "(request-target)";

    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    /** RSA 8192 gives 1024 bytes; anything longer is not a signature this verifier can check. */
    private static final int MAX_SIGNATURE_BYTES = 1024;
    /** IMF-fixdate, also accepting a one-digit day ({@code DateTimeFormatter.RFC_1123_DATE_TIME} writes one). */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, d MMM uuuu HH:mm:ss 'GMT'", Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);

    private final Function<String, Optional<PublicKey>> keyLookup;
    private final Clock clock;
    private final Duration maxSkew;

    /** A verifier with the {@linkplain #DEFAULT_MAX_SKEW default skew}. */
    public OciSignatureVerifier(Function<String, Optional<PublicKey>> keyLookup, Clock clock) {
        this(keyLookup, clock, DEFAULT_MAX_SKEW);
    }

    /**
     * @param keyLookup the public key of a key id, empty if the key is unknown
     * @param clock     the server's notion of now
     * @param maxSkew   largest accepted distance between a signed date and {@code clock}, inclusive
     */
    public OciSignatureVerifier(Function<String, Optional<PublicKey>> keyLookup, Clock clock, Duration maxSkew) {
        this.keyLookup = Objects.requireNonNull(keyLookup, "keyLookup");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        if (maxSkew.isNegative()) {
            throw new IllegalArgumentException("maxSkew must not be negative: " + maxSkew);
        }
    }

    /**
     * Verifies {@code request}. Never throws for bad input; every problem is a {@link OciSignatureResult.Failure}.
     *
     * @param bodyMustBeSigned whether a request that carries a body ({@code POST}, {@code PUT}, {@code PATCH}, or
     *                         any non-empty body) must sign it with {@code x-content-sha256}; {@code false} accepts
     *                         an unsigned body (the Node SDK's PutMessages), though a signed one is still checked
     */
    public OciSignatureResult verify(SignedRequest request, boolean bodyMustBeSigned) {
        Objects.requireNonNull(request, "request");
        try {
            return doVerify(request, bodyMustBeSigned);
        } catch (Reject r) {
            return new OciSignatureResult.Failure(r.reason, r.getMessage());
        }
    }

    private OciSignatureResult doVerify(SignedRequest request, boolean bodyMustBeSigned) throws Reject {
        // 1. Authorization header: present, single, bounded, strictly parsed. No crypto before this passes.
        List<String> authorizations = headerValues(request, "authorization");
        if (authorizations.isEmpty()) {
            throw new Reject(OciSignatureResult.Reason.MISSING, "request has no Authorization header");
        }
        if (authorizations.size() > 1) {
            throw malformed("request has " + authorizations.size() + " Authorization headers; expected one");
        }
        Authorization auth = parseAuthorization(authorizations.get(0).trim());

        // 2. Dates: each signed date well-formed and within the skew.
        for (String dateHeader : List.of("x-date", "date")) {
            if (auth.headers.contains(dateHeader)) {
                String value = joinedHeader(request, dateHeader);
                if (value == null) {
                    throw malformed("signed header '" + dateHeader + "' is not present in the request");
                }
                checkSkew(dateHeader, value, parseDate(dateHeader, value));
            }
        }

        // 3. The body: signed where the caller requires it.
        boolean bodySigned = auth.headers.contains("x-content-sha256");
        boolean carriesBody = BODY_METHODS.contains(request.method().toUpperCase(Locale.ROOT))
                || request.body().length > 0;
        if (bodyMustBeSigned && carriesBody && !bodySigned) {
            throw new Reject(OciSignatureResult.Reason.BODY_NOT_SIGNED, request.method() + " request signs headers '"
                    + AuthText.printable(String.join(" ", auth.headers)) + "' without x-content-sha256; its body must be"
                    + " signed");
        }

        // 4. The key.
        PublicKey key = keyLookup.apply(auth.keyId).orElseThrow(() -> new Reject(
                OciSignatureResult.Reason.UNKNOWN_KEY, "keyId '" + AuthText.printable(auth.keyId) + "' is not known"));

        // 5. The signature over the rebuilt signing string.
        String signingString = signingString(request, auth.headers);
        boolean valid;
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(signingString.getBytes(StandardCharsets.UTF_8));
            valid = verifier.verify(auth.signature);
        } catch (InvalidKeyException e) {
            throw new Reject(OciSignatureResult.Reason.UNKNOWN_KEY, "the key of keyId '" + AuthText.printable(auth.keyId)
                    + "' is not an RSA public key");
        } catch (SignatureException e) {
            valid = false; // e.g. a signature longer than the modulus
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA256withRSA is required of every JDK", e);
        }
        if (!valid) {
            throw new Reject(OciSignatureResult.Reason.SIGNATURE_MISMATCH, "signature does not verify with the key"
                    + " of keyId '" + AuthText.printable(auth.keyId) + "' over headers '"
                    + AuthText.printable(String.join(" ", auth.headers)) + "'");
        }

        // 6. The body against what was signed about it.
        if (bodySigned) {
            String claimed = joinedHeader(request, "x-content-sha256");
            byte[] claimedHash;
            try {
                claimedHash = Base64.getDecoder().decode(claimed);
            } catch (IllegalArgumentException e) {
                throw malformed("x-content-sha256 '" + AuthText.printable(claimed) + "' is not base64");
            }
            if (!MessageDigest.isEqual(claimedHash, AuthText.sha256(request.body()))) {
                throw new Reject(OciSignatureResult.Reason.BODY_HASH_MISMATCH, "x-content-sha256 '"
                        + AuthText.printable(claimed) + "' is not the SHA-256 of the " + request.body().length
                        + "-byte body received");
            }
        }
        if (auth.headers.contains("content-length")) {
            String length = joinedHeader(request, "content-length");
            if (!length.equals(Integer.toString(request.body().length))) {
                throw new Reject(OciSignatureResult.Reason.BODY_HASH_MISMATCH, "content-length '"
                        + AuthText.printable(length) + "' is not the " + request.body().length + " bytes of the body received");
            }
        }
        return new OciSignatureResult.Success(auth.keyId, bodySigned);
    }

    // ------------------------------------------------------------------------------------------------------
    // Authorization header

    private record Authorization(String keyId, List<String> headers, byte[] signature) {
    }

    private static Authorization parseAuthorization(String value) throws Reject {
        if (value.length() > MAX_AUTHORIZATION_LENGTH) {
            throw malformed("Authorization header has " + value.length() + " characters; the limit is "
                    + MAX_AUTHORIZATION_LENGTH);
        }
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Signature")) {
            // Only the scheme word is echoed: the rest may be a secret (a Bearer token sent to the wrong API).
            String scheme = space < 0 ? "" : value.substring(0, Math.min(space, 16));
            throw malformed("Authorization scheme '" + AuthText.printable(scheme) + "' is not an OCI HTTP signature"
                    + " (Signature version=\"1\",keyId=...,algorithm=\"rsa-sha256\",headers=...,signature=...)");
        }
        String version = null;
        String keyId = null;
        String algorithm = null;
        String headers = null;
        String signature = null;
        int i = space;
        int n = value.length();
        boolean first = true;
        while (true) {
            i = skipSpaces(value, i);
            if (i == n) {
                break;
            }
            if (!first) {
                if (value.charAt(i) != ',') {
                    throw malformed("Authorization parameters must be separated by ',' (at character " + i + ")");
                }
                i = skipSpaces(value, i + 1);
            }
            first = false;
            int nameStart = i;
            while (i < n && isTokenChar(value.charAt(i))) {
                i++;
            }
            String name = value.substring(nameStart, i);
            if (name.isEmpty() || i + 1 >= n || value.charAt(i) != '=' || value.charAt(i + 1) != '"') {
                throw malformed("Authorization parameter at character " + nameStart + " is not name=\"value\"");
            }
            int valueStart = i + 2;
            int close = value.indexOf('"', valueStart);
            if (close < 0) {
                throw malformed("Authorization parameter '" + AuthText.printable(name) + "' has no closing quote");
            }
            String parameter = value.substring(valueStart, close);
            if (parameter.indexOf('\\') >= 0) {
                throw malformed("Authorization parameter '" + AuthText.printable(name) + "' contains a backslash");
            }
            i = close + 1;
            switch (name) {
                case "version" -> version = once(version, name, parameter);
                case "keyId" -> keyId = once(keyId, name, parameter);
                case "algorithm" -> algorithm = once(algorithm, name, parameter);
                case "headers" -> headers = once(headers, name, parameter);
                case "signature" -> signature = once(signature, name, parameter);
                default -> throw malformed("Authorization parameter '" + AuthText.printable(name) + "' is unknown");
            }
        }
        if (version == null) {
            throw malformed("Authorization has no version");
        }
        if (!VERSION.equals(version)) {
            throw malformed("Authorization version '" + AuthText.printable(version) + "' is not " + VERSION);
        }
        if (keyId == null) {
            throw malformed("Authorization has no keyId");
        }
        if (keyId.isEmpty() || keyId.length() > MAX_KEY_ID_LENGTH
                || !keyId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw malformed("keyId '" + AuthText.printable(keyId) + "' is empty, longer than " + MAX_KEY_ID_LENGTH
                    + " characters or not visible ASCII");
        }
        if (algorithm == null) {
            throw malformed("Authorization has no algorithm");
        }
        if (!ALGORITHM.equals(algorithm)) {
            throw malformed("algorithm '" + AuthText.printable(algorithm) + "' is not " + ALGORITHM);
        }
        if (headers == null) {
            throw malformed("Authorization has no headers");
        }
        if (signature == null) {
            throw malformed("Authorization has no signature");
        }

        // headers="a b c": count first, so the limit holds before anything else is done with them.
        long count = headers.chars().filter(c -> c == ' ').count() + 1;
        if (count > MAX_SIGNED_HEADERS) {
            throw malformed("headers lists " + count + " names; the limit is " + MAX_SIGNED_HEADERS);
        }
        List<String> names = new ArrayList<>((int) count);
        Set<String> seen = new HashSet<>();
        for (String raw : headers.split(" ", -1)) {
            String name = raw.toLowerCase(Locale.ROOT);
            if (!name.equals(REQUEST_TARGET) && !isHeaderName(name)) {
                throw malformed("headers entry '" + AuthText.printable(raw) + "' is not a header name (names are separated"
                        + " by one space)");
            }
            if (!seen.add(name)) {
                throw malformed("headers lists '" + name + "' twice");
            }
            if (name.equals("authorization")) {
                throw malformed("headers must not include authorization");
            }
            names.add(name);
        }
        if (!seen.contains(REQUEST_TARGET)) {
            throw malformed("headers '" + AuthText.printable(headers) + "' does not include " + REQUEST_TARGET);
        }
        if (!seen.contains("host")) {
            throw malformed("headers '" + AuthText.printable(headers) + "' does not include host");
        }
        if (!seen.contains("date") && !seen.contains("x-date")) {
            throw malformed("headers '" + AuthText.printable(headers) + "' includes neither date nor x-date");
        }

        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw malformed("signature is not base64");
        }
        if (signatureBytes.length == 0 || signatureBytes.length > MAX_SIGNATURE_BYTES) {
            throw malformed("signature has " + signatureBytes.length + " bytes; expected 1 to "
                    + MAX_SIGNATURE_BYTES);
        }
        return new Authorization(keyId, List.copyOf(names), signatureBytes);
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static String once(String previous, String name, String value) throws Reject {
        if (previous != null) {
            throw malformed("Authorization has " + name + " twice");
        }
        return value;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A lower-case RFC 9110 token. */
    private static boolean isHeaderName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isTokenChar(c) || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------------
    // Dates

    private static Instant parseDate(String name, String value) throws Reject {
        try {
            return LocalDateTime.parse(value, IMF_FIXDATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw malformed(name + " '" + AuthText.printable(value) + "' is not an HTTP date like 'Sun, 06 Nov 1994 08:49:37"
                    + " GMT'");
        }
    }

    private void checkSkew(String name, String value, Instant signedAt) throws Reject {
        Instant now = clock.instant();
        Duration skew = Duration.between(now, signedAt);
        if (skew.abs().compareTo(maxSkew) > 0) {
            throw new Reject(OciSignatureResult.Reason.EXPIRED, name + " '" + value + "' is "
                    + skew.abs().getSeconds() + "s " + (skew.isNegative() ? "before" : "after")
                    + " server time " + now + "; the allowed skew is " + maxSkew.getSeconds() + "s");
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Signing string

    /**
     * One {@code name: value} line per signed name, joined by {@code '\n'}: {@code (request-target)} is the method
     * in lower case and the raw path and query; other values are the request's, trimmed, repeated ones joined by
     * {@code ", "}.
     */
    static String signingString(SignedRequest request, List<String> signedHeaders) throws Reject {
        StringBuilder sb = new StringBuilder();
        for (String name : signedHeaders) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(name).append(": ");
            if (name.equals(REQUEST_TARGET)) {
                sb.append(request.method().toLowerCase(Locale.ROOT)).append(' ').append(request.rawPath());
                if (!request.rawQuery().isEmpty()) {
                    sb.append('?').append(request.rawQuery());
                }
                continue;
            }
            String value = joinedHeader(request, name);
            if (value == null && name.equals("host")) {
                value = joinedHeader(request, ":authority");
            }
            if (value == null) {
                throw malformed("signed header '" + name + "' is not present in the request");
            }
            sb.append(value);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------------
    // Helpers

    private static List<String> headerValues(SignedRequest request, String name) {
        List<String> values = new ArrayList<>(1);
        for (SignedRequest.Header h : request.headers()) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    /** The header's values trimmed and joined by {@code ", "}, {@code null} if absent. */
    private static String joinedHeader(SignedRequest request, String name) {
        List<String> values = headerValues(request, name);
        if (values.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String value : values) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(value.trim());
        }
        return sb.toString();
    }

    private static Reject malformed(String message) {
        return new Reject(OciSignatureResult.Reason.MALFORMED, message);
    }

    /** Internal control flow for a failed check; carries no stack trace. */
    static final class Reject extends Exception {
        private static final long serialVersionUID = 1L;
        private final OciSignatureResult.Reason reason;

        Reject(OciSignatureResult.Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
