package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.http.auth.SigV4Result.Failure;
import io.github.edgestream.http.auth.SigV4Result.Reason;
import io.github.edgestream.http.auth.SigV4Result.Success;
import io.github.edgestream.http.auth.SignedRequest.Header;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * Signatures come from the real AWS SDK for Java v2 signers ({@link AwsV4HttpSigner}, and the legacy
 * {@link Aws4Signer} where a request without {@code x-amz-content-sha256} is needed), from the AWS SigV4 test
 * suite, or, for the one shape the SDK cannot produce (only {@code :authority}, no {@code host}), from a
 * literal canonical request and an HMAC helper that is itself checked against the test suite.
 */
class SigV4VerifierTest {

    private static final String AKID = "AKIDEDGESTREAM0001";
    private static final String SECRET = "edgeStreamSecret/K7MDENG+bPxRfiCYEXAMPLE";
    private static final String REGION = "us-east-1";
    private static final String SERVICE = "kinesis";
    private static final Instant SIGNED_AT = Instant.parse("2025-06-01T10:00:00Z");
    private static final String AMZ_DATE = "20250601T100000Z";
    private static final byte[] BODY =
            "{\"StreamName\":\"telemetry\",\"Data\":\"aGVsbG8=\",\"PartitionKey\":\"pk-1\"}"
                    .getBytes(StandardCharsets.UTF_8);

    // ---------------------------------------------------------------------------------------------------------
    // Fixtures

    private static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static SigV4Verifier verifier() {
        return verifier(clockAt(SIGNED_AT));
    }

    private static SigV4Verifier verifier(Clock clock) {
        return new SigV4Verifier(secrets(Map.of(AKID, SECRET)), clock);
    }

    private static Function<String, Optional<String>> secrets(Map<String, String> keys) {
        return id -> Optional.ofNullable(keys.get(id));
    }

    /** A PutRecord request as the Java v2 Kinesis client builds it before signing. */
    private static SdkHttpFullRequest.Builder kinesisPut() {
        return SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:8089/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Kinesis_20131202.PutRecord")
                .putHeader("Content-Length", String.valueOf(BODY.length))
                .putHeader("User-Agent", "aws-sdk-java/2.40.2 md/io#sync ua/2.1");
    }

    /** Signs with the SDK's current SigV4 signer (which adds host, x-amz-date and x-amz-content-sha256). */
    private static SdkHttpRequest sdkSign(SdkHttpFullRequest request, byte[] body, String secret, String service) {
        return AwsV4HttpSigner.create().sign(r -> r
                        .identity(AwsCredentialsIdentity.create(AKID, secret))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clockAt(SIGNED_AT)))
                .request();
    }

    private static SdkHttpRequest sdkSign(SdkHttpFullRequest request) {
        return sdkSign(request, BODY, SECRET, SERVICE);
    }

    /** Signs with the legacy signer, which (for non-S3 services) sends no x-amz-content-sha256. */
    @SuppressWarnings("deprecation")
    private static SdkHttpRequest legacySign(SdkHttpFullRequest request, byte[] body) {
        Aws4SignerParams params = Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(AKID, SECRET))
                .signingName(SERVICE)
                .signingRegion(Region.US_EAST_1)
                .signingClockOverride(clockAt(SIGNED_AT))
                .build();
        return Aws4Signer.create().sign(request.toBuilder().contentStreamProvider(() ->
                new java.io.ByteArrayInputStream(body)).build(), params);
    }

    /** What the server sees: every header in order, names lower-cased. */
    private static SignedRequest received(SdkHttpRequest signed, byte[] body) {
        List<Header> headers = new ArrayList<>();
        signed.headers().forEach((name, values) ->
                values.forEach(v -> headers.add(new Header(name.toLowerCase(java.util.Locale.ROOT), v))));
        String rawQuery = signed.getUri().getRawQuery();
        return new SignedRequest(signed.method().name(), signed.encodedPath().isEmpty() ? "/" : signed.encodedPath(),
                rawQuery == null ? "" : rawQuery, headers, body);
    }

    private static SignedRequest received(SdkHttpRequest signed) {
        return received(signed, BODY);
    }

    private static String header(SignedRequest request, String name) {
        return request.headers().stream().filter(h -> h.name().equals(name)).map(Header::value)
                .findFirst().orElseThrow(() -> new AssertionError("no " + name));
    }

    private static SignedRequest withHeaders(SignedRequest r, UnaryOperator<List<Header>> change) {
        return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), change.apply(new ArrayList<>(r.headers())),
                r.body());
    }

    private static SignedRequest replaceHeader(SignedRequest r, String name, String value) {
        return withHeaders(r, hs -> hs.stream().map(h -> h.name().equals(name) ? new Header(name, value) : h)
                .collect(Collectors.toList()));
    }

    private static SignedRequest removeHeader(SignedRequest r, String name) {
        return withHeaders(r, hs -> hs.stream().filter(h -> !h.name().equals(name)).collect(Collectors.toList()));
    }

    private static SignedRequest withBody(SignedRequest r, byte[] body) {
        return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), r.headers(), body);
    }

    private static Failure failure(SigV4Result result) {
        assertThat(result).isInstanceOf(Failure.class);
        return (Failure) result;
    }

    private static void assertSuccess(SigV4Result result) {
        assertThat(result).isEqualTo(new Success(AKID, REGION, SERVICE));
    }

    // Independent helper (test only): the SigV4 HMAC chain over a canonical request written out literally.

    private static String sha256Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String signLiteral(String secret, String amzDate, String region, String service,
                                      String canonicalRequest) throws Exception {
        String day = amzDate.substring(0, 8);
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    // ---------------------------------------------------------------------------------------------------------

    @Nested
    class ValidRequests {

        @Test
        void sdkSignedKinesisPutRecordVerifies() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));

            assertThat(header(request, "authorization"))
                    .contains("Credential=" + AKID + "/20250601/us-east-1/kinesis/aws4_request")
                    .contains("SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;"
                            + "x-amz-target,")
                    .doesNotContain("user-agent");
            assertSuccess(verifier().verify(request));
        }

        @Test
        void pinnedServiceAcceptsKinesis() {
            SigV4Verifier pinned = new SigV4Verifier(secrets(Map.of(AKID, SECRET)), clockAt(SIGNED_AT),
                    SigV4Verifier.DEFAULT_MAX_SKEW, "kinesis");
            assertSuccess(pinned.verify(received(sdkSign(kinesisPut().build()))));
        }

        @Test
        void headerArrivalOrderDoesNotMatter() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest reversed = withHeaders(request, hs -> {
                Collections.reverse(hs);
                return hs;
            });
            assertSuccess(verifier().verify(reversed));
        }

        @Test
        void unsignedHeadersMayChangeOrBeAdded() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest changed = replaceHeader(request, "user-agent", "something-else/1.0");
            changed = withHeaders(changed, hs -> {
                hs.add(new Header("x-amzn-trace-id", "Root=1-abc"));
                return hs;
            });
            assertSuccess(verifier().verify(changed));
        }

        @Test
        void requestWithoutContentSha256HeaderVerifies() {
            SignedRequest request = received(legacySign(kinesisPut().build(), BODY));
            assertThat(request.headers()).extracting(Header::name).doesNotContain("x-amz-content-sha256");
            assertSuccess(verifier().verify(request));
        }

        @Test
        void encodedPathAndUnsortedQueryVerify() {
            SdkHttpFullRequest sdk = kinesisPut()
                    .encodedPath("/streams/a%20b/c~d")
                    .putRawQueryParameter("b", "2")
                    .putRawQueryParameter("a", List.of("z", "1"))
                    .putRawQueryParameter("e", "x+y/=")
                    .build();
            SignedRequest request = received(sdkSign(sdk));
            assertThat(request.rawPath()).isEqualTo("/streams/a%20b/c~d");
            assertThat(request.rawQuery()).isNotEmpty();

            assertSuccess(verifier().verify(request));
            SignedRequest otherQuery = new SignedRequest(request.method(), request.rawPath(), "a=1&b=2",
                    request.headers(), request.body());
            assertThat(failure(verifier().verify(otherQuery)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            SignedRequest otherPath = new SignedRequest(request.method(), "/streams/a%20b/c", request.rawQuery(),
                    request.headers(), request.body());
            assertThat(failure(verifier().verify(otherPath)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void headerValueWhitespaceIsNormalised() {
            // The SDK signs "a b c"; the wire still carries the original spacing, which the verifier must trim.
            SignedRequest request = received(sdkSign(kinesisPut().putHeader("X-Edge-Tag", "  a  b   c ").build()));
            assertThat(header(request, "authorization")).contains("x-edge-tag");
            assertThat(header(request, "x-edge-tag")).isEqualTo("  a  b   c ");

            assertSuccess(verifier().verify(request));
            assertSuccess(verifier().verify(replaceHeader(request, "x-edge-tag", "a b\tc")));
            assertThat(failure(verifier().verify(replaceHeader(request, "x-edge-tag", "a bc"))).reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void repeatedHeaderValuesAreJoinedInArrivalOrder() {
            SignedRequest request = received(sdkSign(kinesisPut().putHeader("X-Multi", List.of("one", "two"))
                    .build()));
            assertThat(request.headers()).filteredOn(h -> h.name().equals("x-multi")).extracting(Header::value)
                    .containsExactly("one", "two");
            assertSuccess(verifier().verify(request));

            SignedRequest swapped = withHeaders(request, hs -> hs.stream()
                    .map(h -> h.name().equals("x-multi") ? new Header("x-multi", h.value().equals("one") ? "two" : "one")
                            : h)
                    .collect(Collectors.toList()));
            assertThat(failure(verifier().verify(swapped)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void uppercaseHeaderNamesFromTheServerAreTolerated() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest upper = withHeaders(request, hs -> hs.stream()
                    .map(h -> new Header(h.name().toUpperCase(java.util.Locale.ROOT), h.value()))
                    .collect(Collectors.toList()));
            assertSuccess(verifier().verify(upper));
        }
    }

    @Nested
    class Http2 {

        @Test
        void hostSignedButOnlyAuthorityReceived() {
            // Java v2 over HTTP/2 signs "host", but the frame carries :authority instead of a host header.
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest h2 = withHeaders(removeHeader(request, "host"), hs -> {
                hs.add(0, new Header(":authority", "127.0.0.1:8089"));
                return hs;
            });
            assertSuccess(verifier().verify(h2));
            SignedRequest otherAuthority = replaceHeader(h2, ":authority", "127.0.0.1:9999");
            assertThat(failure(verifier().verify(otherAuthority)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void sdkSignedAuthorityPseudoHeaderVerifies() {
            // With a ":authority" header the SDK signs it next to the host it always adds.
            SignedRequest request = received(sdkSign(kinesisPut().putHeader(":authority", "127.0.0.1:8089").build()));
            assertThat(header(request, "authorization")).contains("SignedHeaders=:authority;content-length;");

            assertSuccess(verifier().verify(request));
            assertThat(failure(verifier().verify(replaceHeader(request, ":authority", "evil:1"))).reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void authoritySignedInsteadOfHostLikeJsV3() throws Exception {
            String canonicalRequest = "POST\n"
                    + "/\n"
                    + "\n"
                    + ":authority:127.0.0.1:8089\n"
                    + "content-type:application/x-amz-json-1.1\n"
                    + "x-amz-date:" + AMZ_DATE + "\n"
                    + "x-amz-target:Kinesis_20131202.PutRecord\n"
                    + "\n"
                    + ":authority;content-type;x-amz-date;x-amz-target\n"
                    + sha256Hex(BODY);
            String signature = signLiteral(SECRET, AMZ_DATE, REGION, SERVICE, canonicalRequest);
            String authorization = "AWS4-HMAC-SHA256 Credential=" + AKID + "/20250601/us-east-1/kinesis/aws4_request, "
                    + "SignedHeaders=:authority;content-type;x-amz-date;x-amz-target, Signature=" + signature;
            List<Header> headers = List.of(
                    new Header(":method", "POST"),
                    new Header(":authority", "127.0.0.1:8089"),
                    new Header(":scheme", "http"),
                    new Header(":path", "/"),
                    new Header("content-type", "application/x-amz-json-1.1"),
                    new Header("x-amz-target", "Kinesis_20131202.PutRecord"),
                    new Header("x-amz-date", AMZ_DATE),
                    new Header("authorization", authorization));
            SignedRequest request = new SignedRequest("POST", "/", "", headers, BODY);

            assertSuccess(verifier().verify(request));
            assertThat(failure(verifier().verify(replaceHeader(request, ":authority", "127.0.0.1:8090"))).reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
            // A host header, even a different one, does not replace a present :authority.
            SignedRequest withHost = withHeaders(request, hs -> {
                hs.add(new Header("host", "other:1"));
                return hs;
            });
            assertSuccess(verifier().verify(withHost));
        }
    }

    @Nested
    class Tampering {

        @Test
        void wrongSecretIsSignatureMismatchAndMessageLeaksNothing() {
            SignedRequest request = received(sdkSign(kinesisPut().build(), BODY, "not-the-secret", SERVICE));
            // The signature the verifier expects is the one made with its own secret.
            String expected = header(received(sdkSign(kinesisPut().build())), "authorization")
                    .replaceAll(".*Signature=", "");

            Failure failure = failure(verifier().verify(request));

            assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
            assertThat(failure.message()).contains(AKID).doesNotContain(SECRET).doesNotContain(expected);
        }

        @Test
        void bodyReplacedWithoutContentSha256IsSignatureMismatch() {
            SignedRequest request = received(legacySign(kinesisPut().build(), BODY));
            byte[] other = new String(BODY, StandardCharsets.UTF_8).replace("telemetry", "telemetrx")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(failure(verifier().verify(withBody(request, other))).reason())
                    .isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void bodyReplacedUnderSignedContentSha256IsBodyHashMismatch() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            Failure failure = failure(verifier().verify(withBody(request, "{}".getBytes(StandardCharsets.UTF_8))));
            assertThat(failure.reason()).isEqualTo(Reason.BODY_HASH_MISMATCH);
            assertThat(failure.message()).contains("x-amz-content-sha256");
        }

        @Test
        void contentSha256NotMatchingBodyIsBodyHashMismatch() throws Exception {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            String wrong = sha256Hex("something else".getBytes(StandardCharsets.UTF_8));
            Failure failure = failure(verifier().verify(replaceHeader(request, "x-amz-content-sha256", wrong)));
            assertThat(failure.reason()).isEqualTo(Reason.BODY_HASH_MISMATCH);
            assertThat(failure.message()).contains(wrong);
        }

        @Test
        void unsignedPayloadMarkerIsRejected() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            assertThat(failure(verifier().verify(replaceHeader(request, "x-amz-content-sha256", "UNSIGNED-PAYLOAD")))
                    .reason()).isEqualTo(Reason.BODY_HASH_MISMATCH);
        }

        @Test
        void changedSignedHeaderIsSignatureMismatch() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest changed = replaceHeader(request, "x-amz-target", "Kinesis_20131202.DeleteStream");
            assertThat(failure(verifier().verify(changed)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void changedMethodIsSignatureMismatch() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest put = new SignedRequest("PUT", request.rawPath(), request.rawQuery(), request.headers(),
                    request.body());
            assertThat(failure(verifier().verify(put)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void signedHeaderMissingFromRequestIsRejected() {
            SignedRequest request = removeHeader(received(sdkSign(kinesisPut().build())), "x-amz-target");
            Failure failure = failure(verifier().verify(request));
            assertThat(failure.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(failure.message()).contains("x-amz-target");
        }

        @Test
        void signatureFromOtherServiceFailsWhenServiceIsPinned() {
            SigV4Verifier pinned = new SigV4Verifier(secrets(Map.of(AKID, SECRET)), clockAt(SIGNED_AT),
                    SigV4Verifier.DEFAULT_MAX_SKEW, "kinesis");
            SignedRequest request = received(sdkSign(kinesisPut().build(), BODY, SECRET, "dynamodb"));
            assertThat(verifier().verify(request)).isEqualTo(new Success(AKID, REGION, "dynamodb"));
            Failure failure = failure(pinned.verify(request));
            assertThat(failure.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(failure.message()).contains("dynamodb");
        }
    }

    @Nested
    class Keys {

        @Test
        void unknownAccessKey() {
            SigV4Verifier other = new SigV4Verifier(secrets(Map.of("SOMEONEELSE", SECRET)), clockAt(SIGNED_AT));
            Failure failure = failure(other.verify(received(sdkSign(kinesisPut().build()))));
            assertThat(failure.reason()).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(failure.message()).contains(AKID).doesNotContain(SECRET);
        }

        @Test
        void missingAuthorization() {
            SignedRequest request = removeHeader(received(sdkSign(kinesisPut().build())), "authorization");
            assertThat(failure(verifier().verify(request)).reason()).isEqualTo(Reason.MISSING);
        }

        @Test
        void twoAuthorizationHeaders() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest twice = withHeaders(request, hs -> {
                hs.add(new Header("authorization", header(request, "authorization")));
                return hs;
            });
            assertThat(failure(verifier().verify(twice)).reason()).isEqualTo(Reason.MALFORMED);
        }
    }

    @Nested
    class ClockSkew {

        @ParameterizedTest(name = "{0} min")
        @ValueSource(ints = {-15, -14, 0, 14, 15})
        void withinSkewVerifies(int minutes) {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            assertSuccess(verifier(clockAt(SIGNED_AT.plus(Duration.ofMinutes(minutes)))).verify(request));
        }

        @ParameterizedTest(name = "{0} min")
        @ValueSource(ints = {-16, 16, 60 * 24})
        void beyondSkewIsExpired(int minutes) {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            Failure failure = failure(verifier(clockAt(SIGNED_AT.plus(Duration.ofMinutes(minutes)))).verify(request));
            assertThat(failure.reason()).isEqualTo(Reason.EXPIRED);
            assertThat(failure.message()).contains("x-amz-date").contains(AMZ_DATE);
        }

        @Test
        void justPastFifteenMinutesIsExpired() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            assertThat(failure(verifier(clockAt(SIGNED_AT.plusSeconds(15 * 60 + 1))).verify(request)).reason())
                    .isEqualTo(Reason.EXPIRED);
        }

        @Test
        void configurableSkew() {
            SigV4Verifier strict = new SigV4Verifier(secrets(Map.of(AKID, SECRET)),
                    clockAt(SIGNED_AT.plus(Duration.ofMinutes(2))), Duration.ofMinutes(1), null);
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            assertThat(failure(strict.verify(request)).reason()).isEqualTo(Reason.EXPIRED);
        }

        @Test
        void negativeSkewIsRefused() {
            assertThatThrownBy(() -> new SigV4Verifier(id -> Optional.empty(), Clock.systemUTC(),
                    Duration.ofSeconds(-1), null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Malformed {

        static Stream<Arguments> badAuthorizations() {
            String cred = "Credential=" + AKID + "/20250601/us-east-1/kinesis/aws4_request";
            String sh = "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target";
            String sig = "Signature=" + "ab".repeat(32);
            String manyHeaders = IntStream.range(0, 65).mapToObj(i -> "x-h" + i).collect(Collectors.joining(";"));
            return Stream.of(
                    Arguments.of("no Credential", "AWS4-HMAC-SHA256 " + sh + ", " + sig, "no Credential"),
                    Arguments.of("no SignedHeaders", "AWS4-HMAC-SHA256 " + cred + ", " + sig, "no SignedHeaders"),
                    Arguments.of("no Signature", "AWS4-HMAC-SHA256 " + cred + ", " + sh, "no Signature"),
                    Arguments.of("wrong algorithm", "AWS4-HMAC-SHA512 " + cred + ", " + sh + ", " + sig,
                            "AWS4-HMAC-SHA512"),
                    Arguments.of("SigV2", "AWS " + AKID + ":c2lnbmF0dXJl", "algorithm 'AWS'"),
                    Arguments.of("algorithm only", "AWS4-HMAC-SHA256", "not name=value"),
                    Arguments.of("scope with four parts", "AWS4-HMAC-SHA256 Credential=" + AKID
                            + "/20250601/us-east-1/aws4_request, " + sh + ", " + sig, "Credential '"),
                    Arguments.of("bad terminator", "AWS4-HMAC-SHA256 Credential=" + AKID
                            + "/20250601/us-east-1/kinesis/aws5_request, " + sh + ", " + sig, "aws5_request"),
                    Arguments.of("bad scope date", "AWS4-HMAC-SHA256 Credential=" + AKID
                            + "/20251301/us-east-1/kinesis/aws4_request, " + sh + ", " + sig, "20251301"),
                    Arguments.of("empty access key", "AWS4-HMAC-SHA256 Credential="
                            + "/20250601/us-east-1/kinesis/aws4_request, " + sh + ", " + sig, "access key id"),
                    Arguments.of("bad region", "AWS4-HMAC-SHA256 Credential=" + AKID
                            + "/20250601/us east 1/kinesis/aws4_request, " + sh + ", " + sig, "region 'us east 1'"),
                    Arguments.of("non-hex signature", "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", Signature="
                            + "zz".repeat(32), "Signature 'zzzz"),
                    Arguments.of("short signature", "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", Signature=abcd",
                            "64 lower-case hex"),
                    Arguments.of("duplicate component", "AWS4-HMAC-SHA256 " + cred + ", " + cred + ", " + sh + ", "
                            + sig, "Credential twice"),
                    Arguments.of("unknown component", "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig
                            + ", Nonce=1", "'Nonce'"),
                    Arguments.of("host not signed", "AWS4-HMAC-SHA256 " + cred
                            + ", SignedHeaders=content-type;x-amz-date, " + sig, "neither host nor :authority"),
                    Arguments.of("x-amz-date not signed", "AWS4-HMAC-SHA256 " + cred
                            + ", SignedHeaders=content-type;host, " + sig, "does not include x-amz-date"),
                    Arguments.of("upper-case signed header", "AWS4-HMAC-SHA256 " + cred
                            + ", SignedHeaders=Host;x-amz-date, " + sig, "'Host'"),
                    Arguments.of("empty signed header", "AWS4-HMAC-SHA256 " + cred
                            + ", SignedHeaders=host;;x-amz-date, " + sig, "entry ''"),
                    Arguments.of("authorization signed", "AWS4-HMAC-SHA256 " + cred
                            + ", SignedHeaders=authorization;host;x-amz-date, " + sig, "authorization"),
                    Arguments.of("too many signed headers", "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;"
                            + "x-amz-date;" + manyHeaders + ", " + sig, "67 headers"),
                    Arguments.of("oversized", "AWS4-HMAC-SHA256 " + cred + ", " + sh + ";x-pad-"
                            + "p".repeat(5000) + ", " + sig, "the limit is 4096"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badAuthorizations")
        void malformedAuthorizationIsRejectedBeforeKeyLookup(String label, String authorization, String mention) {
            AtomicInteger lookups = new AtomicInteger();
            SigV4Verifier counting = new SigV4Verifier(id -> {
                lookups.incrementAndGet();
                return Optional.of(SECRET);
            }, clockAt(SIGNED_AT));
            SignedRequest request = replaceHeader(received(sdkSign(kinesisPut().build())), "authorization",
                    authorization);

            Failure failure = failure(counting.verify(request));

            assertThat(failure.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(failure.message()).contains(mention);
            assertThat(failure.message().length()).isLessThan(400);
            assertThat(lookups).hasValue(0);
        }

        @Test
        void missingAmzDate() {
            SignedRequest request = removeHeader(received(sdkSign(kinesisPut().build())), "x-amz-date");
            Failure failure = failure(verifier().verify(request));
            assertThat(failure.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(failure.message()).contains("x-amz-date");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2025-06-01T10:00:00Z", "20250601T100000", "20250631T100000Z", "20250601T250000Z"})
        void badAmzDateFormat(String amzDate) {
            SignedRequest request = replaceHeader(received(sdkSign(kinesisPut().build())), "x-amz-date", amzDate);
            Failure failure = failure(verifier().verify(request));
            assertThat(failure.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(failure.message()).contains(amzDate);
        }

        @Test
        void credentialDateMustBeTheAmzDateDay() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest otherDay = replaceHeader(request, "authorization",
                    header(request, "authorization").replace("/20250601/", "/20250602/"));
            Failure failure = failure(verifier().verify(otherDay));
            assertThat(failure.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(failure.message()).contains("20250602").contains(AMZ_DATE);
        }
    }

    @Nested
    class AwsTestSuite {

        // aws-sig-v4-test-suite: AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, us-east-1, "service",
        // 20150830T123600Z, host example.amazonaws.com. Both signatures are also what the SDK's Aws4Signer produces.
        private static final String SUITE_KEY = "AKIDEXAMPLE";
        private static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");

        private SignedRequest vanilla(String method, String signature) {
            return new SignedRequest(method, "/", "", List.of(
                    new Header("host", "example.amazonaws.com"),
                    new Header("x-amz-date", "20150830T123600Z"),
                    new Header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                            + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + signature)),
                    new byte[0]);
        }

        private SigV4Verifier suiteVerifier() {
            return new SigV4Verifier(secrets(Map.of(SUITE_KEY, SUITE_SECRET)), clockAt(SUITE_TIME));
        }

        @Test
        void getVanilla() {
            SignedRequest request = vanilla("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
            assertThat(suiteVerifier().verify(request)).isEqualTo(new Success(SUITE_KEY, "us-east-1", "service"));
        }

        @Test
        void postVanilla() {
            SignedRequest request = vanilla("POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
            assertThat(suiteVerifier().verify(request)).isEqualTo(new Success(SUITE_KEY, "us-east-1", "service"));
        }

        @Test
        void getVanillaWithOneDigitChangedIsMismatch() {
            SignedRequest request = vanilla("GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30");
            assertThat(failure(suiteVerifier().verify(request)).reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        }

        @Test
        void testHmacHelperReproducesGetVanilla() throws Exception {
            String canonical = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                    + "host;x-amz-date\n" + sha256Hex(new byte[0]);
            assertThat(signLiteral(SUITE_SECRET, "20150830T123600Z", "us-east-1", "service", canonical))
                    .isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        }
    }

    @Nested
    class Canonicalisation {

        @ParameterizedTest
        @MethodSource("paths")
        void canonicalUri(String raw, String canonical) {
            assertThat(SigV4Verifier.canonicalUri(raw)).isEqualTo(canonical);
        }

        static Stream<Arguments> paths() {
            return Stream.of(
                    Arguments.of("/", "/"),
                    Arguments.of("", "/"),
                    Arguments.of("/a/./b/../c/", "/a/c/"),
                    Arguments.of("/a//b", "/a/b"),
                    Arguments.of("/..", "/"),
                    Arguments.of("/foo%20bar", "/foo%2520bar"),
                    Arguments.of("/-_.~ab09", "/-_.~ab09"),
                    Arguments.of("/a:b@c", "/a%3Ab%40c"));
        }

        @Test
        void canonicalQuerySortsAndReEncodes() throws Exception {
            assertThat(SigV4Verifier.canonicalQuery("")).isEmpty();
            assertThat(SigV4Verifier.canonicalQuery("b=2&a=z&a=1&flag&c=x%2By%2F%3D&d=a b"))
                    .isEqualTo("a=1&a=z&b=2&c=x%2By%2F%3D&d=a%20b&flag=");
        }

        @Test
        void invalidPercentEncodingInQueryIsMalformed() {
            SignedRequest request = received(sdkSign(kinesisPut().build()));
            SignedRequest bad = new SignedRequest(request.method(), request.rawPath(), "a=%zz", request.headers(),
                    request.body());
            assertThat(failure(verifier().verify(bad)).reason()).isEqualTo(Reason.MALFORMED);
        }
    }
}
