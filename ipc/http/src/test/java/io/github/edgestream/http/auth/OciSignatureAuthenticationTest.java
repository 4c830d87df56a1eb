package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpProblem;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI signatures through {@link CredentialAuthenticator} (credentials found by OCI key id, the two body policies,
 * HTTP/2's host), and the {@link Credential.OciKey}, {@link CredentialStore} and {@link PemKeys} they rely on.
 */
class OciSignatureAuthenticationTest {

    private static final String KEY_ID = OciSignatureVerifierTest.KEY_ID;
    private static final String DAEMON_TOKEN = "daemon-token-abcdefghijkl";
    private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
    private static final KeyPair KEYS = OciSignatureVerifierTest.generate();
    private static final Scope STREAMS = new Scope(List.of("default"), List.of("orders-*"),
            EnumSet.of(Permission.WRITE));
    private static final String PATH = "/20180418/streams/s1/messages";
    private static final byte[] BODY = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    private static Credential ociCredential() {
        return new Credential("oci-app", Optional.empty(), Optional.empty(), Optional.empty(), List.of(STREAMS),
                Optional.of(new Credential.OciKey(KEY_ID, KEYS.getPublic())));
    }

    private static CredentialAuthenticator authenticator() {
        return new CredentialAuthenticator(List.of(ociCredential()), Optional.of(DAEMON_TOKEN),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** The signed request as Netty would hand it over. */
    private static HttpCall call(SignedRequest request, String protocol) {
        HttpHeaders headers = new DefaultHttpHeaders();
        request.headers().forEach(h -> headers.add(h.name(), h.value()));
        String uri = request.rawPath() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery());
        return new HttpCall(HttpMethod.valueOf(request.method()), uri, headers, Unpooled.wrappedBuffer(request.body()),
                protocol, null, Principal.NOBODY);
    }

    private static HttpCall call(SignedRequest request) {
        return call(request, "HTTP/1.1");
    }

    private static HttpProblem refused(Authentication authentication) {
        assertThat(authentication).isInstanceOf(Authentication.Refused.class);
        return ((Authentication.Refused) authentication).problem();
    }

    @Test
    void aSignedRequestIsGrantedAsTheKeysCredential() {
        SignedRequest request = OciTestSigner.nodeStyle(KEYS.getPrivate(), KEY_ID, "POST", PATH, "", BODY, true, NOW);
        Authentication result = authenticator().authenticate(AuthScheme.oci(), call(request));
        assertThat(result).isEqualTo(new Authentication.Granted(new Principal("oci-app", List.of(STREAMS))));
    }

    @Test
    void overHttp2TheAuthorityIsTheSignedHost() {
        // Netty maps :authority to host and adds x-http2-* notes, which are not the client's headers.
        SignedRequest request = OciTestSigner.nodeStyle(KEYS.getPrivate(), KEY_ID, "GET", PATH, "limit=1",
                new byte[0], false, NOW);
        HttpCall h2 = call(OciTestSigner.withHeader(request, "x-http2-stream-id", "3"), "HTTP/2");
        assertThat(authenticator().authenticate(AuthScheme.oci(), h2)).isInstanceOf(Authentication.Granted.class);
    }

    @Test
    void anUnsignedBodyIsRefusedByOciAndAcceptedByOciBodyOptional() {
        SignedRequest putMessages = OciTestSigner.nodeStyle(KEYS.getPrivate(), KEY_ID, "POST", PATH, "", BODY, false,
                NOW);
        HttpProblem problem = refused(authenticator().authenticate(AuthScheme.oci(), call(putMessages)));
        assertThat(problem.kind()).isEqualTo(HttpProblem.Kind.BAD_CREDENTIALS);
        assertThat(problem.message()).contains("x-content-sha256");
        assertThat(authenticator().authenticate(AuthScheme.ociBodyOptional(), call(putMessages)))
                .isInstanceOf(Authentication.Granted.class);
    }

    @Test
    void anUnsignedRequestIsUnauthenticated() {
        HttpProblem problem = refused(authenticator().authenticate(AuthScheme.oci(),
                call(new SignedRequest("GET", PATH, "", List.of(), null))));
        assertThat(problem.kind()).isEqualTo(HttpProblem.Kind.UNAUTHENTICATED);
    }

    @Test
    void theDaemonTokenCannotAuthenticateOciRequests() {
        SignedRequest bearer = new SignedRequest("GET", PATH, "", List.of(
                new SignedRequest.Header("authorization", "Bearer " + DAEMON_TOKEN)), null);
        HttpProblem problem = refused(authenticator().authenticate(AuthScheme.oci(), call(bearer)));
        assertThat(problem.kind()).isEqualTo(HttpProblem.Kind.MALFORMED_CREDENTIALS);
        assertThat(problem.message()).doesNotContain(DAEMON_TOKEN);
    }

    @Test
    void failuresMapToTheirProblems() {
        CredentialAuthenticator authenticator = authenticator();
        SignedRequest unknown = OciTestSigner.nodeStyle(KEYS.getPrivate(), "t/u/ff", "GET", PATH, "", new byte[0],
                false, NOW);
        assertThat(refused(authenticator.authenticate(AuthScheme.oci(), call(unknown))).kind())
                .isEqualTo(HttpProblem.Kind.UNKNOWN_CREDENTIAL);
        SignedRequest stale = OciTestSigner.nodeStyle(KEYS.getPrivate(), KEY_ID, "GET", PATH, "", new byte[0],
                false, NOW.minusSeconds(3600));
        assertThat(refused(authenticator.authenticate(AuthScheme.oci(), call(stale))).kind())
                .isEqualTo(HttpProblem.Kind.EXPIRED_SIGNATURE);
        SignedRequest signed = OciTestSigner.nodeStyle(KEYS.getPrivate(), KEY_ID, "POST", PATH, "", BODY, true, NOW);
        SignedRequest altered = new SignedRequest("POST", PATH, "", signed.headers(),
                "{\"messages\":[{}]}".getBytes(StandardCharsets.UTF_8));
        assertThat(refused(authenticator.authenticate(AuthScheme.oci(), call(altered))).kind())
                .isEqualTo(HttpProblem.Kind.BAD_CREDENTIALS);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Credential, CredentialStore, PemKeys

    @Test
    void aCredentialMayHaveOnlyAnOciKey() {
        Credential credential = ociCredential();
        assertThat(credential.toString()).contains(KEY_ID).doesNotContain("Sun RSA");
        assertThat(new CredentialStore(List.of(credential)).byOciKeyId(KEY_ID)).contains(credential);
        assertThat(new CredentialStore(List.of(credential)).byOciKeyId("other")).isEmpty();
        assertThat(new CredentialStore(List.of(credential)).size()).isEqualTo(1);
    }

    @Test
    void withOciKeyKeepsTheOtherSecrets() {
        Credential bearer = new Credential("both", Optional.empty(), Optional.empty(),
                Optional.of("a-token-of-sufficient-length"), List.of(STREAMS));
        Credential both = bearer.withOciKey(new Credential.OciKey(KEY_ID, KEYS.getPublic()));
        assertThat(both.token()).isEqualTo(bearer.token());
        assertThat(both.ociKey().map(Credential.OciKey::keyId)).contains(KEY_ID);
        assertThat(bearer.ociKey()).isEmpty();
    }

    @Test
    void twoCredentialsMayNotShareAnOciKeyId() {
        Credential other = new Credential("other", Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(STREAMS), Optional.of(new Credential.OciKey(KEY_ID, OciSignatureVerifierTest.generate()
                        .getPublic())));
        assertThatThrownBy(() -> new CredentialStore(List.of(ociCredential(), other)))
                .hasMessageContaining("OCI keyId");
    }

    @Test
    void anOciKeyIdMustBeVisibleAsciiWithoutQuotes() {
        for (String bad : List.of("", "a b", "a\"b", "x".repeat(513))) {
            assertThatThrownBy(() -> new Credential.OciKey(bad, KEYS.getPublic()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anOciKeyMustBeRsa() throws Exception {
        var ec = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
        assertThatThrownBy(() -> new Credential.OciKey(KEY_ID, ec)).hasMessageContaining("RSA");
    }

    @Test
    void pemKeysReadsAPublicKeyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key_public.pem");
        Files.writeString(file, pem("PUBLIC KEY", KEYS.getPublic().getEncoded()));
        assertThat(PemKeys.publicKey(file)).isEqualTo(KEYS.getPublic());
    }

    @Test
    void pemKeysRefusesPrivateKeysAndGarbage(@TempDir Path dir) throws Exception {
        Path privateKey = dir.resolve("key.pem");
        Files.writeString(privateKey, pem("PRIVATE KEY", KEYS.getPrivate().getEncoded()));
        assertThatThrownBy(() -> PemKeys.publicKey(privateKey)).hasMessageContaining("private key");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> PemKeys.publicKey(garbage)).hasMessageContaining("not an RSA public key");
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "");
        assertThatThrownBy(() -> PemKeys.publicKey(empty)).hasMessageContaining("not a PEM public key");
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
