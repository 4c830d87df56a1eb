package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S2 API in the running daemon: the daemon's token and a credentials-file token authenticate; an access token
 * issued through the API is kept (hashed) in the store directory and still works after a restart, until revoked;
 * basins and their streams and records survive the restart; metrics count S2 requests by operation.
 */
class S2ApiDaemonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private Daemon start(String token) throws Exception {
        Path credentials = root.resolve("credentials.yaml");
        Files.writeString(credentials, """
                credentials:
                  - name: line-reader
                    token: "reader-token-0123456789abcdef"
                    scopes:
                      - namespaces: ["s2.*"]
                        streams: ["line-*"]
                        permissions: [read]
                """);
        return TestDaemons.start(root.resolve("edgestream.yaml"), root.resolve("data"), credentials, token, "");
    }

    private static HttpResponse<String> call(Daemon daemon, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + daemon.httpPort().orElseThrow() + path)).header("s2-basin", "plant-a-lines")
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensBasinsAndRecordsSurviveARestart() throws Exception {
        String daemonToken = "token-" + UUID.randomUUID();
        String issued;
        try (Daemon daemon = start(daemonToken)) {
            assertThat(call(daemon, "POST", "/v1/basins", daemonToken, "{\"basin\":\"plant-a-lines\"}").statusCode())
                    .isEqualTo(201);
            assertThat(call(daemon, "POST", "/v1/streams", daemonToken, "{\"stream\":\"line-1/events\"}")
                    .statusCode()).isEqualTo(201);
            HttpResponse<String> token = call(daemon, "POST", "/v1/access-tokens", daemonToken, """
                    {"id":"line-1-producer","scope":{"basins":{"exact":"plant-a-lines"},
                     "streams":{"exact":"line-1/events"},"ops":["append"]}}""");
            assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
            issued = JSON.readTree(token.body()).path("access_token").asText();
            HttpResponse<String> ack = call(daemon, "POST", "/v1/streams/line-1%2Fevents/records", issued,
                    "{\"records\":[{\"body\":\"one\"},{\"body\":\"two\"}],\"match_seq_num\":0}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            assertThat(call(daemon, "GET", "/v1/streams/line-1%2Fevents/records?seq_num=0", issued, null)
                    .statusCode()).as("the token may only append").isEqualTo(403);
            assertThat(call(daemon, "GET", "/v1/basins", null, null).statusCode()).isEqualTo(401);

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + daemon.observabilityPort().orElseThrow() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(ObservabilityTest.metric(metrics, "edgestream_requests_seconds_count", "api=\"s2\"",
                    "operation=\"append\"", "status=\"200\"")).isEqualTo(1);
            assertThat(ObservabilityTest.metric(metrics, "edgestream_requests_seconds_count", "api=\"s2\"",
                    "operation=\"read\"", "status=\"403\"")).isEqualTo(1);
        }
        String tokensFile = Files.readString(root.resolve("data").resolve("issued-tokens.json"));
        assertThat(tokensFile).contains("line-1-producer").doesNotContain(issued);

        try (Daemon daemon = start(daemonToken)) {
            HttpResponse<String> again = call(daemon, "POST", "/v1/streams/line-1%2Fevents/records", issued,
                    "{\"records\":[{\"body\":\"three\"}],\"match_seq_num\":2}");
            assertThat(again.statusCode()).as("the issued token after a restart: %s", again.body()).isEqualTo(200);
            HttpResponse<String> read = call(daemon, "GET", "/v1/streams/line-1%2Fevents/records?seq_num=0",
                    "reader-token-0123456789abcdef", null);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            JsonNode records = JSON.readTree(read.body()).path("records");
            assertThat(records).extracting(r -> r.path("body").asText()).containsExactly("one", "two", "three");

            assertThat(call(daemon, "DELETE", "/v1/access-tokens/line-1-producer", daemonToken, null).statusCode())
                    .isEqualTo(204);
            assertThat(call(daemon, "POST", "/v1/streams/line-1%2Fevents/records", issued,
                    "{\"records\":[{\"body\":\"four\"}]}").statusCode()).as("revoked").isEqualTo(401);
        }
    }
}
