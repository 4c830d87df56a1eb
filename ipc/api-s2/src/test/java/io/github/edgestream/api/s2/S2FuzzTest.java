package io.github.edgestream.api.s2;

import static io.github.edgestream.api.s2.S2RawHttp.assertS2ClientError;
import static io.github.edgestream.api.s2.S2RawHttp.assertS2Error;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.api.s2.S2RawHttp.Answer;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken but authenticated requests to every S2 operation, with fixed seeds: JSON bodies mutated (bytes flipped, cut
 * short, values of the wrong type, huge numbers, deep nesting, junk after the document, unknown fields, bytes that
 * are not UTF-8), protobuf appends mutated from valid {@code AppendInput} bytes, bad {@code s2-*} and
 * {@code Last-Event-ID} headers, bad paths (broken percent escapes, invalid UTF-8, NUL, overlong names) and bad
 * query parameters. Every answer is a client error in S2's shape (or, for a mutation that happens to stay valid, a
 * success), never a 5xx, a hang or a connection closed without an answer; afterwards appends and reads are served
 * as before.
 */
class S2FuzzTest {

    private static final String TOKEN = S2Fixture.ADMIN_TOKEN;
    private static final String BASIN = "fuzz-basin";
    private static final String STREAM = "fuzz";
    private static final String CHECK = "fuzz-check";

    @TempDir
    static Path root;
    private static S2Fixture fixture;
    private static S2RawHttp http;

    @BeforeAll
    static void start() {
        fixture = new S2Fixture(root);
        http = new S2RawHttp(fixture.server.port());
        assertThat(http.send("POST", "/v1/basins", TOKEN, Map.of("content-type", "application/json"),
                "{\"basin\":\"" + BASIN + "\"}").status()).isEqualTo(201);
        for (String stream : List.of(STREAM, CHECK)) {
            assertThat(http.send("POST", "/v1/streams", TOKEN, basinJson(), "{\"stream\":\"" + stream + "\"}")
                    .status()).isEqualTo(201);
        }
        assertThat(append(STREAM, "{\"records\":[{\"body\":\"seed\"}]}").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** After every test: the server still appends and reads as before. */
    @AfterEach
    void stillServing() {
        String body = "still-serving-" + System.nanoTime();
        Answer appended = append(CHECK, "{\"records\":[{\"body\":\"" + body + "\",\"headers\":[[\"k\",\"v\"]]}]}");
        assertThat(appended.status()).as("%s", appended).isEqualTo(200);
        long seq = appended.json().path("start").path("seq_num").asLong();
        Answer read = http.send("GET", "/v1/streams/" + CHECK + "/records?seq_num=" + seq + "&count=1", TOKEN,
                basinJson(), (byte[]) null);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        assertThat(read.json().path("records").get(0).path("body").asText()).isEqualTo(body);
        assertThat(read.json().path("records").get(0).path("seq_num").asLong()).isEqualTo(seq);
    }

    private static Map<String, String> basinJson() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("s2-basin", BASIN);
        headers.put("content-type", "application/json");
        return headers;
    }

    private static Answer append(String stream, String json) {
        return http.send("POST", "/v1/streams/" + stream + "/records", TOKEN, basinJson(), json);
    }

    // ------------------------------------------------------------------------------------------------ JSON bodies

    private record Op(String name, String method, String target, Map<String, String> headers, String body) {
    }

    private static Map<String, String> with(String... pairs) {
        Map<String, String> headers = basinJson();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            headers.put(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    /** A valid request of every S2 operation that takes a JSON body. */
    private static List<Op> jsonOps() {
        String streamConfig = "{\"storage_class\":\"standard\",\"retention_policy\":{\"age\":86400},"
                + "\"timestamping\":{\"mode\":\"client-prefer\",\"uncapped\":false},"
                + "\"delete_on_empty\":{\"min_age_secs\":3600}}";
        return List.of(
                new Op("create-basin", "POST", "/v1/basins", with(), "{\"basin\":\"fuzz-made-basin\",\"config\":"
                        + "{\"create_stream_on_append\":false,\"create_stream_on_read\":false,"
                        + "\"default_stream_config\":" + streamConfig + "}}"),
                new Op("create-stream", "POST", "/v1/streams", with(), "{\"stream\":\"fuzz-made\",\"config\":"
                        + streamConfig + "}"),
                new Op("reconfigure-basin", "PATCH", "/v1/basins/" + BASIN, with(),
                        "{\"create_stream_on_read\":false,\"default_stream_config\":{\"retention_policy\":"
                        + "{\"age\":3600}}}"),
                new Op("ensure-basin", "PUT", "/v1/basins/fuzz-ensured-basin", with(),
                        "{\"config\":{\"create_stream_on_append\":false,\"default_stream_config\":" + streamConfig
                        + "}}"),
                new Op("reconfigure-stream", "PATCH", "/v1/streams/" + STREAM, with(),
                        "{\"retention_policy\":{\"age\":86400},\"timestamping\":{\"mode\":\"client-prefer\"}}"),
                new Op("ensure-stream", "PUT", "/v1/streams/fuzz-ensured", with(), streamConfig),
                new Op("append-raw", "POST", "/v1/streams/" + STREAM + "/records", with("s2-format", "raw"),
                        "{\"records\":[{\"body\":\"hello\",\"headers\":[[\"k\",\"v\"]],\"timestamp\":1700000000000},"
                        + "{\"body\":\"second\"}],\"fencing_token\":null}"),
                new Op("append-base64", "POST", "/v1/streams/" + STREAM + "/records", with("s2-format", "base64"),
                        "{\"records\":[{\"body\":\"aGVsbG8=\",\"headers\":[[\"aw==\",\"dg==\"]]}],"
                        + "\"match_seq_num\":null}"),
                new Op("issue-access-token", "POST", "/v1/access-tokens", with(),
                        "{\"id\":\"fuzz-token\",\"expires_at\":\"2099-01-01T00:00:00Z\",\"scope\":{\"basins\":"
                        + "{\"prefix\":\"fuzz\"},\"streams\":{\"exact\":\"a\"},\"ops\":[\"append\",\"read\"]}}"));
    }

    private enum Mutation {
        FLIP, TRUNCATE, WRONG_TYPE, HUGE_NUMBER, DEEP_NESTING, JUNK_TAIL, UNKNOWN_FIELD, RANDOM_BYTES, NOT_UTF8,
        DUPLICATE_KEY;

        /** Whether every body so broken must be refused (the others may stay valid by chance). */
        boolean alwaysRefused() {
            return this == TRUNCATE || this == DEEP_NESTING || this == JUNK_TAIL || this == NOT_UTF8;
        }
    }

    private static byte[] mutate(byte[] body, Mutation mutation, SplittableRandom random) {
        byte[] out = body.clone();
        String text = new String(body, StandardCharsets.UTF_8);
        switch (mutation) {
            case FLIP -> {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case TRUNCATE -> out = Arrays.copyOf(out, 1 + random.nextInt(out.length - 1));
            case WRONG_TYPE -> {
                String[] swaps = {"12345678901234567890123456789", "{}", "null", "[1,2]", "true", "-1", "1e999",
                    "\"text\"", "[[\"a\"]]", "{\"records\":[]}", "0.5", "-0"};
                String[] values = {"\"[^\"]*\"(?=[,}\\]])", "-?\\d+(?=[,}\\]])", "\\[[^\\[\\]]*\\]", "(true|false|null)"};
                String replaced = text;
                for (int i = 0; i < 1 + random.nextInt(3); i++) {
                    replaced = replaced.replaceFirst(values[random.nextInt(values.length)],
                            java.util.regex.Matcher.quoteReplacement(swaps[random.nextInt(swaps.length)]));
                }
                out = replaced.getBytes(StandardCharsets.UTF_8);
            }
            case HUGE_NUMBER -> {
                String[] huge = {"9".repeat(1 + random.nextInt(80)), "18446744073709551616", "9223372036854775808",
                    "9223372036854775807", "-9223372036854775808", "1e308", "1E+400", "123.456e-789",
                    "4".repeat(5000)};
                out = text.replaceAll("\\b\\d+\\b", huge[random.nextInt(huge.length)])
                        .getBytes(StandardCharsets.UTF_8);
            }
            case DEEP_NESTING -> {
                int depth = 20 + random.nextInt(3000);
                String key = text.substring(text.indexOf('"'), text.indexOf('"', text.indexOf('"') + 1) + 1);
                String nested = random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                out = ("{" + key + ":" + nested + "}").getBytes(StandardCharsets.UTF_8);
            }
            case JUNK_TAIL -> {
                String[] starts = {"x", "}", "]", "{", ",", "\"", "0", "null", "{\"records\":[]}", "\u0000", "\u00e9"};
                byte[] junk = new byte[random.nextInt(32)];
                random.nextBytes(junk);
                byte[] start = starts[random.nextInt(starts.length)].getBytes(StandardCharsets.UTF_8);
                out = concat(out, random.nextBoolean() ? new byte[] {' '} : new byte[0], start, junk);
            }
            case UNKNOWN_FIELD -> {
                String[] fields = {"\"zz_unknown\":1,", "\"records_\":{\"x\":[1,2,3]},", "\"\":null,",
                    "\"config\\u0000\":\"nul\",", "\"" + "k".repeat(10_000) + "\":true,"};
                out = text.replaceFirst("\\{", java.util.regex.Matcher.quoteReplacement(
                        "{" + fields[random.nextInt(fields.length)])).getBytes(StandardCharsets.UTF_8);
            }
            case RANDOM_BYTES -> random.nextBytes(out);
            case NOT_UTF8 -> {
                byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                    {(byte) 0xE2, (byte) 0x82}};
                int quote = text.indexOf('"') + 1; // inside the first key
                out = concat(Arrays.copyOf(body, quote), bad[random.nextInt(bad.length)],
                        Arrays.copyOfRange(body, quote, body.length));
            }
            case DUPLICATE_KEY -> out = text.replaceFirst("\\{(\"[^\"]+\"):([^,}]+)([,}])", "{$1:$2,$1:[{}]$3")
                    .getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalStateException();
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    @Test
    void validBodiesAreServed() {
        for (Op op : jsonOps()) {
            Answer answer = http.send(op.method(), op.target(), TOKEN, op.headers(), op.body());
            if (answer.status() == 409) { // made already by a mutation that stayed valid
                assertS2Error(answer, 409, "resource_already_exists", op.name());
                continue;
            }
            assertThat(answer.status()).as("%s: %s", op.name(), answer).isBetween(200, 299);
        }
    }

    @Test
    void brokenJsonBodiesAreClientErrors() {
        SplittableRandom random = new SplittableRandom(2026);
        List<Op> ops = jsonOps();
        Mutation[] mutations = Mutation.values();
        int rounds = 450;
        int refused = 0;
        for (int round = 0; round < rounds; round++) {
            Op op = ops.get(random.nextInt(ops.size()));
            Mutation mutation = mutations[round % mutations.length];
            byte[] broken = mutate(op.body().getBytes(StandardCharsets.UTF_8), mutation, random);
            Answer answer = http.send(op.method(), op.target(), TOKEN, op.headers(), broken);
            String context = "round " + round + ", " + op.name() + ", " + mutation + ", body "
                    + clip(new String(broken, StandardCharsets.UTF_8));
            assertThat(answer.status()).as("%s: %s", context, answer).isLessThan(500);
            if (answer.status() >= 400 || mutation.alwaysRefused()) {
                assertS2ClientError(answer, context);
                refused++;
            }
        }
        assertThat(refused).as("most broken bodies are refused").isGreaterThan(rounds * 2 / 3);
    }

    /** What the fuzzing found, pinned: each was answered 2xx (taken) or 500 before. */
    @Test
    void foundByFuzzing() {
        long tail = tail(STREAM);
        // junk after the document was ignored: the append was taken
        assertS2Error(append(STREAM, "{\"records\":[{\"body\":\"x\"}]} junk"), 400, "bad_json", "junk tail");
        assertS2Error(append(STREAM, "{\"records\":[{\"body\":\"x\"}]}{\"records\":[]}"), 400, "bad_json",
                "a second document");
        // overlong UTF-8 (C0 AF) was read as "/": a raw body or a stream name silently changed
        byte[] overlong = concat(bytes("{\"records\":[{\"body\":\"a"), new byte[] {(byte) 0xC0, (byte) 0xAF},
                bytes("b\"}]}"));
        assertS2Error(http.send("POST", "/v1/streams/" + STREAM + "/records", TOKEN, with(), overlong), 400,
                "bad_json", "overlong UTF-8 in a raw body");
        assertThat(tail(STREAM)).as("nothing appended").isEqualTo(tail);
        byte[] name = concat(bytes("{\"stream\":\"over"), new byte[] {(byte) 0xC0, (byte) 0xAF}, bytes("long\"}"));
        assertS2Error(http.send("POST", "/v1/streams", TOKEN, with(), name), 400, "bad_json",
                "overlong UTF-8 in a stream name");
        assertS2Error(http.send("GET", "/v1/streams/over%2Flong", TOKEN, with(), (byte[]) null), 404,
                "stream_not_found", "no stream \"over/long\"");
        // junk after s2-stream-config created the stream
        assertS2Error(http.send("POST", "/v1/streams/fuzz-junk-config/records", TOKEN,
                with("s2-stream-config", "{} junk"), "{\"records\":[{\"body\":\"x\"}]}"), 400, "bad_header",
                "junk after s2-stream-config");
        assertS2Error(http.send("GET", "/v1/streams/fuzz-junk-config", TOKEN, with(), (byte[]) null), 404,
                "stream_not_found", "no stream created");
        // a broken percent escape in the query was a 500
        for (String query : List.of("seq_num=%ZZ", "seq_num=%", "%C=1")) {
            assertS2Error(http.send("GET", "/v1/streams/" + STREAM + "/records?" + query, TOKEN, with(),
                    (byte[]) null), 400, "bad_query", query);
            assertS2Error(http.send("GET", "/v1/streams?" + query, TOKEN, with(), (byte[]) null), 400, "bad_query",
                    "list streams ?" + query);
        }
    }

    /**
     * Bytes sent raw (not percent-encoded) in a path: the HTTP layer reads them one byte a character (ISO-8859-1),
     * and the path decoder took each such character for a Unicode one, so raw UTF-8 {@code é} (C3 A9) named the
     * stream "Ã©" and invalid UTF-8 (C3 28) was accepted as "Ã(". Now the bytes are decoded as UTF-8, strictly.
     */
    @Test
    void rawBytesInAPathAreUtf8() {
        assertThat(http.send("POST", "/v1/streams", TOKEN, with(), "{\"stream\":\"caf\u00e9\"}").status())
                .isEqualTo(201);
        List<String[]> headers = List.<String[]>of(new String[] {"Authorization", "Bearer " + TOKEN},
            new String[] {"s2-basin", BASIN});
        byte[] raw = concat(bytes("/v1/streams/caf"), new byte[] {(byte) 0xC3, (byte) 0xA9});
        for (byte[] target : List.of(raw, bytes("/v1/streams/caf%C3%A9"))) {
            Answer answer = http.sendRaw(bytes("GET"), target, headers, null);
            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        }
        Answer invalid = http.sendRaw(bytes("PUT"), concat(bytes("/v1/streams/bad"), new byte[] {(byte) 0xC3, 0x28}),
                headers, "{}".getBytes(StandardCharsets.UTF_8));
        assertS2Error(invalid, 400, "bad_path", "raw invalid UTF-8 in a stream name");
        Answer latin1 = http.sendRaw(bytes("PUT"), concat(bytes("/v1/streams/bad"), new byte[] {(byte) 0xE9}),
                headers, "{}".getBytes(StandardCharsets.UTF_8));
        assertS2Error(latin1, 400, "bad_path", "a raw Latin-1 byte in a stream name");
        Answer list = http.send("GET", "/v1/streams?prefix=bad", TOKEN, with(), (byte[]) null);
        assertThat(list.json().path("streams").size()).as("%s", list).isZero();
    }

    private static long tail(String stream) {
        Answer answer = http.send("GET", "/v1/streams/" + stream + "/records/tail", TOKEN, with(), (byte[]) null);
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.json().path("tail").path("seq_num").asLong();
    }

    // ------------------------------------------------------------------------------------------------ protobuf

    private static byte[] validAppendInput(SplittableRandom random) {
        List<AppendRecord> records = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
            byte[] body = new byte[random.nextInt(40)];
            random.nextBytes(body);
            List<Header> headers = random.nextBoolean() ? List.of()
                    : List.of(new Header("name".getBytes(StandardCharsets.UTF_8), "value".getBytes(
                            StandardCharsets.UTF_8)), new Header(new byte[] {1, 2}, new byte[0]));
            long timestamp = random.nextBoolean() ? AppendRecord.INGEST_TIME : 1_700_000_000_000L * 1000;
            records.add(new AppendRecord(timestamp, Message.NO_KEY, headers, ByteBuffer.wrap(body)));
        }
        AppendInput input = new AppendInput(records, OptionalLong.empty(),
                Optional.empty(), 0);
        ByteBuf out = Unpooled.buffer();
        S2Protobuf.encodeAppendInput(input, out);
        return ByteBufUtil.getBytes(out);
    }

    private static byte[] mutateProtobuf(byte[] valid, SplittableRandom random) {
        byte[] out = valid.clone();
        switch (random.nextInt(9)) {
            case 0 -> {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 2 -> { // junk after the message
                byte[] junk = new byte[1 + random.nextInt(32)];
                random.nextBytes(junk);
                out = concat(out, junk);
            }
            case 3 -> random.nextBytes(out);
            case 4 -> { // an overlong or overflowing varint where a tag or length was
                byte[] varint = new byte[10 + random.nextInt(3)];
                Arrays.fill(varint, (byte) 0xFF);
                if (random.nextBoolean()) {
                    varint[varint.length - 1] = 0x01;
                }
                int at = random.nextInt(out.length);
                out = concat(Arrays.copyOf(out, at), varint, Arrays.copyOfRange(out, at, out.length));
            }
            case 5 -> { // a record claiming to be huge
                out = concat(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F}, out);
            }
            case 6 -> { // a field of every other wire type, including groups
                int[] tags = {0x0B, 0x0C, 0x0F, 0x0E, 0x09, 0x0D, 0x12, 0x10, 0x1A};
                out = concat(out, new byte[] {(byte) tags[random.nextInt(tags.length)], 0x05, 1, 2, 3, 4, 5});
            }
            case 7 -> { // match_seq_num that is negative as an int64, or fencing_token not UTF-8
                out = random.nextBoolean()
                        ? concat(out, new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01})
                        : concat(out, new byte[] {0x1A, 0x02, (byte) 0xC3, 0x28});
            }
            default -> { // a header with a timestamp beyond the year 9999 inside a record
                out = concat(out, new byte[] {0x0A, 0x0B, 0x08, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0x1A, 0x00});
            }
        }
        return out;
    }

    @Test
    void brokenProtobufAppendsAreClientErrors() {
        SplittableRandom random = new SplittableRandom(7);
        Map<String, String> headers = with("content-type", "application/protobuf");
        Answer valid = http.send("POST", "/v1/streams/" + STREAM + "/records", TOKEN, headers,
                validAppendInput(random));
        assertThat(valid.status()).as("%s", valid).isEqualTo(200);
        int rounds = 300;
        int refused = 0;
        for (int round = 0; round < rounds; round++) {
            byte[] broken = mutateProtobuf(validAppendInput(random), random);
            Map<String, String> sent = random.nextBoolean() ? headers
                    : with("content-type", "application/protobuf", "accept", "application/protobuf");
            Answer answer = http.send("POST", "/v1/streams/" + STREAM + "/records", TOKEN, sent, broken);
            String context = "round " + round + ", protobuf " + ByteBufUtil.hexDump(broken);
            assertThat(answer.status()).as("%s: %s", context, answer).isLessThan(500);
            if (answer.status() >= 400) {
                assertS2ClientError(answer, context);
                refused++;
            }
        }
        assertThat(refused).as("most broken protobuf appends are refused").isGreaterThan(rounds / 2);

        // definite refusals
        Answer empty = http.send("POST", "/v1/streams/" + STREAM + "/records", TOKEN, headers, new byte[0]);
        assertS2Error(empty, 422, "invalid", "an AppendInput without records");
        assertS2Error(http.send("POST", "/v1/streams/" + STREAM + "/records", TOKEN, headers, new byte[] {0x0A,
            0x7F}), 400, "bad_proto", "a record longer than the message");
        assertS2Error(http.send("POST", "/v1/streams/" + STREAM + "/records", TOKEN, headers,
                "{\"records\":[{\"body\":\"json\"}]}"), 400, "bad_proto", "JSON sent as protobuf");
    }

    // ------------------------------------------------------------------------------------------------ headers

    @Test
    void badHeadersAreClientErrors() {
        SplittableRandom random = new SplittableRandom(99);
        String appendPath = "/v1/streams/" + STREAM + "/records";
        String valid = "{\"records\":[{\"body\":\"aGVsbG8=\"}]}";
        List<String> formats = new ArrayList<>(List.of("", "RAW x", "base65", "raw,base64", "raw;q=1", "\u00e9",
                "base64url", "json", "x".repeat(5000)));
        for (int i = 0; i < 20; i++) {
            formats.add("fmt-" + randomText(random, 1 + random.nextInt(30)));
        }
        for (String format : formats) {
            assertS2ClientError(http.send("POST", appendPath, TOKEN, with("s2-format", format), valid),
                    "append with s2-format " + clip(format));
            assertS2ClientError(http.send("GET", appendPath + "?seq_num=0", TOKEN, with("s2-format", format),
                    (byte[]) null), "read with s2-format " + clip(format));
        }

        List<String> basins = new ArrayList<>(List.of("", "UPPER-CASE-BASIN", "short", "a".repeat(49),
                "-leading-dash", "trailing-dash-", "fuzz_basin!", BASIN + "," + BASIN, BASIN + " x", "fuzz.basin.x",
                "fuzz-b\u00e4sin", "../" + BASIN, "%66uzz-basin"));
        for (int i = 0; i < 10; i++) {
            basins.add(randomText(random, 1 + random.nextInt(60)) + "_");
        }
        for (String basin : basins) {
            Map<String, String> headers = with("s2-basin", basin);
            String context = "s2-basin " + clip(basin);
            assertS2ClientError(http.send("POST", appendPath, TOKEN, headers, "{\"records\":[{\"body\":\"x\"}]}"),
                    context);
            assertS2ClientError(http.send("GET", "/v1/streams", TOKEN, headers, (byte[]) null), context);
            assertS2ClientError(http.send("POST", "/v1/streams", TOKEN, headers, "{\"stream\":\"fuzz-hdr\"}"),
                    context);
        }
        assertS2Error(http.send("GET", "/v1/streams", TOKEN, with("s2-basin", "no-such-basin"), (byte[]) null), 404,
                "basin_not_found", "a basin that does not exist");

        // s2-stream-config on an append to a stream that does not exist: refused, and the stream is not created
        List<String> configs = List.of("", "not json", "[]", "{\"retention_policy\":{\"age\":-1}}",
                "{\"retention_policy\":{\"age\":99999999999999999999}}", "{\"storage_class\":5}",
                "{\"storage_class\":\"gold\"}", "{\"timestamping\":{\"mode\":\"later\"}}", "{\"timestamping\":[]}",
                "{\"delete_on_empty\":7}", "[".repeat(2000) + "]".repeat(2000), "{} junk", "{}}", "{\"a\":1",
                "{\"retention_policy\":{\"age\":1," + "\"x\":1}}", "\"" + "s".repeat(3000) + "\"");
        int created = 0;
        for (String config : configs) {
            String stream = "fuzz-auto-" + created++;
            Answer answer = http.send("POST", "/v1/streams/" + stream + "/records", TOKEN,
                    with("s2-stream-config", config), "{\"records\":[{\"body\":\"x\"}]}");
            assertS2ClientError(answer, "s2-stream-config " + clip(config));
            assertS2Error(http.send("GET", "/v1/streams/" + stream, TOKEN, with(), (byte[]) null), 404,
                    "stream_not_found", "no stream was created by s2-stream-config " + clip(config));
        }

        // s2-request-token: 1 to 36 bytes
        for (String token : List.of("t".repeat(37), "t".repeat(1000), "\u20ac".repeat(13), "\u00e9".repeat(19))) {
            Answer stream = http.send("POST", "/v1/streams", TOKEN, with("s2-request-token", token),
                    "{\"stream\":\"fuzz-request-token\"}");
            assertS2Error(stream, 400, "bad_header", "create stream with s2-request-token " + clip(token));
            Answer basin = http.send("POST", "/v1/basins", TOKEN, with("s2-request-token", token),
                    "{\"basin\":\"fuzz-request-token\"}");
            assertS2Error(basin, 400, "bad_header", "create basin with s2-request-token " + clip(token));
        }
        assertS2Error(http.send("GET", "/v1/streams/fuzz-request-token", TOKEN, with(), (byte[]) null), 404,
                "stream_not_found", "no stream created by a refused request token");
        assertS2Error(http.send("GET", "/v1/basins/fuzz-request-token", TOKEN, with(), (byte[]) null), 404,
                "basin_not_found", "no basin created by a refused request token");

        // Last-Event-ID on an SSE read session: seq_num,count,bytes
        List<String> ids = new ArrayList<>(List.of("abc", "1,2", "1,2,3,4", "-1,0,0", "0,-1,0", "0,0,-1",
                "9223372036854775807,0,0", "99999999999999999999,0,0", "1;2;3", "1,2,x", ",,", "0x1,0,0",
                "1.0,2,3", "\u00b9,\u00b2,\u00b3", "1,2,3\u0000", "1, 2, three"));
        for (int i = 0; i < 10; i++) {
            ids.add(random.nextInt(100) + "," + randomText(random, 1 + random.nextInt(10)) + "!," + random.nextInt(9));
        }
        for (String id : ids) {
            Answer answer = http.send("GET", appendPath + "?seq_num=0", TOKEN, with("accept", "text/event-stream",
                    "last-event-id", id), (byte[]) null);
            assertS2ClientError(answer, "Last-Event-ID " + clip(id));
        }

        // headers the HTTP layer refuses (too large) still answer in S2's shape
        Answer huge = http.send("POST", appendPath, TOKEN, with("s2-request-token", "h".repeat(100_000)), valid);
        assertS2ClientError(huge, "a 100 kB header");
    }

    /** Header values the HTTP layer refuses to decode (NUL, CR): answered in S2's shape when no body follows. */
    @Test
    void undecodableHeaderValuesWithoutABodyAreClientErrors() {
        for (String name : List.of("s2-format", "s2-basin", "s2-stream-config", "last-event-id")) {
            Answer answer = http.send("GET", "/v1/streams/" + STREAM + "/records?seq_num=0", TOKEN,
                    with(name, "r\u0000aw"), (byte[]) null);
            assertS2Error(answer, 400, "bad_header", name + " holding NUL");
        }
    }

    /**
     * The same refusal when the request has a body: the layer answers 400 and closes the connection with the body
     * unread (reading was stopped), so the kernel sends RST instead of FIN and the client loses the answer
     * ("Connection reset"). In {@code ipc/http} ({@code ExchangeHandler.refuse} sets autoRead false, {@code finish}
     * closes); the fix belongs there (read and discard the rest, or shut down output and linger, before closing).
     */
    @Test
    void undecodableHeaderValueWithABodyIsAnsweredNotReset() {
        for (int i = 0; i < 20; i++) {
            Answer answer = http.send("POST", "/v1/streams/" + STREAM + "/records", TOKEN,
                    with("s2-format", "r\u0000aw"), "{\"records\":[{\"body\":\"x\"}]}");
            assertS2Error(answer, 400, "bad_header", "s2-format holding NUL, with a body");
        }
    }

    private static String randomText(SplittableRandom random, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,;:!@#$%^&*()[]{}<>/?'\"|~`+= ";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------------------------ paths, queries

    @Test
    void badPathsAreClientErrors() {
        List<String> streams = List.of("%ZZ", "abc%", "abc%4", "%%", "%C3%28", "%ED%A0%80", "%F8%88%80%80%80",
                "%C0%AF", "%FF%FE", "a%00b", "%00", "x".repeat(513), "%E2%82%AC".repeat(171), "%2", "%G0");
        for (String stream : streams) {
            for (String[] request : List.of(new String[] {"GET", "/v1/streams/" + stream + "/records?seq_num=0"},
                    new String[] {"POST", "/v1/streams/" + stream + "/records"},
                    new String[] {"GET", "/v1/streams/" + stream + "/records/tail"},
                    new String[] {"PUT", "/v1/streams/" + stream}, new String[] {"PATCH", "/v1/streams/" + stream},
                    new String[] {"DELETE", "/v1/streams/" + stream}, new String[] {"GET", "/v1/streams/" + stream})) {
                Answer answer = http.send(request[0], request[1], TOKEN, with(), "{\"records\":[{\"body\":\"x\"}]}");
                assertS2Error(answer, 400, "bad_path", request[0] + " " + clip(request[1]));
            }
        }
        List<String> basins = List.of("%ZZ", "UPPER-BASIN", "a".repeat(49), "a%00bcdefgh", "%C3%28abcdefg", "short");
        for (String basin : basins) {
            for (String method : List.of("GET", "PUT", "PATCH", "DELETE")) {
                assertS2Error(http.send(method, "/v1/basins/" + basin, TOKEN, with(), "{}"), 400, "bad_path",
                        method + " basin " + basin);
            }
        }
        for (String target : List.of("/v1/access-tokens/%ZZ", "/v1/access-tokens/%C3%28", "/v1/streams/fuzz/%ZZ",
                "/v1/streams/" + STREAM + "/records/tail%00", "/v1/nothing", "/v1/streams/" + STREAM + "/records/x/y",
                "/v1/basins/" + BASIN + "/extra", "/v1/streams/a/b/c/d/e", "/v1/metrics", "/v1")) {
            Answer answer = http.send("DELETE", target, TOKEN, with(), (byte[]) null);
            assertS2ClientError(answer, "DELETE " + target);
        }

        // raw bytes in the request line that are not ASCII, and NUL, CR or a space inside the target
        for (byte[] target : List.of(bytes("/v1/streams/\u00c3\u0028/records"), bytes("/v1/streams/\u00ff/records"),
                bytes("/v1/streams/a\u0000b/records"), bytes("/v1/streams/a b/records"),
                bytes("/v1/streams/a\rb/records"))) {
            Answer answer = http.sendRaw(bytes("GET"), target, List.<String[]>of(new String[] {"Authorization",
                "Bearer " + TOKEN}, new String[] {"s2-basin", BASIN}), null);
            assertThat(answer.status()).as("%s: %s", new String(target, StandardCharsets.ISO_8859_1), answer)
                    .isBetween(400, 499);
        }
        // a request line longer than the HTTP layer allows
        Answer longLine = http.send("GET", "/v1/streams/" + "x".repeat(20_000) + "/records", TOKEN, with(),
                (byte[]) null);
        assertThat(longLine.status()).as("%s", longLine).isBetween(400, 499);

        // random damage to valid paths
        SplittableRandom random = new SplittableRandom(5);
        String[] valid = {"/v1/streams/" + STREAM + "/records?seq_num=0", "/v1/streams/" + STREAM,
            "/v1/streams/" + STREAM + "/records/tail", "/v1/basins/" + BASIN, "/" + BASIN + "/v1/streams"};
        String[] insert = {"%", "%Z", "%00", "%C3", "%FF", "%2F", "%2E%2E", "/..", "//", "%25", "?", "#", "\u00e9"};
        for (int round = 0; round < 150; round++) {
            StringBuilder target = new StringBuilder(valid[random.nextInt(valid.length)]);
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                target.insert(1 + random.nextInt(target.length() - 1), insert[random.nextInt(insert.length)]);
            }
            Answer answer = http.sendRaw(bytes("GET"), target.toString().getBytes(StandardCharsets.UTF_8),
                    List.<String[]>of(new String[] {"Authorization", "Bearer " + TOKEN},
                        new String[] {"s2-basin", BASIN}), null);
            assertThat(answer.status()).as("round %d, %s: %s", round, target, answer).isLessThan(500);
            if (answer.status() >= 400 && target.toString().startsWith("/v1/")) {
                assertS2ClientError(answer, "round " + round + ", " + target);
            }
        }
    }

    @Test
    void badQueryParametersAreClientErrors() {
        String read = "/v1/streams/" + STREAM + "/records?";
        List<String> queries = List.of("seq_num=-1", "seq_num=abc", "seq_num=1e3", "seq_num=99999999999999999999",
                "seq_num=", "seq_num", "seq_num=1&seq_num=2", "seq_num=0&timestamp=0", "seq_num=0&tail_offset=0",
                "clamp=yes", "clamp=TRUE", "seq_num=0&count=-5", "seq_num=0&count=x", "seq_num=0&bytes=1.5",
                "seq_num=0&wait=99999999999", "seq_num=0&wait=-1", "timestamp=5&until=0", "timestamp=5&until=5",
                "tail_offset=-1", "seq_num=%ZZ", "seq_num=%", "seq_num=1%", "%ZZ=1", "seq_num=%C3%28",
                "seq_num=%00", "seq_num=0x10", "seq_num=+", "seq_num=1,2", "seq_num=\u00e9", "until=abc",
                "timestamp=9223372036854775807", "seq_num=9223372036854775807");
        for (String query : queries) {
            Answer answer = http.sendRaw(bytes("GET"), (read + query).getBytes(StandardCharsets.UTF_8),
                    List.<String[]>of(new String[] {"Authorization", "Bearer " + TOKEN},
                        new String[] {"s2-basin", BASIN}), null);
            assertS2ClientError(answer, "read ?" + query);
            Answer session = http.sendRaw(bytes("GET"), (read + query).getBytes(StandardCharsets.UTF_8),
                    List.<String[]>of(new String[] {"Authorization", "Bearer " + TOKEN},
                        new String[] {"s2-basin", BASIN}, new String[] {"accept", "text/event-stream"}), null);
            assertS2ClientError(session, "SSE read ?" + query);
        }
        for (String target : List.of("/v1/streams?limit=-1", "/v1/streams?limit=abc", "/v1/streams?prefix=%ZZ",
                "/v1/streams?start_after=%", "/v1/streams?limit=1&limit=2", "/v1/basins?limit=99999999999999999999",
                "/v1/basins?prefix=%C3", "/v1/access-tokens?limit=x", "/v1/access-tokens?start_after=%Z",
                "/v1/streams/" + STREAM + "/records/tail?x=%ZZ", "/v1/streams/" + STREAM + "?%=%")) {
            Answer answer = http.sendRaw(bytes("GET"), target.getBytes(StandardCharsets.UTF_8),
                    List.<String[]>of(new String[] {"Authorization", "Bearer " + TOKEN},
                        new String[] {"s2-basin", BASIN}), null);
            assertThat(answer.status()).as("%s: %s", target, answer).isLessThan(500);
            if (answer.status() >= 400) {
                assertS2ClientError(answer, target);
            }
        }
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String clip(String text) {
        String printable = text.replaceAll("[\\p{Cntrl}]", "?");
        return printable.length() > 120 ? printable.substring(0, 120) + "..." : printable;
    }
}
