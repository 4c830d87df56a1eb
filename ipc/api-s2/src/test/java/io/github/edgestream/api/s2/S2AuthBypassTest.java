package io.github.edgestream.api.s2;

import static io.github.edgestream.api.s2.S2RawHttp.assertS2Error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.api.s2.S2RawHttp.Answer;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Scope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ways around the S2 API's Bearer tokens and scopes a client might try, as raw HTTP/1.1 requests (and S2S
 * sessions over h2c): no token, an empty or malformed one, two Authorization headers, a token one character off,
 * the reader token (READ on {@code sensor-*}) doing what it may not, path tricks (encoded names, {@code ..}, a
 * {@code /{basin}/v1} path contradicted by {@code s2-basin}), an issued append-only token stepping outside its scope,
 * expired and revoked tokens. Each is refused with 401 {@code authn} or 403 {@code permission_denied} (or, for a name
 * that is no name, the 4xx it deserves) in S2's shape, and none leaves a trace: no basin, stream or token created,
 * nothing appended, nothing deleted or reconfigured.
 */
class S2AuthBypassTest {

    private static final String ADMIN = S2Fixture.ADMIN_TOKEN;
    private static final String READER = S2Fixture.READER_TOKEN;
    private static final String B = "bypass-basin";
    private static final String C = "other-basin";
    private static final String SECRET = "secret-of-other";

    @TempDir
    static Path root;
    private static S2Fixture fixture;
    private static S2RawHttp http;
    /** Issued by the admin: may only append to stream {@code a} of basin B. */
    private static String appendOnly;

    @BeforeAll
    static void start() {
        fixture = new S2Fixture(root);
        http = new S2RawHttp(fixture.server.port());
        for (String basin : List.of(B, C)) {
            assertThat(http.send("POST", "/v1/basins", ADMIN, Map.of(), "{\"basin\":\"" + basin + "\"}").status())
                    .isEqualTo(201);
        }
        for (String[] stream : List.of(new String[] {B, "a"}, new String[] {B, "b"}, new String[] {B, "sensor-a"},
                new String[] {B, "other"}, new String[] {C, "a"}, new String[] {C, "sensor-a"})) {
            assertThat(http.send("POST", "/v1/streams", ADMIN, Map.of("s2-basin", stream[0]),
                    "{\"stream\":\"" + stream[1] + "\"}").status()).isEqualTo(201);
            String body = stream[1].equals("other") ? SECRET : "seed-" + stream[0] + "-" + stream[1];
            assertThat(append(ADMIN, stream[0], stream[1], body).status()).isEqualTo(200);
        }
        Answer issued = http.send("POST", "/v1/access-tokens", ADMIN, Map.of(), "{\"id\":\"append-only\",\"scope\":"
                + "{\"basins\":{\"exact\":\"" + B + "\"},\"streams\":{\"exact\":\"a\"},\"ops\":[\"append\"]}}");
        assertThat(issued.status()).as("%s", issued).isEqualTo(201);
        appendOnly = issued.json().path("access_token").asText();
        assertThat(appendOnly).isNotBlank();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static Answer append(String token, String basin, String stream, String body) {
        return http.send("POST", "/v1/streams/" + stream + "/records", token, Map.of("s2-basin", basin),
                "{\"records\":[{\"body\":\"" + body + "\"}]}");
    }

    private static List<String[]> headers(String... pairs) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.add(new String[] {pairs[i], pairs[i + 1]});
        }
        return out;
    }

    private static final String APPEND_BODY = "{\"records\":[{\"body\":\"forged\"}]}";

    /** Everything a request could leave behind, as the admin sees it: basins, streams and tails, tokens. */
    private static Map<String, Object> state() {
        Map<String, Object> state = new TreeMap<>();
        Answer basins = http.send("GET", "/v1/basins", ADMIN, Map.of(), (byte[]) null);
        assertThat(basins.status()).isEqualTo(200);
        for (JsonNode basin : basins.json().path("basins")) {
            String name = basin.path("name").asText();
            Answer config = http.send("GET", "/v1/basins/" + name, ADMIN, Map.of(), (byte[]) null);
            state.put("basin " + name, config.body());
            Answer streams = http.send("GET", "/v1/streams", ADMIN, Map.of("s2-basin", name), (byte[]) null);
            for (JsonNode stream : streams.json().path("streams")) {
                String s = stream.path("name").asText();
                String encoded = java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
                Answer tail = http.send("GET", "/v1/streams/" + encoded + "/records/tail", ADMIN,
                        Map.of("s2-basin", name), (byte[]) null);
                Answer config2 = http.send("GET", "/v1/streams/" + encoded, ADMIN, Map.of("s2-basin", name),
                        (byte[]) null);
                state.put("stream " + name + "/" + s, tail.body() + " " + config2.body());
            }
        }
        state.put("tokens", http.send("GET", "/v1/access-tokens", ADMIN, Map.of(), (byte[]) null).body());
        return state;
    }

    /** A refusal: the status and code, S2's shape, nothing of other streams in it. */
    private static void assertRefused(Answer answer, int status, String code, String what) {
        assertS2Error(answer, status, code, what);
        assertThat(answer.body()).as(what).doesNotContain(SECRET).doesNotContain(ADMIN)
                .doesNotContain(appendOnly);
    }

    // ------------------------------------------------------------------------------------------------ authn

    @Test
    void requestsWithoutAValidTokenAreUnauthenticated() {
        Map<String, Object> before = state();
        String target = "/v1/streams/a/records";
        String oneOff = ADMIN.substring(0, ADMIN.length() - 1) + (ADMIN.endsWith("f") ? "e" : "f");
        String firstOff = (ADMIN.charAt(0) == 's' ? "t" : "s") + ADMIN.substring(1);
        String caseOff = ADMIN.substring(0, 3) + Character.toUpperCase(ADMIN.charAt(3)) + ADMIN.substring(4);
        String daemonOff = S2Fixture.DAEMON_TOKEN.substring(0, 5) + "X" + S2Fixture.DAEMON_TOKEN.substring(6);
        String issuedOff = appendOnly.substring(0, appendOnly.length() - 2) + (appendOnly.endsWith("A") ? "BB" : "AA");
        Map<String, List<String[]>> attempts = new LinkedHashMap<>();
        attempts.put("no Authorization", headers());
        attempts.put("Bearer and nothing", headers("Authorization", "Bearer "));
        attempts.put("Bearer without a space", headers("Authorization", "Bearer"));
        attempts.put("Bearer glued to the token", headers("Authorization", "Bearer" + ADMIN));
        attempts.put("Bearer, tab, token", headers("Authorization", "Bearer\t" + ADMIN));
        attempts.put("lowercase bearer, wrong token", headers("Authorization", "bearer " + oneOff));
        attempts.put("Basic with the token", headers("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN).getBytes(StandardCharsets.UTF_8))));
        attempts.put("the token without a scheme", headers("Authorization", ADMIN));
        attempts.put("two Authorization headers, both admin", headers("Authorization", "Bearer " + ADMIN,
                "Authorization", "Bearer " + ADMIN));
        attempts.put("two Authorization headers, reader then admin", headers("Authorization", "Bearer " + READER,
                "Authorization", "Bearer " + ADMIN));
        attempts.put("two Authorization headers, garbage then admin", headers("Authorization", "Bearer x",
                "Authorization", "Bearer " + ADMIN));
        attempts.put("the last character off", headers("Authorization", "Bearer " + oneOff));
        attempts.put("the first character off", headers("Authorization", "Bearer " + firstOff));
        attempts.put("one character's case off", headers("Authorization", "Bearer " + caseOff));
        attempts.put("one character short", headers("Authorization", "Bearer " + ADMIN.substring(1)));
        attempts.put("one character more", headers("Authorization", "Bearer " + ADMIN + "0"));
        attempts.put("the token twice", headers("Authorization", "Bearer " + ADMIN + ADMIN));
        attempts.put("the token and more words", headers("Authorization", "Bearer " + ADMIN + " extra"));
        attempts.put("the daemon token one character off", headers("Authorization", "Bearer " + daemonOff));
        attempts.put("an issued token one character off", headers("Authorization", "Bearer " + issuedOff));
        attempts.put("an issued token's id", headers("Authorization", "Bearer append-only"));
        attempts.put("a token in another header", headers("X-Api-Key", ADMIN, "s2-access-token", ADMIN));
        attempts.put("a very long token", headers("Authorization", "Bearer " + "t".repeat(5000)));
        for (Map.Entry<String, List<String[]>> attempt : attempts.entrySet()) {
            List<String[]> list = new ArrayList<>(attempt.getValue());
            list.add(new String[] {"s2-basin", B});
            assertRefused(http.send("POST", target, list, APPEND_BODY.getBytes(StandardCharsets.UTF_8)), 401,
                    "authn", "append, " + attempt.getKey());
            assertRefused(http.send("GET", target + "?seq_num=0", list, null), 401, "authn",
                    "read, " + attempt.getKey());
            assertRefused(http.send("POST", "/v1/streams", list, "{\"stream\":\"made-by-nobody\"}"
                    .getBytes(StandardCharsets.UTF_8)), 401, "authn", "create stream, " + attempt.getKey());
            assertRefused(http.send("POST", "/v1/access-tokens", list, ("{\"id\":\"by-nobody\",\"scope\":{\"basins\":"
                    + "{\"prefix\":\"\"},\"streams\":{\"prefix\":\"\"},\"ops\":[\"append\"]}}")
                    .getBytes(StandardCharsets.UTF_8)), 401, "authn", "issue token, " + attempt.getKey());
        }
        assertThat(state()).as("no trace").isEqualTo(before);
    }

    @Test
    void theSchemeIsCaseInsensitiveButTheScopeStillApplies() {
        // RFC 7235 section 2.1: the scheme is case-insensitive, so "bearer" with a valid token authenticates ...
        Map<String, Object> before = state();
        Answer reader = http.send("GET", "/v1/streams/sensor-a/records?seq_num=0", headers("Authorization",
                "bearer " + READER, "s2-basin", B), null);
        assertThat(reader.status()).as("%s", reader).isEqualTo(200);
        // ... as exactly that token: no more
        assertRefused(http.send("POST", "/v1/streams/sensor-a/records", headers("Authorization", "bEARER " + READER,
                "s2-basin", B), APPEND_BODY.getBytes(StandardCharsets.UTF_8)), 403, "permission_denied",
                "reader appends with a lowercase scheme");
        assertThat(state()).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------------------------ reader

    @Test
    void theReaderTokenMayOnlyReadSensorStreams() {
        Map<String, Object> before = state();
        Map<String, String> inB = Map.of("s2-basin", B);
        // what it may do
        assertThat(http.send("GET", "/v1/streams/sensor-a/records?seq_num=0", READER, inB, (byte[]) null).status())
                .isEqualTo(200);
        assertThat(http.send("GET", "/v1/streams/sensor-a/records?seq_num=0", READER, Map.of("s2-basin", C),
                (byte[]) null).status()).isEqualTo(200);

        record Attempt(String what, String method, String target, Map<String, String> headers, String body) {
        }
        String pb = "application/protobuf";
        List<Attempt> attempts = List.of(
                new Attempt("append JSON", "POST", "/v1/streams/sensor-a/records", inB, APPEND_BODY),
                new Attempt("append protobuf", "POST", "/v1/streams/sensor-a/records", Map.of("s2-basin", B,
                        "content-type", pb), new String(protobufAppend(), StandardCharsets.ISO_8859_1)),
                new Attempt("append, auto-creating by s2-stream-config", "POST", "/v1/streams/sensor-new/records",
                        Map.of("s2-basin", B, "s2-stream-config", "{}"), APPEND_BODY),
                new Attempt("create stream", "POST", "/v1/streams", inB, "{\"stream\":\"sensor-new\"}"),
                new Attempt("ensure stream", "PUT", "/v1/streams/sensor-new", inB, "{}"),
                new Attempt("reconfigure stream", "PATCH", "/v1/streams/sensor-a", inB,
                        "{\"retention_policy\":{\"age\":1}}"),
                new Attempt("delete stream", "DELETE", "/v1/streams/sensor-a", inB, null),
                new Attempt("create basin", "POST", "/v1/basins", Map.of(), "{\"basin\":\"reader-basin\"}"),
                new Attempt("ensure basin", "PUT", "/v1/basins/reader-basin", Map.of(), "{}"),
                new Attempt("reconfigure basin", "PATCH", "/v1/basins/" + B, Map.of(),
                        "{\"create_stream_on_append\":true}"),
                new Attempt("delete basin", "DELETE", "/v1/basins/" + B, Map.of(), null),
                new Attempt("issue token", "POST", "/v1/access-tokens", Map.of(), "{\"id\":\"by-reader\",\"scope\":"
                        + "{\"basins\":{\"prefix\":\"\"},\"streams\":{\"prefix\":\"\"},\"ops\":[\"append\"]}}"),
                new Attempt("list tokens", "GET", "/v1/access-tokens", Map.of(), null),
                new Attempt("revoke token", "DELETE", "/v1/access-tokens/append-only", Map.of(), null),
                new Attempt("read other", "GET", "/v1/streams/other/records?seq_num=0", inB, null),
                new Attempt("check tail of other", "GET", "/v1/streams/other/records/tail", inB, null),
                new Attempt("config of other", "GET", "/v1/streams/other", inB, null),
                new Attempt("SSE read of other", "GET", "/v1/streams/other/records?seq_num=0",
                        Map.of("s2-basin", B, "accept", "text/event-stream"), null),
                new Attempt("read other, name percent-encoded", "GET", "/v1/streams/%6F%74%68%65%72/records"
                        + "?seq_num=0", inB, null),
                new Attempt("read other, basin by path", "GET", "/" + B + "/v1/streams/other/records?seq_num=0",
                        Map.of(), null),
                new Attempt("read a stream named like sensor but not", "GET", "/v1/streams/Sensor-a/records"
                        + "?seq_num=0", inB, null),
                new Attempt("read a, sensor- prefix percent-encoded around it", "GET",
                        "/v1/streams/%20sensor-a/records?seq_num=0", inB, null));
        for (Attempt attempt : attempts) {
            List<String[]> list = new ArrayList<>();
            list.add(new String[] {"Authorization", "Bearer " + READER});
            attempt.headers().forEach((name, value) -> list.add(new String[] {name, value}));
            byte[] body = attempt.body() == null ? null : attempt.body().getBytes(StandardCharsets.ISO_8859_1);
            assertRefused(http.send(attempt.method(), attempt.target(), list, body), 403, "permission_denied",
                    "reader: " + attempt.what());
        }

        // names that only look like a way out: a literal stream name (which does not exist), or not a name at all
        Answer escaped = http.send("GET", "/v1/streams/sensor-x%2F..%2Fother/records?seq_num=0", READER, inB,
                (byte[]) null);
        assertRefused(escaped, 404, "stream_not_found", "sensor-x%2F..%2Fother is a stream of that name");
        assertThat(escaped.body()).contains("sensor-x/../other");
        assertRefused(http.send("GET", "/v1/streams/sensor-x/../other/records?seq_num=0", READER, inB,
                (byte[]) null), 400, "bad_path", "an unencoded ..");
        assertRefused(http.send("GET", "/v1/streams/sensor-a%00/records?seq_num=0", READER, inB, (byte[]) null),
                400, "bad_path", "NUL after a sensor name");
        assertRefused(http.send("GET", "/v1/streams/sensor-x%2F..%2F..%2Fother-basin%2Fv1%2Fstreams%2Fa/records"
                + "?seq_num=0", READER, inB, (byte[]) null), 404, "stream_not_found", "a longer escape");
        assertRefused(http.send("POST", "/v1/streams/sensor-x%2F..%2Fother/records", READER, inB, APPEND_BODY),
                403, "permission_denied", "appending through an escaped name");
        assertThat(state()).as("no trace").isEqualTo(before);
    }

    private static byte[] protobufAppend() {
        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeAppendInput(new AppendInput(List.of(new AppendRecord(AppendRecord.INGEST_TIME,
                Message.NO_KEY, List.of(), ByteBuffer.wrap("forged".getBytes(StandardCharsets.UTF_8)))),
                OptionalLong.empty(), Optional.empty(), 0), out);
        return ByteBufUtil.getBytes(out);
    }

    // ------------------------------------------------------------------------------------------------ issued token

    @Test
    void anAppendOnlyTokenStaysInItsScope() {
        Map<String, Object> before = state();
        record Attempt(String what, String method, String target, Map<String, String> headers, String body) {
        }
        Map<String, String> inB = Map.of("s2-basin", B);
        List<Attempt> attempts = List.of(
                new Attempt("read a", "GET", "/v1/streams/a/records?seq_num=0", inB, null),
                new Attempt("SSE read a", "GET", "/v1/streams/a/records?seq_num=0", Map.of("s2-basin", B, "accept",
                        "text/event-stream"), null),
                new Attempt("check tail of a", "GET", "/v1/streams/a/records/tail", inB, null),
                new Attempt("config of a", "GET", "/v1/streams/a", inB, null),
                new Attempt("append b", "POST", "/v1/streams/b/records", inB, APPEND_BODY),
                new Attempt("append a in another basin", "POST", "/v1/streams/a/records", Map.of("s2-basin", C),
                        APPEND_BODY),
                new Attempt("append a in another basin by path", "POST", "/" + C + "/v1/streams/a/records", Map.of(),
                        APPEND_BODY),
                new Attempt("path names B, s2-basin names C: the header wins", "POST", "/" + B
                        + "/v1/streams/a/records", Map.of("s2-basin", C), APPEND_BODY),
                new Attempt("append a new stream by s2-stream-config", "POST", "/v1/streams/a2/records",
                        Map.of("s2-basin", B, "s2-stream-config", "{}"), APPEND_BODY),
                new Attempt("a fence command (needs admin)", "POST", "/v1/streams/a/records", inB,
                        "{\"records\":[{\"headers\":[[\"\",\"fence\"]],\"body\":\"mine\"}]}"),
                new Attempt("a trim command (needs admin)", "POST", "/v1/streams/a/records",
                        Map.of("s2-basin", B, "s2-format", "base64"),
                        "{\"records\":[{\"headers\":[[\"\",\"dHJpbQ==\"]],\"body\":\"AAAAAAAAAAU=\"}]}"),
                new Attempt("create stream", "POST", "/v1/streams", inB, "{\"stream\":\"a2\"}"),
                new Attempt("reconfigure a", "PATCH", "/v1/streams/a", inB, "{\"retention_policy\":{\"age\":1}}"),
                new Attempt("delete a", "DELETE", "/v1/streams/a", inB, null),
                new Attempt("reconfigure basin", "PATCH", "/v1/basins/" + B, Map.of(),
                        "{\"create_stream_on_append\":true}"),
                new Attempt("issue a token", "POST", "/v1/access-tokens", Map.of(), "{\"id\":\"by-token\",\"scope\":"
                        + "{\"basins\":{\"exact\":\"" + B + "\"},\"streams\":{\"exact\":\"a\"},\"ops\":[\"append\"]}}"),
                new Attempt("list tokens", "GET", "/v1/access-tokens", Map.of(), null),
                new Attempt("revoke itself", "DELETE", "/v1/access-tokens/append-only", Map.of(), null));
        for (Attempt attempt : attempts) {
            Answer answer = http.send(attempt.method(), attempt.target(), appendOnly, attempt.headers(),
                    attempt.body());
            assertRefused(answer, 403, "permission_denied", "append-only token: " + attempt.what());
        }
        assertThat(state()).as("no trace").isEqualTo(before);
    }

    @Test
    void theBasinUsedIsTheHeadersAndTheCheckFollowsIt() {
        // s2-basin wins over the /{basin}/v1 path (Basins.basinOf): the path names C, the header B, which the
        // append-only token covers: appended to B's a, C's a untouched
        long inB = tail(B, "a");
        long inC = tail(C, "a");
        Answer answer = http.send("POST", "/" + C + "/v1/streams/a/records", appendOnly, Map.of("s2-basin", B),
                "{\"records\":[{\"body\":\"by-header\"}]}");
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(tail(B, "a")).isEqualTo(inB + 1);
        assertThat(tail(C, "a")).isEqualTo(inC);
        // and the token appends where it may
        assertThat(append(appendOnly, B, "a", "in-scope").status()).isEqualTo(200);
        assertThat(tail(B, "a")).isEqualTo(inB + 2);
    }

    private static long tail(String basin, String stream) {
        Answer answer = http.send("GET", "/v1/streams/" + stream + "/records/tail", ADMIN, Map.of("s2-basin", basin),
                (byte[]) null);
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.json().path("tail").path("seq_num").asLong();
    }

    // ------------------------------------------------------------------------------------------------ sessions

    @Test
    void appendSessionsCheckTheTokenBeforeTheyStart() {
        Map<String, Object> before = state();
        try (S2sH2Client client = new S2sH2Client(fixture.server.port())) {
            byte[] frame = S2sH2Client.frame(0, protobufAppend());
            Map<String, String[]> tokens = new LinkedHashMap<>();
            tokens.put("no token", new String[] {null, "a", "401"});
            tokens.put("a token one character off", new String[] {"Bearer " + ADMIN.substring(1) + "x", "a", "401"});
            tokens.put("the reader on a sensor stream", new String[] {"Bearer " + READER, "sensor-a", "403"});
            tokens.put("the append-only token on b", new String[] {"Bearer " + appendOnly, "b", "403"});
            for (Map.Entry<String, String[]> entry : tokens.entrySet()) {
                Map<String, String> headers = new LinkedHashMap<>();
                if (entry.getValue()[0] != null) {
                    headers.put("authorization", entry.getValue()[0]);
                }
                headers.put("s2-basin", B);
                headers.put("content-type", S2Routes.S2S);
                S2sH2Client.Session session = client.open("POST", "/v1/streams/" + entry.getValue()[1] + "/records",
                        headers);
                session.send(frame);
                assertThat(session.status()).as(entry.getKey()).isEqualTo(Integer.parseInt(entry.getValue()[2]));
                assertThat(session.header("content-type")).as(entry.getKey()).startsWith("application/json");
                session.awaitEnd(Duration.ofSeconds(5));
            }
        }
        assertThat(state()).as("no trace").isEqualTo(before);
    }

    // ------------------------------------------------------------------------------------------------ lifetimes

    @Test
    void expiredAndRevokedTokensAreRefused() {
        // expired: issued straight into the table, 300 ms ahead (the table refuses a past expiry), then polled
        Scope scope = new Scope(List.of(S2Names.PREFIX + B), List.of("a"), EnumSet.of(Permission.READ,
                Permission.WRITE));
        String expiring = fixture.tokens.issue("expiring", scope, Optional.of(Instant.now().plusMillis(300)),
                "test", Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Answer tail;
        do {
            tail = http.send("GET", "/v1/streams/a/records/tail", expiring, Map.of("s2-basin", B), (byte[]) null);
            assertThat(tail.status()).as("%s", tail).isIn(200, 401);
        } while (tail.status() == 200 && System.nanoTime() < deadline);
        assertRefused(tail, 401, "authn", "an expired token");

        Map<String, Object> before = state();
        assertRefused(append(expiring, B, "a", "expired"), 401, "authn", "append with an expired token");

        // revoked: issued and revoked through the API
        Answer issued = http.send("POST", "/v1/access-tokens", ADMIN, Map.of(), "{\"id\":\"revoked\",\"scope\":"
                + "{\"basins\":{\"exact\":\"" + B + "\"},\"streams\":{\"exact\":\"a\"},\"ops\":[\"append\",\"read\"]}}");
        assertThat(issued.status()).as("%s", issued).isEqualTo(201);
        String revoked = issued.json().path("access_token").asText();
        assertThat(http.send("GET", "/v1/streams/a/records/tail", revoked, Map.of("s2-basin", B), (byte[]) null)
                .status()).as("works before it is revoked").isEqualTo(200);
        assertThat(http.send("DELETE", "/v1/access-tokens/revoked", ADMIN, Map.of(), (byte[]) null).status())
                .isEqualTo(204);
        assertRefused(append(revoked, B, "a", "revoked"), 401, "authn", "append with a revoked token");
        assertRefused(http.send("GET", "/v1/streams/a/records?seq_num=0", revoked, Map.of("s2-basin", B),
                (byte[]) null), 401, "authn", "read with a revoked token");
        assertThat(state()).as("no trace").isEqualTo(before);
    }
}
