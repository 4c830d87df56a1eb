package io.github.edgestream.api.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.api.kinesis.KinesisFixture.ClientMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Broken bodies, properly signed so that they reach the decoders: valid requests of every operation in JSON and
 * CBOR, mutated (bytes flipped, cut short, values swapped for other types, numbers made huge, nesting made deep,
 * junk appended), fixed seeds. Every one is answered with a client error in Kinesis's shape, never an internal
 * error, and afterwards the official client is served as before.
 */
class KinesisFuzzTest {

    private static final int ROUNDS = 600;

    @TempDir
    static Path root;
    private static KinesisFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new KinesisFixture(root);
        KinesisClient kinesis = fixture.client(ClientMode.SYNC_JSON);
        kinesis.createStream(r -> r.streamName("fuzz").shardCount(2));
        kinesis.putRecord(r -> r.streamName("fuzz").partitionKey("k").data(SdkBytes.fromUtf8String("seed")));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** Valid JSON bodies by operation. */
    private static Map<String, String> validBodies() {
        String data = Base64.getEncoder().encodeToString("hello fuzz".getBytes(StandardCharsets.UTF_8));
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("PutRecord", "{\"StreamName\":\"fuzz\",\"PartitionKey\":\"pk\",\"Data\":\"" + data + "\"}");
        bodies.put("PutRecords", "{\"StreamName\":\"fuzz\",\"Records\":[{\"PartitionKey\":\"a\",\"Data\":\"" + data
                + "\"},{\"PartitionKey\":\"b\",\"ExplicitHashKey\":\"12\",\"Data\":\"" + data + "\"}]}");
        bodies.put("GetShardIterator", "{\"StreamName\":\"fuzz\",\"ShardId\":\"shardId-000000000001\","
                + "\"ShardIteratorType\":\"AT_TIMESTAMP\",\"Timestamp\":1.5E9}");
        bodies.put("DescribeStream", "{\"StreamName\":\"fuzz\",\"Limit\":1,\"ExclusiveStartShardId\":\"shardId-0\"}");
        bodies.put("ListShards", "{\"StreamName\":\"fuzz\",\"MaxResults\":1,\"ShardFilter\":{\"Type\":"
                + "\"AFTER_SHARD_ID\",\"ShardId\":\"shardId-000000000000\"}}");
        bodies.put("ListStreams", "{\"Limit\":2,\"ExclusiveStartStreamName\":\"a\"}");
        bodies.put("AddTagsToStream", "{\"StreamName\":\"fuzz\",\"Tags\":{\"k\":\"v\"}}");
        bodies.put("IncreaseStreamRetentionPeriod", "{\"StreamName\":\"fuzz\",\"RetentionPeriodHours\":30}");
        bodies.put("CreateStream", "{\"StreamName\":\"fuzz-new\",\"ShardCount\":1,\"StreamModeDetails\":"
                + "{\"StreamMode\":\"PROVISIONED\"}}");
        bodies.put("GetRecords", "{\"ShardIterator\":\"AAAA\",\"Limit\":5}");
        return bodies;
    }

    private static byte[] mutate(byte[] body, SplittableRandom random) {
        byte[] out = body.clone();
        switch (random.nextInt(7)) {
            case 0 -> { // flip a few bytes
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length)); // cut short
            case 2 -> { // a string value becomes a number, an object or null
                String text = new String(out, StandardCharsets.UTF_8);
                String[] swaps = {"12345678901234567890123456789", "{}", "null", "[1,2]", "true", "-1", "1e999"};
                out = text.replaceFirst("\"[A-Za-z0-9=+/._-]*\"(?=[,}])", swaps[random.nextInt(swaps.length)])
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> { // deep nesting
                int depth = 10 + random.nextInt(200);
                out = ("{\"StreamName\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> { // junk after the document
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                byte[] joined = java.util.Arrays.copyOf(out, out.length + junk.length);
                System.arraycopy(junk, 0, joined, out.length, junk.length);
                out = joined;
            }
            case 5 -> { // random bytes of the same length
                random.nextBytes(out);
            }
            default -> { // huge numbers everywhere
                out = new String(out, StandardCharsets.UTF_8).replaceAll("\\b\\d+\\b", "9".repeat(
                        1 + random.nextInt(80))).getBytes(StandardCharsets.UTF_8);
            }
        }
        return out;
    }

    private static byte[] toCbor(String json) throws IOException {
        var mapper = new com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper();
        return mapper.writeValueAsBytes(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
    }

    @Test
    void brokenBodiesGetClientErrorsAndTheServerKeepsServing() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        List<Map.Entry<String, String>> bodies = new ArrayList<>(validBodies().entrySet());
        int clientErrors = 0;
        int served = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Map.Entry<String, String> valid = bodies.get(random.nextInt(bodies.size()));
            boolean cbor = random.nextBoolean();
            byte[] body = cbor ? toCbor(valid.getValue()) : valid.getValue().getBytes(StandardCharsets.UTF_8);
            byte[] broken = mutate(body, random);
            Answer answer = send(valid.getKey(), cbor, broken);
            assertThat(answer.status()).as("round %d, %s %s: %s", round, valid.getKey(), cbor ? "CBOR" : "JSON",
                    answer.body()).isLessThan(500);
            if (answer.status() >= 400) {
                assertThat(answer.body()).as("round %d: an error in Kinesis's shape", round).contains("__type");
                clientErrors++;
            } else {
                served++;
            }
        }
        assertThat(clientErrors).as("most broken bodies are refused").isGreaterThan(ROUNDS / 2);
        System.out.printf("fuzz: %d refused, %d still valid and served%n", clientErrors, served);

        KinesisClient kinesis = fixture.client(ClientMode.SYNC_CBOR);
        kinesis.putRecord(r -> r.streamName("fuzz").partitionKey("after").data(SdkBytes.fromUtf8String("ok")));
        assertThat(kinesis.describeStreamSummary(r -> r.streamName("fuzz")).streamDescriptionSummary()
                .streamName()).isEqualTo("fuzz");
    }

    private record Answer(int status, String body) {
    }

    private static Answer send(String operation, boolean cbor, byte[] body) throws IOException {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:" + fixture.server.port() + "/"))
                .putHeader("Content-Type", cbor ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Kinesis_20131202." + operation)
                .putHeader("Content-Length", Integer.toString(body.length)).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(KinesisFixture.KEY_ID, KinesisFixture.SECRET))
                .request(request).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kinesis")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(fixture.clock.instant(), ZoneOffset.UTC)))
                .request();
        try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
            signed.forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("content-length")) {
                    head.append(name).append(": ").append(String.join(",", values)).append("\r\n");
                }
            });
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (InputStream in = socket.getInputStream()) {
                in.transferTo(all);
            }
            String response = all.toString(StandardCharsets.ISO_8859_1);
            return new Answer(Integer.parseInt(response.substring(9, 12)),
                    response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }
}
