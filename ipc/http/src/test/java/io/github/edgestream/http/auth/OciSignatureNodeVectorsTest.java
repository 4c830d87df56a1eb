package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.fixture.NpmProject;
import io.github.edgestream.http.auth.OciSignatureResult.Failure;
import io.github.edgestream.http.auth.OciSignatureResult.Reason;
import io.github.edgestream.http.auth.OciSignatureResult.Success;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real vectors from the official OCI TypeScript SDK signer ({@code oci-common@2.139.1}'s DefaultRequestSigner, the
 * one StreamClient uses; pinned in {@code src/test/js/package-lock.json}): {@code oci-sign.js} signs a GET with a
 * query, a POST with its body, a PutMessages without its body and an empty-bodied POST with a PKCS#8 PEM key
 * generated here, and prints the requests; each must verify, and must fail once altered. The SDK stamps
 * {@code x-date} with its own clock, so the verifier uses the real clock. Node.js 20+ and npm must be on the PATH.
 */
class OciSignatureNodeVectorsTest {

    private static final Path SOURCES = Path.of("src", "test", "js");
    private static final Path WORK = Path.of("target", "oci-sign-js");
    private static final String KEY_ID = "ocid1.tenancy.oc1..aaaa/ocid1.user.oc1..bbbb/20:3b:97:13:55:1c:5b:0d";
    private static final KeyPair KEYS = OciSignatureVerifierTest.generate();

    private static Map<String, SignedRequest> requests;

    private final OciSignatureVerifier verifier = new OciSignatureVerifier(
            id -> id.equals(KEY_ID) ? Optional.of(KEYS.getPublic()) : Optional.empty(), Clock.systemUTC());

    @BeforeAll
    static void signWithTheSdk() throws Exception {
        NpmProject.install(SOURCES, WORK);
        Path key = WORK.resolve("test-key.pem");
        Files.writeString(key, OciSignatureAuthenticationTest.pem("PRIVATE KEY", KEYS.getPrivate().getEncoded()));
        Process node = NpmProject.start(new ProcessBuilder("node", "oci-sign.js", key.getFileName().toString(),
                KEY_ID, "127.0.0.1:8080").directory(WORK.toFile()).redirectErrorStream(true));
        String output;
        try {
            output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node oci-sign.js finished").isTrue();
        } finally {
            node.destroyForcibly();
        }
        assertThat(node.exitValue()).as("node oci-sign.js failed:\n" + output).isZero();
        requests = new HashMap<>();
        for (JsonNode request : new ObjectMapper().readTree(output)) {
            List<SignedRequest.Header> headers = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = request.get("headers").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> header = it.next();
                headers.add(new SignedRequest.Header(header.getKey(), header.getValue().asText()));
            }
            requests.put(request.get("name").asText(), new SignedRequest(request.get("method").asText(),
                    request.get("path").asText(), request.get("query").asText(), headers,
                    request.get("body").asText().getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(requests).containsOnlyKeys("get", "post", "putMessages", "emptyPost");
    }

    private static SignedRequest withBody(SignedRequest request, String body) {
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), request.headers(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static Reason reason(OciSignatureResult result) {
        assertThat(result).isInstanceOf(Failure.class);
        return ((Failure) result).reason();
    }

    @Test
    void theSdksGetVerifies() {
        SignedRequest get = requests.get("get");
        assertThat(OciTestSigner.header(get, "authorization")).contains("headers=\"x-date (request-target) host\"");
        assertThat(verifier.verify(get, true)).isEqualTo(new Success(KEY_ID, false));
    }

    @Test
    void theSdksGetFailsOnceItsQueryIsAltered() {
        SignedRequest get = requests.get("get");
        SignedRequest altered = new SignedRequest("GET", get.rawPath(), get.rawQuery().replace("limit=10", "limit=9"),
                get.headers(), null);
        assertThat(reason(verifier.verify(altered, true))).isEqualTo(Reason.SIGNATURE_MISMATCH);
    }

    @Test
    void theSdksPostVerifiesWithItsBodySigned() {
        SignedRequest post = requests.get("post");
        assertThat(OciTestSigner.header(post, "authorization")).contains("Content-Type Content-Length x-content-sha256");
        assertThat(verifier.verify(post, true)).isEqualTo(new Success(KEY_ID, true));
    }

    @Test
    void theSdksPostFailsOnceItsBodyIsAltered() {
        SignedRequest altered = withBody(requests.get("post"), "{\"partition\":\"1\",\"type\":\"TRIM_HORIZON\"}");
        assertThat(reason(verifier.verify(altered, true))).isEqualTo(Reason.BODY_HASH_MISMATCH);
        assertThat(reason(verifier.verify(altered, false))).isEqualTo(Reason.BODY_HASH_MISMATCH);
    }

    @Test
    void theSdksEmptyPostVerifies() {
        assertThat(verifier.verify(requests.get("emptyPost"), true)).isEqualTo(new Success(KEY_ID, true));
        assertThat(reason(verifier.verify(withBody(requests.get("emptyPost"), "{}"), true)))
                .isEqualTo(Reason.BODY_HASH_MISMATCH);
    }

    @Test
    void theSdksPutMessagesVerifiesOnlyWhereAnUnsignedBodyIsAllowed() {
        SignedRequest putMessages = requests.get("putMessages");
        assertThat(verifier.verify(putMessages, false)).isEqualTo(new Success(KEY_ID, false));
        assertThat(reason(verifier.verify(putMessages, true))).isEqualTo(Reason.BODY_NOT_SIGNED);
        // Its body is not covered: that is exactly why the API must opt in.
        assertThat(verifier.verify(withBody(putMessages, "{\"messages\":[]}"), false).isSuccess()).isTrue();
    }
}
