package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ReductStore API in the running daemon, on by default: a token of the credentials file writes a labelled
 * record, the Greengrass protocol reads it from the bucket's namespace, and /metrics counts the API's requests.
 */
class ReductStoreApiDaemonTest {

    private static final String TOKEN = "reduct-line-token-0123456789abcdef";

    @TempDir
    Path root;

    private static HttpResponse<String> send(URI endpoint, String method, String path, String body)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN)
                .header("x-reduct-label-kind", "temperature")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCredentialsFileTokenWritesAndGreengrassReadsTheBucketsNamespace() throws Exception {
        Path credentials = root.resolve("credentials.yaml");
        Files.writeString(credentials, """
                credentials:
                  - name: line
                    token: "%s"
                    scopes:
                      - namespaces: ["reduct.line-*"]
                        streams: ["*"]
                        permissions: [admin]
                """.formatted(TOKEN));
        String daemonToken = "token-" + UUID.randomUUID();
        try (Daemon daemon = TestDaemons.start(root.resolve("edgestream.yaml"), root.resolve("data"), credentials,
                daemonToken, "");
                StreamManagerClient gg = new StreamManagerClient(ClientSettings.defaults().withPort(daemon.port())
                        .withAuthToken(daemonToken))) {
            URI endpoint = URI.create("http://127.0.0.1:" + daemon.httpPort().orElseThrow() + "/");
            HttpResponse<String> info = send(endpoint, "GET", "api/v1/info", null);
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(info.headers().firstValue("x-reduct-api")).hasValue("1.20");
            assertThat(send(endpoint, "POST", "api/v1/b/line-1", "{\"quota_type\":\"FIFO\",\"quota_size\":1000000}")
                    .statusCode()).isEqualTo(200);
            assertThat(send(endpoint, "POST", "api/v1/b/line-1/temp?ts=1700000000000000", "21.5").statusCode())
                    .isEqualTo(200);
            assertThat(send(endpoint, "POST", "api/v1/b/other/temp?ts=1", "x").statusCode())
                    .as("outside the token's buckets").isEqualTo(403);

            List<Message> read = gg.extensions("reduct.line-1").readRecords("temp", 0, 1, 1, Duration.ZERO, null)
                    .get(10, TimeUnit.SECONDS);
            assertThat(new String(read.get(0).payload(), StandardCharsets.UTF_8)).isEqualTo("21.5");
            assertThat(read.get(0).timestampMicros()).isEqualTo(1_700_000_000_000_000L);

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + daemon.observabilityPort().orElseThrow() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(ObservabilityTest.metric(metrics, "edgestream_requests_seconds_count", "api=\"reductstore\"",
                    "operation=\"WriteRecord\"", "status=\"200\"")).isEqualTo(1);
        }
    }
}
