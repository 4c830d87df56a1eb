package io.github.edgestream.api.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.StreamName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The ways around SigV4 a client might try, sent as raw HTTP/1.1 requests signed by the AWS SDK's own signer and
 * then changed: each is refused with the Kinesis error the SDKs know, and none of them appends a record.
 */
class KinesisAuthBypassTest {

    @TempDir
    static Path root;
    private static KinesisFixture fixture;
    private static final String STREAM = "sensor-bypass";

    @BeforeAll
    static void start() {
        fixture = new KinesisFixture(root);
        fixture.client(KinesisFixture.ClientMode.SYNC_JSON).createStream(r -> r.streamName(STREAM).shardCount(1));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static byte[] putRecord(String data) {
        String base64 = java.util.Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8));
        return ("{\"StreamName\":\"" + STREAM + "\",\"PartitionKey\":\"k\",\"Data\":\"" + base64 + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Headers of a PutRecord signed by the SDK's signer at {@code at} for {@code service}. */
    private static Map<String, String> signed(byte[] body, String keyId, String secret, Instant at, String service,
            String operation) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:" + fixture.server.port() + "/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Kinesis_20131202." + operation)
                .putHeader("Content-Length", Integer.toString(body.length)).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(keyId, secret))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> headers.put(name, String.join(",", values)));
        return headers;
    }

    private static Map<String, String> signed(byte[] body) {
        return signed(body, KinesisFixture.KEY_ID, KinesisFixture.SECRET, fixture.clock.instant(), "kinesis",
                "PutRecord");
    }

    private record Answer(int status, String body) {
        String type() {
            int at = body.indexOf("\"__type\":\"");
            return at < 0 ? "" : body.substring(at + 10, body.indexOf('"', at + 10));
        }
    }

    private static Answer send(Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
            headers.forEach((name, value) -> {
                if (!name.equalsIgnoreCase("content-length")) {
                    head.append(name).append(": ").append(value).append("\r\n");
                }
            });
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            return new Answer(status, response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    private static long records() {
        return fixture.store.get(StreamName.of(STREAM)).info().newestSequenceNumber() + 1;
    }

    @Test
    void aProperlySignedRequestIsServed() throws IOException {
        long before = records();
        byte[] body = putRecord("genuine");
        assertThat(send(signed(body), body).status()).isEqualTo(200);
        assertThat(records()).isEqualTo(before + 1);
    }

    @Test
    void everyBypassIsRefusedAndAppendsNothing() throws IOException {
        long before = records();
        byte[] body = putRecord("genuine");
        byte[] other = putRecord("forged!");
        assertThat(other).hasSameSizeAs(body);

        Map<String, String> unsigned = signed(body);
        unsigned.remove("Authorization");
        assertRefused(send(unsigned, body), 403, "MissingAuthenticationTokenException");

        Map<String, String> malformed = signed(body);
        malformed.put("Authorization", "AWS4-HMAC-SHA256 Credential=garbage");
        assertRefused(send(malformed, body), 400, "IncompleteSignatureException");

        Instant past = fixture.clock.instant().minus(Duration.ofMinutes(20));
        Answer expired = send(signed(body, KinesisFixture.KEY_ID, KinesisFixture.SECRET, past, "kinesis",
                "PutRecord"), body);
        assertRefused(expired, 400, "InvalidSignatureException");
        assertThat(expired.body()).contains("Signature expired");

        assertRefused(send(signed(body), other), 400, "InvalidSignatureException");
        Map<String, String> noBodyHash = signed(body);
        noBodyHash.remove("x-amz-content-sha256");
        assertRefused(send(noBodyHash, other), 400, "IncompleteSignatureException"); // a signed header is missing

        Map<String, String> retargeted = signed(body);
        retargeted.put("X-Amz-Target", "Kinesis_20131202.DeleteStream");
        assertRefused(send(retargeted, body), 400, "InvalidSignatureException");

        assertRefused(send(signed(body, KinesisFixture.KEY_ID, KinesisFixture.SECRET, fixture.clock.instant(), "s3",
                "PutRecord"), body), 400, "IncompleteSignatureException");
        assertRefused(send(signed(body, KinesisFixture.KEY_ID, "not-the-secret-0123456789",
                fixture.clock.instant(), "kinesis", "PutRecord"), body), 400, "InvalidSignatureException");
        assertRefused(send(signed(body, "edgestream", "not-the-daemon-token-0123",
                fixture.clock.instant(), "kinesis", "PutRecord"), body), 400, "InvalidSignatureException");
        assertRefused(send(signed(body, "AKIDNOBODY", "whatever-secret-0123456789",
                fixture.clock.instant(), "kinesis", "PutRecord"), body), 400, "UnrecognizedClientException");

        assertRefused(send(signed(body, KinesisFixture.READER_KEY_ID, KinesisFixture.READER_SECRET,
                fixture.clock.instant(), "kinesis", "PutRecord"), body), 400, "AccessDeniedException");

        assertThat(records()).as("nothing was appended").isEqualTo(before);
    }

    private static void assertRefused(Answer answer, int status, String type) {
        assertThat(answer.type()).as(answer.body()).isEqualTo(type);
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(List.of(answer.body())).noneMatch(b -> b.contains(KinesisFixture.SECRET));
    }
}
