package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.http.auth.OciSigningClient;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI Streaming API in the running daemon: keys from the credentials file (an {@code ociKeyId} with its PEM),
 * streams shared with the Greengrass protocol both ways, and a consumer group's lag per partition and the API's
 * requests in {@code /metrics}.
 */
class OciApiDaemonTest {

    private static final String ADMIN_KEY = "ocid1.tenancy.oc1..plant/ocid1.user.oc1..ops/aa:bb:cc";
    private static final String READER_KEY = "ocid1.tenancy.oc1..plant/ocid1.user.oc1..dashboard/dd:ee:ff";
    private static final String COMPARTMENT = "ocid1.compartment.oc1..plant";

    @TempDir
    Path root;

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private Path publicPem(String name, KeyPair pair) throws Exception {
        Path pem = root.resolve("keys").resolve(name + ".pem");
        Files.createDirectories(pem.getParent());
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        return pem;
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    }

    @Test
    void ociAndGreengrassShareStreamsAndGroupLagIsMeasured() throws Exception {
        KeyPair ops = rsa();
        KeyPair dashboard = rsa();
        publicPem("ops", ops);
        publicPem("dashboard", dashboard);
        Path credentials = root.resolve("credentials.yaml");
        Files.writeString(credentials, """
                credentials:
                  - name: ops
                    ociKeyId: "%s"
                    ociPublicKeyFile: keys/ops.pem
                    scopes:
                      - namespaces: ["*"]
                        streams: ["*"]
                        permissions: [admin]
                  - name: dashboard
                    ociKeyId: "%s"
                    ociPublicKeyFile: keys/dashboard.pem
                    scopes:
                      - namespaces: [default]
                        streams: ["plant-*"]
                        permissions: [read]
                """.formatted(ADMIN_KEY, READER_KEY));
        String token = "token-" + UUID.randomUUID();
        try (Daemon daemon = TestDaemons.start(root.resolve("edgestream.yaml"), root.resolve("data"), credentials,
                token, "api:\n  oci:\n    compartmentId: " + COMPARTMENT + "\n");
                StreamManagerClient gg = new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port())
                        .withAuthToken(token))) {
            URI endpoint = URI.create("http://127.0.0.1:" + daemon.httpPort().orElseThrow());
            OciSigningClient oci = new OciSigningClient(endpoint, ADMIN_KEY, ops.getPrivate());
            OciSigningClient reader = new OciSigningClient(endpoint, READER_KEY, dashboard.getPrivate());

            // Greengrass writes, OCI lists and reads: a Greengrass stream is a one-partition stream of the default pool
            gg.createMessageStream(StreamDefinition.builder("plant-events", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                    .build()).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                gg.appendMessage("plant-events", ("gg-" + i).getBytes(StandardCharsets.UTF_8)).get(10,
                        TimeUnit.SECONDS);
            }
            JsonNode listed = reader.get("/20180418/streams?compartmentId=" + COMPARTMENT + "&name=plant-events")
                    .json();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("partitions").asInt()).isEqualTo(1);
            assertThat(listed.get(0).get("messagesEndpoint").asText()).isEqualTo(endpoint.toString());
            String eventsId = listed.get(0).get("id").asText();
            String cursor = reader.post("/20180418/streams/" + eventsId + "/cursors",
                    "{\"partition\":\"0\",\"type\":\"TRIM_HORIZON\"}").json().get("value").asText();
            List<String> read = new ArrayList<>();
            reader.get("/20180418/streams/" + eventsId + "/messages?cursor=" + cursor).json()
                    .forEach(m -> read.add(text(m.get("value"))));
            assertThat(read).containsExactly("gg-0", "gg-1", "gg-2");

            // OCI creates and writes, Greengrass lists and reads
            OciSigningClient.Reply created = oci.post("/20180418/streams", "{\"name\":\"plant-orders\","
                    + "\"partitions\":3,\"compartmentId\":\"" + COMPARTMENT + "\"}");
            assertThat(created.status()).as(created.message()).isEqualTo(200);
            String ordersId = created.json().get("id").asText();
            StringBuilder messages = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < 9; i++) {
                messages.append(i == 0 ? "" : ",").append("{\"key\":\"").append(b64("k" + i)).append(
                        "\",\"value\":\"").append(b64("order-" + i)).append("\"}");
            }
            assertThat(oci.post("/20180418/streams/" + ordersId + "/messages", messages + "]}").json()
                    .get("failures").asInt()).isZero();
            assertThat(gg.listStreams().get(10, TimeUnit.SECONDS)).contains("plant-orders", "plant-events");
            assertThat(reader.post("/20180418/streams/" + ordersId + "/messages", "{\"messages\":[{\"value\":\""
                    + b64("x") + "\"}]}").code()).as("the dashboard key may not write")
                    .isEqualTo("NotAuthorizedOrNotFound");

            // a group reads everything and commits: no lag; two more messages: a lag of two
            String group = oci.post("/20180418/streams/" + ordersId + "/groupCursors", "{\"groupName\":\"billing\","
                    + "\"instanceName\":\"b1\",\"type\":\"TRIM_HORIZON\",\"commitOnGet\":false}").json().get("value")
                    .asText();
            OciSigningClient.Reply batch = oci.get("/20180418/streams/" + ordersId + "/messages?limit=100&cursor="
                    + group);
            assertThat(batch.json()).hasSize(9);
            assertThat(oci.post("/20180418/streams/" + ordersId + "/commit?cursor=" + batch.header("opc-next-cursor"),
                    "").status()).isEqualTo(200);
            assertThat(groupLag(daemon)).isZero();
            oci.post("/20180418/streams/" + ordersId + "/messages", "{\"messages\":[{\"value\":\"" + b64("a")
                    + "\"},{\"value\":\"" + b64("b") + "\"}]}");
            assertThat(groupLag(daemon)).isEqualTo(2);

            String metrics = metrics(daemon);
            assertThat(ObservabilityTest.metric(metrics, "edgestream_requests_seconds_count", "api=\"oci\"",
                    "operation=\"PutMessages\"", "status=\"200\"")).isEqualTo(2);
            assertThat(ObservabilityTest.metric(metrics, "edgestream_requests_seconds_count", "api=\"oci\"",
                    "operation=\"PutMessages\"", "status=\"404\"")).isEqualTo(1);
        }
    }

    /** The group's lag summed over the partitions, once /metrics shows all three. */
    private static double groupLag(Daemon daemon) throws Exception {
        String metrics = metrics(daemon);
        double sum = 0;
        for (int p = 0; p < 3; p++) {
            sum += ObservabilityTest.metric(metrics, "edgestream_group_lag_messages", "stream=\"plant-orders\"",
                    "group=\"billing\"", "partition=\"" + p + "\"");
        }
        return sum;
    }

    private static String metrics(Daemon daemon) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + daemon.observabilityPort().orElseThrow() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
