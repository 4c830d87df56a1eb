package io.github.edgestream.api.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.http.auth.OciSigningClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI API through a second client, {@link OciSigningClient}, signing as Oracle's Java SDK does ({@code date},
 * URL-encoded cursors): every operation works for it too, and every malformed or out-of-range request is refused
 * with OCI's error shape naming the field, the value and the limit, while the daemon keeps serving.
 */
class OciApiTest {

    @TempDir
    static Path root;
    static OciFixture fixture;
    static OciSigningClient admin;
    static OciSigningClient reader;
    static OciSigningClient unsigned;

    @BeforeAll
    static void start() throws Exception {
        fixture = new OciFixture(root.resolve("store"), root.resolve("keys"));
        admin = new OciSigningClient(fixture.endpoint(), fixture.admin.keyId(), fixture.admin.pair().getPrivate());
        reader = new OciSigningClient(fixture.endpoint(), fixture.reader.keyId(), fixture.reader.pair().getPrivate());
        unsigned = new OciSigningClient(fixture.endpoint(), null, null);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static String createStream(String name, int partitions) {
        OciSigningClient.Reply created = admin.post("/20180418/streams", "{\"name\":\"" + name + "\",\"partitions\":"
                + partitions + ",\"compartmentId\":\"ocid1.compartment.oc1..java\"}");
        assertThat(created.status()).as(created.message()).isEqualTo(200);
        return created.json().get("id").asText();
    }

    private static String cursor(String id, String details) {
        OciSigningClient.Reply reply = admin.post("/20180418/streams/" + id + "/cursors", details);
        assertThat(reply.status()).as(reply.message()).isEqualTo(200);
        return reply.json().get("value").asText();
    }

    private static String b64(String text) {
        return OciSigningClient.b64(text);
    }

    private static void assertError(OciSigningClient.Reply reply, int status, String code, String... messageParts) {
        assertThat(reply.status()).as(reply.response().body()).isEqualTo(status);
        assertThat(reply.code()).isEqualTo(code);
        if (messageParts.length > 0) {
            assertThat(reply.message()).contains(messageParts);
        }
        assertThat(reply.header("opc-request-id")).isEqualTo("java-test");
    }

    @Test
    void aJavaSdkStyleClientProducesAndConsumesWithEncodedCursors() {
        String id = createStream("java-style", 2);
        OciSigningClient.Reply put = admin.post("/20180418/streams/" + id + "/messages", "{\"messages\":[{\"key\":\""
                + b64("k") + "\",\"value\":\"" + b64("one") + "\"},{\"value\":\"" + b64("two") + "\"}]}");
        assertThat(put.status()).as(put.message()).isEqualTo(200);
        assertThat(put.json().get("failures").asInt()).isZero();
        int partition = put.json().get("entries").get(0).get("partition").asInt();

        String c = cursor(id, "{\"partition\":\"" + partition + "\",\"type\":\"TRIM_HORIZON\"}");
        OciSigningClient.Reply got = admin.get("/20180418/streams/" + id + "/messages?cursor="
                + OciSigningClient.encodeAll(c) + "&limit=10");

        assertThat(got.status()).as(got.message()).isEqualTo(200);
        assertThat(got.json().findValuesAsText("value")).contains(b64("one"));
        assertThat(got.json().get(0).get("key").asText()).isEqualTo(b64("k"));
        assertThat(got.header("opc-next-cursor")).matches("[A-Za-z0-9_-]+");
        assertThat(got.header("content-type")).startsWith("application/json");
    }

    @Test
    void malformedBodiesAreRefusedNamingTheProblem() {
        assertError(admin.post("/20180418/streams", "{\"name\":"), 400, "CannotParseRequest", "not valid JSON");
        assertError(admin.post("/20180418/streams", "[1,2]"), 400, "CannotParseRequest", "must be a JSON object");
        assertError(admin.post("/20180418/streams",
                "{\"partitions\":1,\"compartmentId\":\"ocid1.compartment.oc1..x\"}"), 400, "MissingParameter",
                "name is required");
        assertError(admin.post("/20180418/streams", "{\"name\":\"s\",\"partitions\":\"3\","
                + "\"compartmentId\":\"ocid1.compartment.oc1..x\"}"), 400, "InvalidParameter",
                "partitions must be an integer");
        assertError(admin.post("/20180418/streams", "{\"name\":\"s\",\"partitions\":257,"
                + "\"compartmentId\":\"ocid1.compartment.oc1..x\"}"), 400, "InvalidParameter",
                "partitions is 257 but must be between 1 and 256");
        assertError(admin.post("/20180418/streams", "{\"name\":\"s\",\"partitions\":1}"), 400,
                "MissingParameter", "compartmentId");
        assertError(admin.post("/20180418/streams", "{\"name\":\"s\",\"partitions\":1,\"compartmentId\":\"nope\"}"),
                400, "InvalidParameter", "compartmentId \"nope\" is not a compartment OCID");
        assertError(admin.post("/20180418/streams", "{\"name\":\"" + "n".repeat(256) + "\",\"partitions\":1,"
                + "\"compartmentId\":\"ocid1.compartment.oc1..x\"}"), 400, "InvalidParameter", "256", "255");
        assertError(admin.post("/20180418/streams", "{\"name\":\"bad/name\",\"partitions\":1,"
                + "\"compartmentId\":\"ocid1.compartment.oc1..x\"}"), 400, "InvalidParameter", "bad/name");
        assertError(admin.post("/20180418/streams", "{\"name\":\"s\",\"partitions\":1,\"retentionInHours\":0,"
                + "\"compartmentId\":\"ocid1.compartment.oc1..x\"}"), 400, "InvalidParameter", "retentionInHours");
        assertError(admin.post("/20180418/streams", "{\"name\":\"s\",\"partitions\":1,"
                + "\"compartmentId\":\"ocid1.compartment.oc1..x\",\"freeformTags\":{\"k\":1}}"), 400,
                "InvalidParameter", "freeformTags.k must be a string");
        assertThat(admin.get("/20180418/streams?compartmentId=ocid1.compartment.oc1..x&name=s").json()).isEmpty();
    }

    @Test
    void badMessagesAreRefusedBeforeAnythingIsStored() {
        String id = createStream("bad-messages", 1);
        String path = "/20180418/streams/" + id + "/messages";
        assertError(admin.post(path, "{}"), 400, "MissingParameter", "messages is required");
        assertError(admin.post(path, "{\"messages\":[]}"), 400, "InvalidParameter", "non-empty array");
        assertError(admin.post(path, "{\"messages\":[{\"value\":\"aGk=\"},{\"value\":\"not base64!\"}]}"), 400,
                "InvalidParameter", "messages[1].value is not valid base64");
        assertError(admin.post(path, "{\"messages\":[{\"key\":\"aGk=\"}]}"), 400, "MissingParameter",
                "messages[0].value");
        assertError(admin.post(path, "{\"messages\":[{\"value\":7}]}"), 400, "InvalidParameter",
                "messages[0].value must be a base64 string");
        assertError(admin.post(path, "{\"messages\":[\"aGk=\"]}"), 400, "InvalidParameter",
                "messages[0] must be an object");
        assertError(admin.post(path, "{\"messages\":{}}"), 400, "InvalidParameter", "non-empty array");
        assertError(admin.post(path, "{\"messages\":[{\"value\":\"aGk=\"}"), 400, "CannotParseRequest",
                "not valid JSON");
        assertError(admin.post(path, "[]"), 400, "CannotParseRequest", "must be a JSON object");
        StringBuilder many = new StringBuilder("{\"messages\":[");
        for (int i = 0; i <= MessageOperations.MAX_MESSAGES; i++) {
            many.append(i == 0 ? "" : ",").append("{\"value\":\"\"}");
        }
        assertError(admin.post(path, many.append("]}").toString()), 400, "InvalidParameter",
                "more than 10000 entries", "at most 10000");
        String half = b64("x".repeat(600 * 1024));
        assertError(admin.post(path, "{\"messages\":[{\"value\":\"" + half + "\"},{\"value\":\"" + half + "\"}]}"),
                400, "InvalidParameter", "messages[0..1] carry 1228800 bytes", "at most 1048576 bytes");

        String c = cursor(id, "{\"partition\":\"0\",\"type\":\"TRIM_HORIZON\"}");
        assertThat(admin.get("/20180418/streams/" + id + "/messages?cursor=" + c).json()).as("nothing was stored")
                .isEmpty();
    }

    @Test
    void badCursorsAndLimitsAreRefused() {
        String id = createStream("bad-cursors", 1);
        String get = "/20180418/streams/" + id + "/messages?cursor=";
        assertError(admin.get("/20180418/streams/" + id + "/messages"), 400, "MissingParameter", "cursor");
        assertError(admin.get(get + "%20%00garbage"), 400, "InvalidParameter", "not valid");
        assertError(admin.get(get + "A".repeat(OciCursors.MAX_LENGTH + 1)), 400, "InvalidParameter", "8193");
        String c = cursor(id, "{\"partition\":\"0\",\"type\":\"LATEST\"}");
        assertError(admin.get(get + c + "&limit=0"), 400, "InvalidParameter", "limit is 0", "between 1 and 10000");
        assertError(admin.get(get + c + "&limit=10001"), 400, "InvalidParameter", "limit is 10001");
        assertError(admin.get(get + c + "&limit=ten"), 400, "InvalidParameter", "limit \"ten\" is not an integer");
        assertError(admin.post("/20180418/streams/" + id + "/cursors", "{\"partition\":\"0\",\"type\":\"AT_OFFSET\"}"),
                400, "MissingParameter", "offset");
        assertError(admin.post("/20180418/streams/" + id + "/cursors", "{\"partition\":\"0\",\"type\":\"AT_TIME\"}"),
                400, "MissingParameter", "time");
        assertError(admin.post("/20180418/streams/" + id + "/cursors", "{\"partition\":\"0\",\"type\":\"AT_TIME\","
                + "\"time\":\"yesterday\"}"), 400, "InvalidParameter", "time \"yesterday\" is not an RFC 3339 time");
        assertError(admin.post("/20180418/streams/" + id + "/cursors", "{\"partition\":\"0\",\"type\":\"NEWEST\"}"),
                400, "InvalidParameter", "type \"NEWEST\" is not one of");
        assertError(admin.post("/20180418/streams/" + id + "/commit?cursor=" + c, ""), 400, "InvalidParameter",
                "commits need a group cursor");
    }

    @Test
    void aCursorOfAStreamDeletedAndCreatedAgainIsRefused() {
        String id = createStream("reborn", 1);
        String c = cursor(id, "{\"partition\":\"0\",\"type\":\"TRIM_HORIZON\"}");
        assertThat(admin.delete("/20180418/streams/" + id).status()).isEqualTo(202);
        assertThat(admin.get("/20180418/streams/" + id).json().get("lifecycleState").asText()).isEqualTo("DELETED");
        assertThat(createStream("reborn", 1)).as("OCIDs are derived from the name").isEqualTo(id);
        assertThat(admin.get("/20180418/streams/" + id).json().get("lifecycleState").asText()).isEqualTo("ACTIVE");

        assertError(admin.get("/20180418/streams/" + id + "/messages?cursor=" + c), 404, "NotAuthorizedOrNotFound",
                "deleted since the cursor was issued");
    }

    @Test
    void groupRequestsAreValidated() {
        String id = createStream("group-checks", 2);
        String path = "/20180418/streams/" + id + "/groupCursors";
        assertError(admin.post(path, "{\"type\":\"LATEST\"}"), 400, "MissingParameter", "groupName");
        assertError(admin.post(path, "{\"groupName\":\"g\",\"type\":\"AT_OFFSET\"}"), 400, "InvalidParameter",
                "type \"AT_OFFSET\" is not one of [AT_TIME, LATEST, TRIM_HORIZON]");
        assertError(admin.post(path, "{\"groupName\":\"g\",\"type\":\"AT_TIME\"}"), 400, "MissingParameter", "time");
        assertError(admin.post(path, "{\"groupName\":\"g\",\"type\":\"LATEST\",\"timeoutInMs\":0}"), 400,
                "InvalidParameter", "timeoutInMs is 0");
        assertError(admin.post(path, "{\"groupName\":\"my group\",\"type\":\"LATEST\"}"), 400, "InvalidParameter",
                "group \"my group\" is invalid");
        assertError(admin.post(path, "{\"groupName\":\"g\",\"type\":\"LATEST\",\"commitOnGet\":\"yes\"}"), 400,
                "InvalidParameter", "commitOnGet must be true or false");
        assertError(admin.put("/20180418/streams/" + id + "/groups/g", "{\"type\":\"AT_TIME\"}"), 400,
                "MissingParameter", "time");
        assertError(admin.get("/20180418/streams/" + id + "/groups/absent"), 404, "NotAuthorizedOrNotFound",
                "group \"absent\"");
    }

    @Test
    void aGroupWithoutInstanceNameGetsAFreshInstancePerCursorAndHeartbeatKeepsItAlive() {
        String id = createStream("anonymous", 2);
        String path = "/20180418/streams/" + id + "/groupCursors";
        String first = admin.post(path, "{\"groupName\":\"anon\",\"type\":\"TRIM_HORIZON\"}").json().get("value")
                .asText();
        admin.post(path, "{\"groupName\":\"anon\",\"type\":\"TRIM_HORIZON\"}");

        JsonNode group = admin.get("/20180418/streams/" + id + "/groups/anon").json();
        List<String> holders = new ArrayList<>();
        group.get("reservations").forEach(r -> holders.add(r.get("reservedInstance").asText()));
        assertThat(holders).hasSize(2).doesNotHaveDuplicates().allMatch(h -> h.startsWith("instance-"));
        OciSigningClient.Reply beat = admin.post("/20180418/streams/" + id + "/heartbeat?cursor=" + first, "");
        assertThat(beat.status()).as(beat.message()).isEqualTo(200);
        assertThat(beat.json().get("value").asText()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void unsignedStaleAndOutOfScopeRequestsAreRefused() {
        String id = createStream("guarded", 1);
        assertError(unsigned.get("/20180418/streams/" + id), 401, "NotAuthenticated");
        assertError(admin.send("GET", "/20180418/streams/" + id, null, true, Instant.now().minusSeconds(400)), 401,
                "NotAuthenticated");
        assertError(reader.get("/20180418/streams/" + id), 404, "NotAuthorizedOrNotFound", "not authorized");
        assertError(reader.post("/20180418/streampools", "{\"compartmentId\":\"ocid1.compartment.oc1..x\","
                + "\"name\":\"p\"}"), 404, "NotAuthorizedOrNotFound", "not authorized");
        assertThat(admin.get("/20180418/streams/" + id).status()).as("the daemon serves on").isEqualTo(200);
    }

    @Test
    void forgedOcidsAndUnknownPathsAreNotFound() {
        String basinStream = OciIds.stream("us-ashburn-1", Namespace.of("s2.somebasin"), "orders");
        assertError(admin.get("/20180418/streams/" + basinStream), 404, "NotAuthorizedOrNotFound",
                "not a stream OCID of this gateway");
        assertError(admin.get("/20180418/streams/ocid1.stream.oc1.iad.!!"), 404, "NotAuthorizedOrNotFound");
        assertError(admin.get("/20180418/streampools/ocid1.streampool.oc1.iad.aaaa"), 404, "NotAuthorizedOrNotFound");
        assertError(admin.get("/20180418/nothing"), 404, "NotAuthorizedOrNotFound", "no OCI Streaming operation");
        assertError(admin.send("PATCH", "/20180418/streams", "{}", true, Instant.now()), 404,
                "NotAuthorizedOrNotFound");
        assertError(admin.delete("/20180418/streampools/ocid1.streampool.oc1.iad.default"), 409, "Conflict",
                "default stream pool cannot be deleted");
        assertError(admin.post("/20180418/streams/" + createStream("moving", 1) + "/actions/changeCompartment",
                "{\"compartmentId\":\"ocid1.compartment.oc1..y\"}"), 400, "InvalidParameter", "compartments");
    }

    @Test
    void theDefaultPoolHoldsStreamsOfEveryApiAndIsListedForAnyCompartment() {
        String id = createStream("shared", 1);
        JsonNode pools = admin.get("/20180418/streampools?compartmentId=ocid1.compartment.oc1..any").json();
        assertThat(pools.findValuesAsText("id")).contains("ocid1.streampool.oc1.us-ashburn-1.default");
        JsonNode stream = admin.get("/20180418/streams/" + id).json();
        assertThat(stream.get("streamPoolId").asText()).isEqualTo("ocid1.streampool.oc1.us-ashburn-1.default");
        assertThat(fixture.store.find(io.github.edgestream.core.model.StreamName.of("shared"))).as("a store stream")
                .isPresent();
    }
}
