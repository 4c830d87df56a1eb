package io.github.edgestream.api.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.http.auth.OciSigningClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken OCI requests, signed (so they reach the API): valid bodies of every route cut, with characters changed,
 * inserted or swapped for other JSON, and cursors and paths mangled. Every answer is a 2xx or an OCI error (4xx with
 * {@code {"code","message"}}), never a 5xx, and a valid request still works after each one. The seed is fixed and
 * printed in every failure.
 */
class OciFuzzTest {

    private static final long SEED = 20261205L;
    private static final int ROUNDS = 400;
    private static final String[] JUNK = {"null", "[]", "{}", "\"\"", "-1", "1e999", "99999999999999999999999",
        "true", "\"\\u0000\"", "\"\u00e9\u20ac\ud83d\ude00\"", "[[[[[[[[[[]]]]]]]]]]", "\"" + "x".repeat(5000) + "\"",
        "{\"a\":{\"b\":{\"c\":{}}}}", "\"ocid1.stream.oc1.iad.aaaa\"", "\"TRIM_HORIZON\"", "0.5"};

    @TempDir
    static Path root;
    static OciFixture fixture;
    static OciSigningClient admin;
    static String streamId;
    static String cursor;

    @BeforeAll
    static void start() throws Exception {
        fixture = new OciFixture(root.resolve("store"), root.resolve("keys"));
        admin = new OciSigningClient(fixture.endpoint(), fixture.admin.keyId(), fixture.admin.pair().getPrivate());
        streamId = admin.post("/20180418/streams", "{\"name\":\"fuzzed\",\"partitions\":2,"
                + "\"compartmentId\":\"ocid1.compartment.oc1..fuzz\"}").json().get("id").asText();
        admin.post("/20180418/streams/" + streamId + "/messages",
                "{\"messages\":[{\"key\":\"aw==\",\"value\":\"dg==\"}]}");
        cursor = admin.post("/20180418/streams/" + streamId + "/cursors",
                "{\"partition\":\"0\",\"type\":\"TRIM_HORIZON\"}").json().get("value").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private record Route(String method, String path, String body) {
    }

    private static List<Route> routes() {
        String s = "/20180418/streams/" + streamId;
        return List.of(
                new Route("POST", "/20180418/streams", "{\"name\":\"n\",\"partitions\":1,\"compartmentId\":"
                        + "\"ocid1.compartment.oc1..fuzz\",\"retentionInHours\":24,\"freeformTags\":{\"a\":\"b\"},"
                        + "\"definedTags\":{\"ns\":{\"k\":\"v\"}}}"),
                new Route("PUT", s, "{\"freeformTags\":{\"a\":\"b\"},\"retentionInHours\":48}"),
                new Route("POST", s + "/messages", "{\"messages\":[{\"key\":\"aw==\",\"value\":\"dg==\"},"
                        + "{\"key\":null,\"value\":\"\"}]}"),
                new Route("POST", s + "/cursors", "{\"partition\":\"1\",\"type\":\"AT_OFFSET\",\"offset\":0}"),
                new Route("POST", s + "/groupCursors", "{\"groupName\":\"g\",\"instanceName\":\"i\",\"type\":"
                        + "\"AT_TIME\",\"time\":\"2026-12-05T10:00:00.000Z\",\"commitOnGet\":true,"
                        + "\"timeoutInMs\":1000}"),
                new Route("PUT", s + "/groups/g", "{\"type\":\"AT_TIME\",\"time\":\"2026-12-05T10:00:00Z\"}"),
                new Route("POST", "/20180418/streampools", "{\"compartmentId\":\"ocid1.compartment.oc1..fuzz\","
                        + "\"name\":\"p\",\"freeformTags\":{\"x\":\"y\"}}"));
    }

    private static String mutate(String body, Random random) {
        StringBuilder out = new StringBuilder(body);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(5)) {
                case 0 -> out.setLength(at);
                case 1 -> out.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 2 -> out.insert(at, JUNK[random.nextInt(JUNK.length)]);
                case 3 -> {
                    int colon = out.indexOf(":", at);
                    if (colon >= 0) {
                        int end = colon + 1;
                        while (end < out.length() && ",}]".indexOf(out.charAt(end)) < 0) {
                            end++;
                        }
                        out.replace(colon + 1, end, JUNK[random.nextInt(JUNK.length)]);
                    }
                }
                default -> out.deleteCharAt(at);
            }
        }
        return out.toString();
    }

    @Test
    void brokenRequestsGetOciErrorsAndTheApiServesOn() {
        Random random = new Random(SEED);
        List<Route> routes = routes();
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            OciSigningClient.Reply reply;
            String what;
            if (random.nextInt(4) == 0) {
                String mangled = mutate(cursor, random).replaceAll("[^A-Za-z0-9_\\-]", "");
                String target = "/20180418/streams/" + streamId + "/messages?limit=" + (random.nextInt(20000) - 5)
                        + "&cursor=" + mangled;
                what = "GET " + target;
                reply = admin.get(target);
            } else {
                Route route = routes.get(random.nextInt(routes.size()));
                String body = mutate(route.body(), random);
                what = route.method() + " " + route.path() + " " + body;
                reply = admin.send(route.method(), route.path(), body, !route.path().endsWith("/messages"),
                        java.time.Instant.now());
            }
            String seen = "seed " + SEED + " round " + round + ": " + what + " -> " + reply.status() + " "
                    + reply.response().body();
            assertThat(reply.status()).as(seen).isBetween(200, 499);
            statuses.merge(reply.status(), 1, Integer::sum);
            if (reply.status() >= 400) {
                assertThat(reply.code()).as(seen).isNotBlank();
                assertThat(reply.message()).as(seen).isNotBlank();
            }
        }
        assertThat(admin.get("/20180418/streams/" + streamId + "/messages?cursor=" + cursor).status())
                .as("a valid request after the fuzz").isEqualTo(200);
        assertThat(statuses).as("the mutations reach both the parsers' refusals and the operations")
                .containsKeys(200, 400);
        System.out.println("OciFuzzTest statuses: " + statuses);
    }
}
