package io.github.edgestream.api.reductstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken ReductStore requests with a valid token: bodies cut and mangled, batch headers with lying lengths, bad
 * timestamps and labels, queries with broken JSON and conditions, unknown paths. Every answer is a 2xx or a 4xx with
 * {@code x-reduct-error}, always with {@code x-reduct-api}, never a 5xx; the API serves on. Fixed seed, printed in
 * every failure.
 */
class ReductFuzzTest {

    private static final long SEED = 1505L;
    private static final int ROUNDS = 400;
    private static final String[] JUNK = {"", "-1", "99999999999999999999", "x", "\u00e9", ",,,", "\"", "=", "0,",
        "{", "[]", "null", "%zz", "1,text/plain,a=\"b,c", "18446744073709551616", "  ", "$bogus"};

    @TempDir
    static Path root;
    static ReductFixture fixture;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        fixture = new ReductFixture(root);
        send("POST", "/api/v1/b/fuzz", "{}", Map.of());
        send("POST", "/api/v1/b/fuzz/e?ts=1000", "seed", Map.of("x-reduct-label-k", "v"));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    static HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.endpoint() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + ReductFixture.ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String junk(Random random) {
        return JUNK[random.nextInt(JUNK.length)];
    }

    /** Junk fit for a query string (encoded). */
    private static String q(Random random) {
        return java.net.URLEncoder.encode(junk(random), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Junk fit for a header value (ASCII: the client refuses the rest). */
    private static String h(Random random) {
        return junk(random).replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Test
    void brokenRequestsGetReductErrorsAndTheApiServesOn() throws Exception {
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        long ts = 2000;
        for (int round = 0; round < ROUNDS; round++) {
            String method;
            String path;
            String body = null;
            Map<String, String> headers = new TreeMap<>();
            switch (random.nextInt(7)) {
                case 0 -> {
                    method = "POST";
                    path = "/api/v1/b/fuzz/e?ts=" + (random.nextBoolean() ? Long.toString(ts++) : q(random));
                    body = "data";
                    headers.put("x-reduct-label-" + (random.nextBoolean() ? "ok" : "b.d"), h(random));
                }
                case 1 -> {
                    method = "POST";
                    path = "/api/v1/b/fuzz/e/batch";
                    body = "abcdef";
                    headers.put("x-reduct-time-" + (random.nextBoolean() ? Long.toString(ts++) : "x"),
                            random.nextInt(10) + "," + h(random));
                }
                case 2 -> {
                    method = "POST";
                    path = "/api/v1/io/fuzz/q";
                    body = "{\"start\":" + junk(random) + ",\"query_type\":\"QUERY\",\"entries\":[\"e\"],"
                            + "\"when\":{\"&k\":{\"" + junk(random) + "\":" + junk(random) + "}}}";
                }
                case 3 -> {
                    method = random.nextBoolean() ? "GET" : "HEAD";
                    path = "/api/v1/io/fuzz/read";
                    headers.put("x-reduct-query-id", h(random));
                }
                case 4 -> {
                    method = "POST";
                    path = "/api/v1/io/fuzz/write";
                    body = "xyz";
                    headers.put("x-reduct-entries", random.nextBoolean() ? "e" : h(random));
                    headers.put("x-reduct-start-ts", random.nextBoolean() ? Long.toString(ts++) : h(random));
                    headers.put("x-reduct-0-0", random.nextInt(5) + "," + h(random) + "," + h(random));
                }
                case 5 -> {
                    method = random.nextBoolean() ? "PUT" : "POST";
                    path = "/api/v1/b/" + (random.nextBoolean() ? "fuzz" : "f" + round);
                    body = "{\"quota_type\":" + junk(random) + ",\"quota_size\":" + junk(random) + "}";
                }
                default -> {
                    method = List.of("GET", "PATCH", "DELETE", "OPTIONS").get(random.nextInt(4));
                    path = "/api/v1/" + List.of("b/fuzz/e?ts=" + q(random), "b/fuzz/e/batch", "nowhere",
                            "b/fuzz/e/q").get(random.nextInt(4));
                    headers.put("x-reduct-label-k", h(random));
                }
            }
            HttpResponse<String> reply = send(method, path, body, headers);
            String seen = "seed " + SEED + " round " + round + ": " + method + " " + path + " " + headers + " "
                    + body + " -> " + reply.statusCode() + " " + reply.headers().map();
            assertThat(reply.statusCode()).as(seen).isBetween(200, 499);
            assertThat(reply.headers().firstValue("x-reduct-api")).as(seen).hasValue(ReductResponses.API_VERSION);
            if (reply.statusCode() >= 400) {
                assertThat(reply.headers().firstValue("x-reduct-error")).as(seen).isPresent();
            }
            statuses.merge(reply.statusCode(), 1, Integer::sum);
        }
        assertThat(send("GET", "/api/v1/b/fuzz/e?ts=1000", null, Map.of()).body()).as("the API serves on")
                .isEqualTo("seed");
        assertThat(statuses).as("the mutations reach the parsers' refusals and the operations").containsKeys(200, 422);
        System.out.println("ReductFuzzTest statuses: " + statuses);
    }
}
