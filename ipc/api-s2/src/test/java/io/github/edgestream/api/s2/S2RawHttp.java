package io.github.edgestream.api.s2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTTP/1.1 over a raw socket, one request a connection, so that a test controls every byte the server sees (broken
 * percent escapes, bytes that are not UTF-8, repeated headers) and can tell an answer from a connection closed
 * without one, or a hang (a read timeout). Also the check that an answer is an error in S2's shape.
 */
final class S2RawHttp {

    /** S2's error codes this API answers with ({@code {"code","message"}} bodies). */
    static final Set<String> S2_CODES = Set.of("bad_json", "bad_proto", "bad_path", "bad_query", "bad_header",
            "bad_frame", "authn", "permission_denied", "quota_exhausted", "access_token_not_found", "basin_not_found",
            "stream_not_found", "resource_already_exists", "invalid");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MILLIS = 10_000;

    private final int port;

    S2RawHttp(int port) {
        this.port = port;
    }

    /** An answer: status, headers (names in lower case; repeated ones joined), body. */
    record Answer(int status, Map<String, String> headers, byte[] rawBody) {

        String body() {
            return new String(rawBody, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(rawBody);
            } catch (IOException e) {
                throw new AssertionError("the body is not JSON: " + body(), e);
            }
        }

        String code() {
            JsonNode code = json().get("code");
            return code == null ? null : code.asText();
        }

        @Override
        public String toString() {
            String text = body();
            return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
        }
    }

    /** A request: the request line's target and the headers exactly as given (name, value pairs; repeats allowed). */
    Answer send(String method, String target, List<String[]> headers, byte[] body) {
        return sendRaw(method.getBytes(StandardCharsets.ISO_8859_1), target.getBytes(StandardCharsets.ISO_8859_1),
                headers, body);
    }

    Answer send(String method, String target, String token, Map<String, String> headers, byte[] body) {
        List<String[]> list = new ArrayList<>();
        if (token != null) {
            list.add(new String[] {"Authorization", "Bearer " + token});
        }
        headers.forEach((name, value) -> list.add(new String[] {name, value}));
        return send(method, target, list, body);
    }

    Answer send(String method, String target, String token, Map<String, String> headers, String body) {
        return send(method, target, token, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    Answer sendRaw(byte[] method, byte[] target, List<String[]> headers, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(method);
            head.write(' ');
            head.write(target);
            head.write(" HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (String[] header : headers) {
                // header values as UTF-8: a test may send bytes a server must not take for Latin-1 text
                head.write((header[0] + ": ").getBytes(StandardCharsets.ISO_8859_1));
                head.write(header[1].getBytes(StandardCharsets.UTF_8));
                head.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            byte[] content = body == null ? new byte[0] : body;
            head.write(("Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            out.write(head.toByteArray());
            out.write(content);
            out.flush();
            return parse(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT_MILLIS + " ms to " + new String(method,
                    StandardCharsets.ISO_8859_1) + " " + new String(target, StandardCharsets.ISO_8859_1), e);
        } catch (IOException e) {
            throw new AssertionError("the connection failed on " + new String(method, StandardCharsets.ISO_8859_1)
                    + " " + new String(target, StandardCharsets.ISO_8859_1) + ": " + e, e);
        }
    }

    private static Answer parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        byte[] bytes = all.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            fail("the server closed the connection without a complete answer (%d bytes: %s)", bytes.length,
                    text.length() > 200 ? text.substring(0, 200) : text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : text.substring(text.indexOf("\r\n") + 2, end).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim(), (a, b) -> a + "," + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            assertThat(body.length).as("the body is as long as Content-Length says").isEqualTo(length);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).trim(),
                    16);
            at = lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(chunked, at, Math.min(size, chunked.length - at));
            at += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Asserts the answer is a client error in S2's shape: {@code {"code","message"}} with one of S2's codes and a
     * message, or 412's and 416's own bodies.
     */
    static void assertS2ClientError(Answer answer, String context) {
        assertThat(answer.status()).as("%s: a client error, not %s", context, answer).isBetween(400, 499);
        assertThat(answer.headers().get("content-type")).as("%s: %s", context, answer).startsWith("application/json");
        JsonNode json = answer.json();
        assertThat(json.isObject()).as("%s: %s", context, answer).isTrue();
        if (answer.status() == 412) {
            assertThat(json.has("seq_num_mismatch") || json.has("fencing_token_mismatch"))
                    .as("%s: 412's body: %s", context, answer).isTrue();
            return;
        }
        if (answer.status() == 416) {
            assertThat(json.path("tail").has("seq_num")).as("%s: 416's body: %s", context, answer).isTrue();
            return;
        }
        assertThat(json.path("code").asText()).as("%s: S2's code: %s", context, answer).isIn(S2_CODES);
        assertThat(json.path("message").asText()).as("%s: a message: %s", context, answer).isNotBlank();
    }

    /** Asserts an S2 error with exactly this status and code. */
    static void assertS2Error(Answer answer, int status, String code, String context) {
        assertS2ClientError(answer, context);
        assertThat(answer.status()).as("%s: %s", context, answer).isEqualTo(status);
        assertThat(answer.code()).as("%s: %s", context, answer).isEqualTo(code);
    }
}
