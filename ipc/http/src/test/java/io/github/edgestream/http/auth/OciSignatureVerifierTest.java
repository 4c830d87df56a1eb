package io.github.edgestream.http.auth;

import static io.github.edgestream.http.auth.OciTestSigner.header;
import static io.github.edgestream.http.auth.OciTestSigner.nodeStyle;
import static io.github.edgestream.http.auth.OciTestSigner.sign;
import static io.github.edgestream.http.auth.OciTestSigner.withHeader;
import static io.github.edgestream.http.auth.OciTestSigner.withoutHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.http.auth.OciSignatureResult.Failure;
import io.github.edgestream.http.auth.OciSignatureResult.Reason;
import io.github.edgestream.http.auth.OciSignatureResult.Success;
import io.github.edgestream.http.auth.SignedRequest.Header;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests are signed in the test by {@link OciTestSigner}, written from the scheme's description (the real Node SDK
 * signer is exercised by {@link OciSignatureNodeVectorsTest}). Keys are RSA 2048 pairs generated per run.
 */
class OciSignatureVerifierTest {

    static final String KEY_ID = "ocid1.tenancy.oc1..aaaa/ocid1.user.oc1..bbbb/20:3b:97:13:55:1c:5b:0d";
    private static final String PATH = "/20180418/streams/s1/messages";
    private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
    private static final byte[] BODY = "{\"messages\":[{\"key\":\"azE=\",\"value\":\"aGVsbG8=\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private static final KeyPair KEYS = generate();
    private static final KeyPair OTHER_KEYS = generate();

    private final OciSignatureVerifier verifier = new OciSignatureVerifier(
            id -> Optional.ofNullable(Map.<String, PublicKey>of(KEY_ID, KEYS.getPublic()).get(id)),
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));

    static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static SignedRequest get() {
        return nodeStyle(KEYS.getPrivate(), KEY_ID, "GET", PATH, "cursor=eyJwIjoiMCIsIm8iOjB9&limit=10",
                new byte[0], false, NOW);
    }

    private static SignedRequest post() {
        return nodeStyle(KEYS.getPrivate(), KEY_ID, "POST", PATH, "", BODY, true, NOW);
    }

    private static SignedRequest postUnsignedBody() {
        return nodeStyle(KEYS.getPrivate(), KEY_ID, "POST", PATH, "", BODY, false, NOW);
    }

    private Failure failure(SignedRequest request, boolean bodyMustBeSigned) {
        OciSignatureResult result = verifier.verify(request, bodyMustBeSigned);
        assertThat(result).isInstanceOf(Failure.class);
        return (Failure) result;
    }

    private void assertFails(SignedRequest request, Reason reason, String messagePart) {
        Failure failure = failure(request, true);
        assertThat(failure.reason()).as(failure.message()).isEqualTo(reason);
        assertThat(failure.message()).contains(messagePart);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accepted

    @Test
    void aSignedGetIsAccepted() {
        assertThat(verifier.verify(get(), true)).isEqualTo(new Success(KEY_ID, false));
    }

    @Test
    void aPostWithItsBodySignedIsAccepted() {
        assertThat(verifier.verify(post(), true)).isEqualTo(new Success(KEY_ID, true));
    }

    @Test
    void aPostWithAnEmptySignedBodyIsAccepted() {
        SignedRequest commit = nodeStyle(KEYS.getPrivate(), KEY_ID, "POST", "/20180418/streams/s1/commit",
                "cursor=abc", new byte[0], true, NOW);
        assertThat(header(commit, "x-content-sha256")).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assertThat(verifier.verify(commit, true)).isEqualTo(new Success(KEY_ID, true));
    }

    @Test
    void aPostWithoutItsBodyIsAcceptedWhereTheCallerAllowsIt() {
        assertThat(verifier.verify(postUnsignedBody(), false)).isEqualTo(new Success(KEY_ID, false));
    }

    @Test
    void aSignedBodyIsCheckedEvenWhereTheCallerAllowsAnUnsignedOne() {
        SignedRequest altered = new SignedRequest("POST", PATH, "", post().headers(),
                "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8));
        Failure failure = failure(altered, false);
        assertThat(failure.reason()).isEqualTo(Reason.BODY_HASH_MISMATCH);
    }

    @Test
    void theJavaSdkShapeSigningDateIsAccepted() {
        SignedRequest request = new SignedRequest("GET", PATH, "", List.of(
                new Header("date", OciTestSigner.httpDate(NOW)), new Header("host", "127.0.0.1:8080")), null);
        SignedRequest signed = sign(KEYS.getPrivate(), KEY_ID, request, List.of("date", "(request-target)", "host"));
        assertThat(verifier.verify(signed, true).isSuccess()).isTrue();
    }

    @Test
    void headerNamesAreListedInAnyCaseAndAnyOrder() {
        // The Node SDK lists "Content-Type Content-Length"; the signing string uses lower-case names.
        SignedRequest request = withoutHeader(post(), "authorization");
        SignedRequest signed = sign(KEYS.getPrivate(), KEY_ID, request,
                List.of("host", "Content-Length", "(request-target)", "X-Date", "x-content-sha256", "Content-Type"));
        assertThat(verifier.verify(signed, true).isSuccess()).isTrue();
    }

    @Test
    void theParametersMayComeInAnyOrderWithSpacesAfterCommas() {
        String authorization = header(get(), "authorization");
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String part : authorization.substring("Signature ".length()).split(",")) {
            params.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
        }
        String reordered = "signature " + "signature=" + params.get("signature") + ", headers=" + params.get("headers")
                + ",  algorithm=" + params.get("algorithm") + ", keyId=" + params.get("keyId") + ", version="
                + params.get("version");
        assertThat(verifier.verify(withHeader(get(), "authorization", reordered), true).isSuccess()).isTrue();
    }

    @Test
    void overHttp2TheHostComesFromTheAuthority() {
        SignedRequest signed = get();
        SignedRequest h2 = withHeader(withoutHeader(signed, "host"), ":authority", "127.0.0.1:8080");
        assertThat(verifier.verify(h2, true).isSuccess()).isTrue();
    }

    @Test
    void aSkewOfFiveMinutesEitherWayIsAccepted() {
        for (Duration skew : List.of(Duration.ofMinutes(5), Duration.ofMinutes(-5))) {
            SignedRequest request = nodeStyle(KEYS.getPrivate(), KEY_ID, "GET", PATH, "", new byte[0], false,
                    NOW.plus(skew));
            assertThat(verifier.verify(request, true).isSuccess()).as(skew.toString()).isTrue();
        }
    }

    @Test
    void aSingleDigitDayIsAccepted() {
        // java.time's RFC_1123_DATE_TIME prints "Sat, 5 Dec 2026"; some clients may send it.
        Instant fifth = Instant.parse("2026-12-05T09:00:00Z");
        SignedRequest request = new SignedRequest("GET", PATH, "", List.of(
                new Header("x-date", "Sat, 5 Dec 2026 09:00:00 GMT"), new Header("host", "h")), null);
        SignedRequest signed = sign(KEYS.getPrivate(), KEY_ID, request, List.of("x-date", "(request-target)", "host"));
        assertThat(fifth).isEqualTo(NOW);
        assertThat(verifier.verify(signed, true).isSuccess()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Refused: keys and signatures

    @Test
    void aRequestWithoutAuthorizationIsMissing() {
        assertFails(withoutHeader(get(), "authorization"), Reason.MISSING, "no Authorization");
    }

    @Test
    void aSignatureByAnotherKeyIsAMismatch() {
        SignedRequest forged = nodeStyle(OTHER_KEYS.getPrivate(), KEY_ID, "GET", PATH, "", new byte[0], false, NOW);
        assertFails(forged, Reason.SIGNATURE_MISMATCH, KEY_ID);
    }

    @Test
    void anUnknownKeyIdIsRefused() {
        SignedRequest request = nodeStyle(KEYS.getPrivate(), "ocid1.tenancy/ocid1.user/aa:bb", "GET", PATH, "",
                new byte[0], false, NOW);
        assertFails(request, Reason.UNKNOWN_KEY, "ocid1.tenancy/ocid1.user/aa:bb");
    }

    @Test
    void aKeyThatIsNotRsaIsAnUnknownKey() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        PublicKey ecKey = ec.generateKeyPair().getPublic();
        OciSignatureVerifier ecVerifier = new OciSignatureVerifier(id -> Optional.of(ecKey),
                Clock.fixed(NOW, ZoneOffset.UTC));
        OciSignatureResult result = ecVerifier.verify(get(), true);
        assertThat(result).isInstanceOf(Failure.class);
        assertThat(((Failure) result).reason()).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void aSignatureOfTheWrongLengthIsAMismatchNotAnException() {
        String authorization = header(get(), "authorization").replaceAll("signature=\"[^\"]*\"",
                "signature=\"AAAA\"");
        assertFails(withHeader(get(), "authorization", authorization), Reason.SIGNATURE_MISMATCH, "does not verify");
    }

    @Test
    void theMessageNeverEchoesTheSignature() {
        SignedRequest forged = nodeStyle(OTHER_KEYS.getPrivate(), KEY_ID, "GET", PATH, "", new byte[0], false, NOW);
        String sent = header(forged, "authorization").replaceAll(".*signature=\"([^\"]*)\".*", "$1");
        assertThat(failure(forged, true).message()).doesNotContain(sent.substring(0, 16));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Refused: what was signed changed

    @Test
    void anAlteredBodyIsABodyHashMismatch() {
        SignedRequest altered = new SignedRequest("POST", PATH, "", post().headers(),
                "{\"messages\":[{\"key\":null,\"value\":\"ZXZpbA==\"}]}".getBytes(StandardCharsets.UTF_8));
        assertFails(altered, Reason.BODY_HASH_MISMATCH, "x-content-sha256");
    }

    @Test
    void aBodyHashReplacedToMatchTheNewBodyBreaksTheSignature() {
        byte[] evil = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        SignedRequest replaced = withHeader(withHeader(new SignedRequest("POST", PATH, "", post().headers(), evil),
                "x-content-sha256", OciTestSigner.bodyHash(evil)), "content-length", Integer.toString(evil.length));
        assertFails(replaced, Reason.SIGNATURE_MISMATCH, "does not verify");
    }

    @Test
    void aSignedContentLengthMustBeTheBodysLength() {
        SignedRequest request = withoutHeader(post(), "authorization");
        request = withHeader(request, "content-length", "7");
        SignedRequest signed = sign(KEYS.getPrivate(), KEY_ID, request, List.of("x-date", "(request-target)", "host",
                "content-type", "content-length", "x-content-sha256"));
        assertFails(signed, Reason.BODY_HASH_MISMATCH, "content-length '7'");
    }

    @Test
    void anUnsignedBodyIsRefusedWhereTheCallerRequiresIt() {
        assertFails(postUnsignedBody(), Reason.BODY_NOT_SIGNED, "x-content-sha256");
    }

    @Test
    void anUnsignedBodyOfAGetIsRefusedWhereTheCallerRequiresIt() {
        SignedRequest getWithBody = nodeStyle(KEYS.getPrivate(), KEY_ID, "GET", PATH, "", BODY, false, NOW);
        assertFails(getWithBody, Reason.BODY_NOT_SIGNED, "x-content-sha256");
        assertThat(verifier.verify(getWithBody, false).isSuccess()).isTrue();
    }

    @Test
    void anAlteredHostIsAMismatch() {
        assertFails(withHeader(get(), "host", "evil.example:8080"), Reason.SIGNATURE_MISMATCH, "does not verify");
    }

    @Test
    void anAlteredPathIsAMismatch() {
        SignedRequest request = get();
        SignedRequest altered = new SignedRequest("GET", "/20180418/streams/s2/messages", request.rawQuery(),
                request.headers(), null);
        assertFails(altered, Reason.SIGNATURE_MISMATCH, "does not verify");
    }

    @Test
    void anAlteredQueryIsAMismatch() {
        SignedRequest request = get();
        SignedRequest altered = new SignedRequest("GET", PATH, "cursor=eyJwIjoiMCIsIm8iOjB9&limit=11",
                request.headers(), null);
        assertFails(altered, Reason.SIGNATURE_MISMATCH, "does not verify");
    }

    @Test
    void anAlteredMethodIsAMismatch() {
        SignedRequest request = get();
        SignedRequest altered = new SignedRequest("DELETE", PATH, request.rawQuery(), request.headers(), null);
        assertFails(altered, Reason.SIGNATURE_MISMATCH, "does not verify");
    }

    @Test
    void anAlteredSignedDateWithinTheSkewIsAMismatch() {
        SignedRequest altered = withHeader(get(), "x-date", OciTestSigner.httpDate(NOW.plusSeconds(1)));
        assertFails(altered, Reason.SIGNATURE_MISMATCH, "does not verify");
    }

    @Test
    void anUnsignedHeaderMayChange() {
        // date is sent but not signed by the Node SDK: changing it changes nothing.
        assertThat(verifier.verify(withHeader(get(), "date", "whatever"), true).isSuccess()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "x-date"})
    void aListedHeaderThatIsMissingIsMalformed(String name) {
        assertFails(withoutHeader(get(), name), Reason.MALFORMED, "'" + name + "' is not present");
    }

    @Test
    void aListedBodyHeaderThatIsMissingIsMalformed() {
        assertFails(withoutHeader(post(), "content-type"), Reason.MALFORMED, "'content-type' is not present");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Refused: dates

    @ParameterizedTest
    @ValueSource(ints = {6, -6, 60 * 24})
    void aSkewOfMoreThanFiveMinutesIsExpired(int minutes) {
        SignedRequest request = nodeStyle(KEYS.getPrivate(), KEY_ID, "GET", PATH, "", new byte[0], false,
                NOW.plus(Duration.ofMinutes(minutes)));
        assertFails(request, Reason.EXPIRED, "the allowed skew is 300s");
    }

    @Test
    void aStaleUnsignedDateDoesNotMatterButAStaleSignedOneDoes() {
        SignedRequest request = new SignedRequest("GET", PATH, "", List.of(
                new Header("x-date", OciTestSigner.httpDate(NOW)),
                new Header("date", OciTestSigner.httpDate(NOW.minus(Duration.ofHours(1)))),
                new Header("host", "h")), null);
        assertThat(verifier.verify(sign(KEYS.getPrivate(), KEY_ID, request,
                List.of("x-date", "(request-target)", "host")), true).isSuccess()).isTrue();
        assertFails(sign(KEYS.getPrivate(), KEY_ID, request, List.of("x-date", "date", "(request-target)", "host")),
                Reason.EXPIRED, "date '");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-05T09:00:00Z", "Sat, 05 Dec 2026 09:00:00 +0000", "Sat, 05 Dec 2026 09:00 GMT",
            "Sat, 32 Dec 2026 09:00:00 GMT", "Fri, 05 Dec 2026 09:00:00 GMT", "1796374800", ""})
    void aDateThatIsNotAnHttpDateIsMalformed(String date) {
        SignedRequest request = new SignedRequest("GET", PATH, "", List.of(new Header("x-date", date),
                new Header("host", "h")), null);
        SignedRequest signed = sign(KEYS.getPrivate(), KEY_ID, request, List.of("x-date", "(request-target)", "host"));
        assertFails(signed, Reason.MALFORMED, "is not an HTTP date");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Refused: the Authorization header

    private SignedRequest withAuthorization(String value) {
        return withHeader(get(), "authorization", value);
    }

    private String replaced(String regex, String replacement) {
        return header(get(), "authorization").replaceFirst(regex, replacement);
    }

    @Test
    void anotherAlgorithmIsRefused() {
        assertFails(withAuthorization(replaced("rsa-sha256", "hmac-sha256")), Reason.MALFORMED,
                "algorithm 'hmac-sha256' is not rsa-sha256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2", "1.0", ""})
    void aVersionOtherThanOneIsRefused(String version) {
        assertFails(withAuthorization(replaced("version=\"1\"", "version=\"" + version + "\"")), Reason.MALFORMED,
                "version '" + version + "' is not 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"version", "keyId", "algorithm", "headers", "signature"})
    void aMissingParameterIsRefused(String name) {
        String authorization = header(get(), "authorization").replaceFirst(",?" + name + "=\"[^\"]*\"", "")
                .replace("Signature ,", "Signature ");
        assertFails(withAuthorization(authorization), Reason.MALFORMED, "has no " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"version=\"1\"", "keyId=\"x/y/z\"", "algorithm=\"rsa-sha256\"", "headers=\"host\"",
            "signature=\"AAAA\""})
    void aDuplicateParameterIsRefused(String parameter) {
        String name = parameter.substring(0, parameter.indexOf('='));
        assertFails(withAuthorization(header(get(), "authorization") + "," + parameter), Reason.MALFORMED,
                "has " + name + " twice");
    }

    @Test
    void anUnknownParameterIsRefused() {
        assertFails(withAuthorization(header(get(), "authorization") + ",created=\"1\""), Reason.MALFORMED,
                "'created' is unknown");
    }

    @Test
    void anotherSchemeIsRefused() {
        assertFails(withAuthorization("Bearer daemon-token-abcdefghijkl"), Reason.MALFORMED,
                "is not an OCI HTTP signature");
    }

    @Test
    void twoAuthorizationHeadersAreRefused() {
        List<Header> headers = new ArrayList<>(get().headers());
        headers.add(new Header("authorization", header(get(), "authorization")));
        assertFails(new SignedRequest("GET", PATH, get().rawQuery(), headers, null), Reason.MALFORMED,
                "2 Authorization headers");
    }

    @Test
    void anOverlongAuthorizationIsRefusedBeforeParsing() {
        String huge = header(get(), "authorization") + " ".repeat(OciSignatureVerifier.MAX_AUTHORIZATION_LENGTH);
        assertFails(withAuthorization(huge + "x"), Reason.MALFORMED, "the limit is 4096");
    }

    @Test
    void tooManyListedHeadersAreRefused() {
        StringBuilder names = new StringBuilder("x-date (request-target) host");
        for (int i = 0; i < OciSignatureVerifier.MAX_SIGNED_HEADERS; i++) {
            names.append(" x-h").append(i);
        }
        assertFails(withAuthorization(replaced("headers=\"[^\"]*\"", "headers=\"" + names + "\"")), Reason.MALFORMED,
                "the limit is " + OciSignatureVerifier.MAX_SIGNED_HEADERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x-date (request-target) host x-date", "x-date (request-target) HOST host"})
    void aHeaderListedTwiceIsRefused(String headers) {
        assertFails(withAuthorization(replaced("headers=\"[^\"]*\"", "headers=\"" + headers + "\"")), Reason.MALFORMED,
                "twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x-date host", "x-date (request-target)", "(request-target) host",
            "x-date (request-target) host authorization", "x-date  (request-target) host",
            "x-date (request-target) host ", "x-date (request-target) h\u00f6st host", "x-date (request-target) ho:st"})
    void aBadHeaderListIsRefused(String headers) {
        Failure failure = failure(withAuthorization(replaced("headers=\"[^\"]*\"", "headers=\"" + headers + "\"")),
                true);
        assertThat(failure.reason()).as(failure.message()).isEqualTo(Reason.MALFORMED);
        assertThat(failure.message()).contains("headers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "", "QUFB\"", "a\\\"b"})
    void aSignatureThatIsNotBase64IsRefused(String signature) {
        Failure failure = failure(withAuthorization(replaced("signature=\"[^\"]*\"", "signature=\""
                + signature.replace("\\", "\\\\") + "\"")), true);
        assertThat(failure.reason()).as(failure.message()).isEqualTo(Reason.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "caf\u00e9"})
    void aBadKeyIdIsRefused(String keyId) {
        assertFails(withAuthorization(replaced("keyId=\"[^\"]*\"", "keyId=\"" + keyId + "\"")), Reason.MALFORMED,
                "keyId");
    }

    @Test
    void garbageAuthorizationValuesAreFailuresNeverExceptions() {
        Random random = new Random(20261205L);
        String valid = header(get(), "authorization");
        String alphabet = "\",= \t\\/()-abcdefghSIGNATURE019+=:\u00e9\u0000\n";
        int failures = 0;
        int runs = 600;
        for (int run = 0; run < runs; run++) {
            StringBuilder mutated = new StringBuilder(valid);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && mutated.length() > 0; e++) {
                int at = random.nextInt(mutated.length());
                switch (random.nextInt(5)) {
                    case 0 -> mutated.deleteCharAt(at);
                    case 1 -> mutated.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 2 -> mutated.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 3 -> mutated.setLength(at);
                    default -> {
                        int end = Math.min(mutated.length(), at + random.nextInt(40));
                        mutated.insert(at, mutated.substring(at, end));
                    }
                }
            }
            String value = mutated.toString();
            OciSignatureResult result = verifier.verify(withAuthorization(value), true);
            assertThat(result).as(value).isNotNull();
            if (result instanceof Failure f) {
                failures++;
                assertThat(f.message()).as(value).isNotBlank().hasSizeLessThan(600);
            }
        }
        // A mutation can be harmless (an added space after a comma): almost all must still fail.
        assertThat(failures).isGreaterThan(runs * 9 / 10);
    }

    @Test
    void garbageRequestHeadersAreFailuresNeverExceptions() {
        Random random = new Random(42L);
        SignedRequest base = post();
        for (int run = 0; run < 300; run++) {
            String name = List.of("x-date", "host", "content-length", "x-content-sha256", "content-type")
                    .get(random.nextInt(5));
            char[] junk = new char[random.nextInt(50)];
            for (int i = 0; i < junk.length; i++) {
                junk[i] = (char) random.nextInt(0x300);
            }
            OciSignatureResult result = verifier.verify(withHeader(base, name, new String(junk)), true);
            assertThat(result).isInstanceOf(Failure.class);
        }
    }

    @Test
    void aNegativeSkewIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new OciSignatureVerifier(id -> Optional.empty(), Clock.systemUTC(),
                Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
