package io.github.edgestream.http.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}, header form) on a request received by the
 * local Kinesis emulator, the way AWS does: the signature is recomputed from the request and the secret
 * of the claimed access key, not merely parsed. Uses only the JDK.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>Bounds: an {@code Authorization} header over {@value #MAX_AUTHORIZATION_LENGTH} characters or naming
 *       more than {@value #MAX_SIGNED_HEADERS} signed headers is rejected before any hashing.</li>
 *   <li>Strict parse of {@code AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request,
 *       SignedHeaders=a;b;c, Signature=<64 hex>}. {@code SignedHeaders} must include {@code host} (or the
 *       HTTP/2 pseudo header {@code :authority}) and {@code x-amz-date}.</li>
 *   <li>{@code x-amz-date} ({@code yyyyMMdd'T'HHmmss'Z'}) must be on the credential-scope day and within the
 *       allowed clock skew of the injected {@link Clock}, in either direction.</li>
 *   <li>The access key's secret is looked up; the service may be pinned (e.g. {@code kinesis}).</li>
 *   <li>Canonical request: {@code METHOD \n canonical URI \n canonical query \n canonical headers \n
 *       signed headers \n payload hash}, where
 *       <ul>
 *         <li>the canonical URI is the raw path with empty, {@code .} and {@code ..} segments removed and each
 *             raw segment URI-encoded once more (non-S3 services "double-encode");</li>
 *         <li>the canonical query is every parameter, decoded then strictly URI-encoded, sorted by name then
 *             value;</li>
 *         <li>canonical headers are, in {@code SignedHeaders} order, {@code name:value\n} with values trimmed,
 *             runs of whitespace collapsed, and repeated headers joined by {@code ','};</li>
 *         <li>the payload hash is always the hex SHA-256 of the body actually received. A
 *             {@code x-amz-content-sha256} header must equal it, otherwise the body was replaced.</li>
 *       </ul></li>
 *   <li>String to sign: {@code AWS4-HMAC-SHA256 \n x-amz-date \n scope \n hex(SHA-256(canonical request))}.</li>
 *   <li>Signing key: {@code HMAC("AWS4" + secret, date) → region → service → "aws4_request"}; the signature is
 *       the hex HMAC of the string to sign and is compared with {@link MessageDigest#isEqual} (constant time).</li>
 * </ol>
 *
 * <h2>Security properties</h2>
 * <ul>
 *   <li>Authenticity and integrity of the method, path, query, every signed header and the whole body
 *       (the body hash is recomputed, never taken from the request).</li>
 *   <li>Replay is limited to the skew window; there is no nonce, as in AWS.</li>
 *   <li>Failure messages name the field and the offending value, never a secret or the expected signature.</li>
 *   <li>Work before crypto is bounded by the header limits; after that it is linear in the request size.</li>
 * </ul>
 *
 * <p>HTTP/2: a client that signed {@code host} may send only {@code :authority} (and vice versa), so when one of
 * the two is signed but absent the other's value is used. The signature still binds that value.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SigV4Verifier {

    /** The only algorithm accepted. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** Default allowed difference between {@code x-amz-date} and the verifier's clock, either way. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(15);
    /** Longest {@code Authorization} header accepted, in characters. */
    public static final int MAX_AUTHORIZATION_LENGTH = 4096;
    /** Most entries accepted in {@code SignedHeaders}. */
    public static final int MAX_SIGNED_HEADERS = 64;

    private static final String TERMINATOR = "aws4_request";
    private static final int MAX_ACCESS_KEY_ID_LENGTH = 128;
    private static final int MAX_SCOPE_PART_LENGTH = 64;
    private static final int SIGNATURE_HEX_LENGTH = 64;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SCOPE_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    private final Function<String, Optional<String>> secretLookup;
    private final Clock clock;
    private final Duration maxSkew;
    private final String expectedService;

    /**
     * A verifier with the {@linkplain #DEFAULT_MAX_SKEW default skew} that accepts any service name.
     *
     * @param secretLookup secret access key for an access key id, empty if the key is unknown
     * @param clock        the server's notion of now
     */
    public SigV4Verifier(Function<String, Optional<String>> secretLookup, Clock clock) {
        this(secretLookup, clock, DEFAULT_MAX_SKEW, null);
    }

    /**
     * @param secretLookup    secret access key for an access key id, empty if the key is unknown
     * @param clock           the server's notion of now
     * @param maxSkew         largest accepted distance between {@code x-amz-date} and {@code clock}, inclusive
     * @param expectedService service name the credential scope must carry (e.g. {@code "kinesis"}), or
     *                        {@code null} to accept any
     */
    public SigV4Verifier(Function<String, Optional<String>> secretLookup, Clock clock, Duration maxSkew,
                         String expectedService) {
        this.secretLookup = Objects.requireNonNull(secretLookup, "secretLookup");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        if (maxSkew.isNegative()) {
            throw new IllegalArgumentException("maxSkew must not be negative: " + maxSkew);
        }
        this.expectedService = expectedService;
    }

    /** Verifies {@code request}. Never throws for bad input; every problem is a {@link SigV4Result.Failure}. */
    public SigV4Result verify(SignedRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            return doVerify(request);
        } catch (Reject r) {
            return new SigV4Result.Failure(r.reason, r.getMessage());
        }
    }

    private SigV4Result doVerify(SignedRequest request) throws Reject {
        // 1. Authorization header: present, single, bounded, strictly parsed. No crypto before this passes.
        List<String> authorizations = headerValues(request, "authorization");
        if (authorizations.isEmpty()) {
            throw new Reject(SigV4Result.Reason.MISSING, "request has no Authorization header");
        }
        if (authorizations.size() > 1) {
            throw malformed("request has " + authorizations.size() + " Authorization headers; expected one");
        }
        Authorization auth = parseAuthorization(authorizations.get(0));

        // 2. x-amz-date: format, scope day, service, clock skew.
        String amzDate = singleHeader(request, "x-amz-date");
        if (amzDate == null) {
            throw malformed("request has no x-amz-date header");
        }
        Instant signedAt = parseAmzDate(amzDate);
        if (!amzDate.startsWith(auth.date)) {
            throw malformed("Credential date '" + auth.date + "' is not the day of x-amz-date '" + amzDate + "'");
        }
        if (expectedService != null && !expectedService.equals(auth.service)) {
            throw malformed("Credential service '" + auth.service + "' is not '" + expectedService + "'");
        }
        checkSkew(amzDate, signedAt);

        // 3. Secret for the access key.
        Optional<String> secret = secretLookup.apply(auth.accessKeyId);
        if (secret == null || secret.isEmpty()) {
            throw new Reject(SigV4Result.Reason.UNKNOWN_KEY,
                    "Credential access key id '" + auth.accessKeyId + "' is unknown");
        }

        // 4. Canonical request, with the payload hash of the body actually received.
        String canonicalHeaders = canonicalHeaders(request, auth.signedHeaders);
        String bodyHash = hex(AuthText.sha256(request.body()));
        String claimedHash = singleHeader(request, "x-amz-content-sha256");
        if (claimedHash != null && !claimedHash.equalsIgnoreCase(bodyHash)) {
            throw new Reject(SigV4Result.Reason.BODY_HASH_MISMATCH,
                    "x-amz-content-sha256 '" + AuthText.printable(claimedHash) + "' is not the SHA-256 of the "
                            + request.body().length + "-byte body received (" + bodyHash + ")");
        }
        String canonicalRequest = request.method() + '\n'
                + canonicalUri(request.rawPath()) + '\n'
                + canonicalQuery(request.rawQuery()) + '\n'
                + canonicalHeaders + '\n'
                + auth.signedHeaderList + '\n'
                + bodyHash;

        // 5. String to sign, signing key, constant-time comparison.
        String stringToSign = ALGORITHM + '\n' + amzDate + '\n' + auth.scope() + '\n'
                + hex(AuthText.sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret.get()).getBytes(StandardCharsets.UTF_8), auth.date);
        key = hmac(key, auth.region);
        key = hmac(key, auth.service);
        key = hmac(key, TERMINATOR);
        byte[] expected = hmac(key, stringToSign);
        if (!MessageDigest.isEqual(expected, auth.signature)) {
            throw new Reject(SigV4Result.Reason.SIGNATURE_MISMATCH,
                    "Signature does not match for access key id '" + auth.accessKeyId + "', scope '"
                            + auth.scope() + "', SignedHeaders '" + auth.signedHeaderList + "'");
        }
        return new SigV4Result.Success(auth.accessKeyId, auth.region, auth.service);
    }

    // ------------------------------------------------------------------------------------------------------
    // Authorization header

    /** The parsed {@code Authorization} header. {@code signature} is the raw 32 bytes. */
    private record Authorization(String accessKeyId, String date, String region, String service,
                                 String signedHeaderList, List<String> signedHeaders, byte[] signature) {
        String scope() {
            return date + '/' + region + '/' + service + '/' + TERMINATOR;
        }
    }

    private static Authorization parseAuthorization(String header) throws Reject {
        if (header.length() > MAX_AUTHORIZATION_LENGTH) {
            throw malformed("Authorization header is " + header.length() + " characters; the limit is "
                    + MAX_AUTHORIZATION_LENGTH);
        }
        int space = header.indexOf(' ');
        String algorithm = space < 0 ? header : header.substring(0, space);
        if (!ALGORITHM.equals(algorithm)) {
            throw malformed("Authorization algorithm '" + AuthText.printable(algorithm) + "' is not " + ALGORITHM);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String rawComponent : header.substring(space + 1).split(",", -1)) {
            String component = trimSpaces(rawComponent);
            int eq = component.indexOf('=');
            if (eq <= 0) {
                throw malformed("Authorization component '" + AuthText.printable(component) + "' is not name=value");
            }
            String name = component.substring(0, eq);
            String value = component.substring(eq + 1);
            switch (name) {
                case "Credential" -> credential = once(credential, name, value);
                case "SignedHeaders" -> signedHeaders = once(signedHeaders, name, value);
                case "Signature" -> signature = once(signature, name, value);
                default -> throw malformed("Authorization component '" + AuthText.printable(name) + "' is unknown");
            }
        }
        if (credential == null) {
            throw malformed("Authorization has no Credential");
        }
        if (signedHeaders == null) {
            throw malformed("Authorization has no SignedHeaders");
        }
        if (signature == null) {
            throw malformed("Authorization has no Signature");
        }

        // Credential=AKID/yyyymmdd/region/service/aws4_request
        String[] scope = credential.split("/", -1);
        if (scope.length != 5) {
            throw malformed("Credential '" + AuthText.printable(credential)
                    + "' is not <access key id>/<yyyymmdd>/<region>/<service>/aws4_request");
        }
        String accessKeyId = scope[0];
        if (accessKeyId.isEmpty() || accessKeyId.length() > MAX_ACCESS_KEY_ID_LENGTH
                || !accessKeyId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw malformed("Credential access key id '" + AuthText.printable(accessKeyId) + "' is empty, too long or "
                    + "not visible ASCII");
        }
        String date = scope[1];
        if (date.length() != 8) {
            throw malformed("Credential date '" + AuthText.printable(date) + "' is not yyyymmdd");
        }
        try {
            LocalDate.parse(date, SCOPE_DATE);
        } catch (DateTimeException e) {
            throw malformed("Credential date '" + AuthText.printable(date) + "' is not yyyymmdd");
        }
        String region = scopeName(scope[2], "region");
        String service = scopeName(scope[3], "service");
        if (!TERMINATOR.equals(scope[4])) {
            throw malformed("Credential terminator '" + AuthText.printable(scope[4]) + "' is not " + TERMINATOR);
        }

        // SignedHeaders=a;b;c — count first, so the limit holds before anything else is done with them.
        long count = signedHeaders.chars().filter(c -> c == ';').count() + 1;
        if (count > MAX_SIGNED_HEADERS) {
            throw malformed("SignedHeaders names " + count + " headers; the limit is " + MAX_SIGNED_HEADERS);
        }
        List<String> names = List.of(signedHeaders.split(";", -1));
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!isCanonicalHeaderName(name)) {
                throw malformed("SignedHeaders entry '" + AuthText.printable(name) + "' is not a lower-case header name");
            }
            if (!seen.add(name)) {
                throw malformed("SignedHeaders names '" + name + "' twice");
            }
            if (name.equals("authorization")) {
                throw malformed("SignedHeaders must not include authorization");
            }
        }
        if (!seen.contains("host") && !seen.contains(":authority")) {
            throw malformed("SignedHeaders '" + AuthText.printable(signedHeaders) + "' includes neither host nor :authority");
        }
        if (!seen.contains("x-amz-date")) {
            throw malformed("SignedHeaders '" + AuthText.printable(signedHeaders) + "' does not include x-amz-date");
        }

        // Signature=<64 lower-case hex digits>
        if (signature.length() != SIGNATURE_HEX_LENGTH
                || !signature.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw malformed("Signature '" + AuthText.printable(signature) + "' is not " + SIGNATURE_HEX_LENGTH
                    + " lower-case hex digits");
        }
        byte[] signatureBytes = new byte[SIGNATURE_HEX_LENGTH / 2];
        for (int i = 0; i < signatureBytes.length; i++) {
            signatureBytes[i] = (byte) Integer.parseInt(signature, 2 * i, 2 * i + 2, 16);
        }
        return new Authorization(accessKeyId, date, region, service, signedHeaders, names, signatureBytes);
    }

    private static String once(String previous, String name, String value) throws Reject {
        if (previous != null) {
            throw malformed("Authorization has " + name + " twice");
        }
        return value;
    }

    private static String scopeName(String value, String what) throws Reject {
        if (value.isEmpty() || value.length() > MAX_SCOPE_PART_LENGTH || !value.chars().allMatch(
                c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '_')) {
            throw malformed("Credential " + what + " '" + AuthText.printable(value) + "' is empty, too long or has "
                    + "characters other than letters, digits, '-' and '_'");
        }
        return value;
    }

    /** A lower-case RFC 9110 token, optionally prefixed by ':' for HTTP/2 pseudo headers. */
    private static boolean isCanonicalHeaderName(String name) {
        int start = name.startsWith(":") ? 1 : 0;
        if (name.length() == start) {
            return false;
        }
        for (int i = start; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------------
    // Date and skew

    private static Instant parseAmzDate(String amzDate) throws Reject {
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw malformed("x-amz-date '" + AuthText.printable(amzDate) + "' is not yyyyMMdd'T'HHmmss'Z'");
        }
    }

    private void checkSkew(String amzDate, Instant signedAt) throws Reject {
        Instant now = clock.instant();
        Duration skew = Duration.between(now, signedAt);
        if (skew.abs().compareTo(maxSkew) > 0) {
            throw new Reject(SigV4Result.Reason.EXPIRED, "x-amz-date '" + amzDate + "' is "
                    + skew.abs().getSeconds() + "s " + (skew.isNegative() ? "before" : "after")
                    + " server time " + now + "; the allowed skew is " + maxSkew.getSeconds() + "s");
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Canonical request parts

    /**
     * Signed headers in {@code SignedHeaders} order, each {@code name:value\n}; repeated headers are joined by
     * {@code ','} in arrival order. {@code host} and {@code :authority} stand in for each other when absent.
     */
    private static String canonicalHeaders(SignedRequest request, List<String> signedHeaders) throws Reject {
        Set<String> wanted = new HashSet<>(signedHeaders);
        wanted.add("host");
        wanted.add(":authority");
        Map<String, List<String>> byName = new HashMap<>();
        for (SignedRequest.Header h : request.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (wanted.contains(name)) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(h.value());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = byName.get(name);
            if (values == null && name.equals("host")) {
                values = byName.get(":authority");
            } else if (values == null && name.equals(":authority")) {
                values = byName.get("host");
            }
            if (values == null) {
                throw malformed("signed header '" + name + "' is not present in the request");
            }
            sb.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                appendTrimmedAll(sb, values.get(i));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Appends {@code value} without leading/trailing whitespace and with inner whitespace runs as one space. */
    private static void appendTrimmedAll(StringBuilder sb, String value) {
        boolean pendingSpace = false;
        boolean any = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b) {
                pendingSpace = any;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
                any = true;
            }
        }
    }

    /**
     * The raw (still encoded) path with empty, {@code .} and {@code ..} segments removed, each remaining segment
     * URI-encoded again, a trailing slash kept. {@code "/"} and {@code ""} give {@code "/"}.
     */
    static String canonicalUri(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rawPath.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        StringBuilder sb = new StringBuilder("/");
        boolean first = true;
        for (String segment : segments) {
            if (!first) {
                sb.append('/');
            }
            uriEncode(sb, segment.getBytes(StandardCharsets.UTF_8));
            first = false;
        }
        if (!segments.isEmpty() && rawPath.endsWith("/")) {
            sb.append('/');
        }
        return sb.toString();
    }

    /**
     * Every {@code name[=value]} of the raw query, percent-decoded then strictly URI-encoded, sorted by encoded
     * name then encoded value, joined by {@code '&'}. A missing value is empty. {@code '+'} is a literal plus.
     */
    static String canonicalQuery(String rawQuery) throws Reject {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String param : rawQuery.split("&", -1)) {
            if (param.isEmpty()) {
                continue;
            }
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : param.substring(eq + 1);
            StringBuilder encodedName = new StringBuilder();
            uriEncode(encodedName, percentDecode(name));
            StringBuilder encodedValue = new StringBuilder();
            uriEncode(encodedValue, percentDecode(value));
            params.add(new String[] {encodedName.toString(), encodedValue.toString()});
        }
        // Encoded strings are ASCII, so String order is byte order.
        params.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** Appends {@code bytes} with every byte except the RFC 3986 unreserved set as {@code %XX} (upper-case). */
    private static void uriEncode(StringBuilder sb, byte[] bytes) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
            }
        }
    }

    private static byte[] percentDecode(String s) throws Reject {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '%') {
                out.write(raw[i]);
                continue;
            }
            int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
            int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
            if (hi < 0 || lo < 0) {
                throw malformed("query component '" + AuthText.printable(s) + "' has an invalid percent-encoding");
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toByteArray();
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

    /** The header's value with surrounding whitespace removed, {@code null} if absent; rejects repeats. */
    private static String singleHeader(SignedRequest request, String name) throws Reject {
        List<String> values = headerValues(request, name);
        if (values.size() > 1) {
            throw malformed("request has " + values.size() + " " + name + " headers; expected one");
        }
        return values.isEmpty() ? null : values.get(0).trim();
    }

    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    private static Reject malformed(String message) {
        return new Reject(SigV4Result.Reason.MALFORMED, message);
    }

    /** Internal control flow for a failed check; carries no stack trace. */
    private static final class Reject extends Exception {
        private static final long serialVersionUID = 1L;
        private final SigV4Result.Reason reason;

        Reject(SigV4Result.Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
