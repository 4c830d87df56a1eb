package io.github.edgestream.http.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A raw OCI client for tests, signing as Oracle's Java SDK does (written from the scheme, independent of the
 * verifier): it signs {@code date} (not {@code x-date}), {@code (request-target)} and {@code host}, and for a body
 * {@code content-length}, {@code content-type} and {@code x-content-sha256}; PutMessages is signed without its body.
 * So an OCI API is exercised by a second client besides the Node SDK, whose quirks (x-date, cursors left
 * unencoded) it must not depend on. Used by the OCI API's tests and the daemon's (in this test-jar for both).
 */
public final class OciSigningClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String keyId;
    private final PrivateKey key;

    /** A client of {@code endpoint} signing with {@code key} as {@code keyId}; no key: unsigned requests. */
    public OciSigningClient(URI endpoint, String keyId, PrivateKey key) {
        this.endpoint = endpoint;
        this.keyId = keyId;
        this.key = key;
    }

    /** An answer: status, the JSON body (or null), and the response. */
    public record Reply(int status, JsonNode json, HttpResponse<String> response) {
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        public String code() {
            return json == null ? null : json.path("code").asText(null);
        }

        public String message() {
            return json == null ? response.body() : json.path("message").asText(response.body());
        }
    }

    public Reply get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, true, Instant.now());
    }

    public Reply delete(String pathAndQuery) {
        return send("DELETE", pathAndQuery, null, true, Instant.now());
    }

    public Reply post(String pathAndQuery, String body) {
        return send("POST", pathAndQuery, body, !pathAndQuery.matches("/20180418/streams/[^/?]+/messages"),
                Instant.now());
    }

    public Reply put(String pathAndQuery, String body) {
        return send("PUT", pathAndQuery, body, true, Instant.now());
    }

    /** A request signed at {@code at}; {@code signBody}: as every call with a body but PutMessages. */
    public Reply send(String method, String pathAndQuery, String body, boolean signBody, Instant at) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        String host = endpoint.getHost() + ":" + endpoint.getPort();
        String date = HTTP_DATE.format(at);
        List<String> lines = new ArrayList<>(List.of("date: " + date, "(request-target): "
                + method.toLowerCase(Locale.ROOT) + " " + pathAndQuery, "host: " + host));
        String names = "date (request-target) host";
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(10)).header("date", date).header("accept", "application/json")
                .header("opc-request-id", "java-test");
        if (bytes != null) {
            request.header("content-type", "application/json");
            if (signBody) {
                String hash = sha256(bytes);
                request.header("x-content-sha256", hash);
                lines.addAll(List.of("content-length: " + bytes.length, "content-type: application/json",
                        "x-content-sha256: " + hash));
                names += " content-length content-type x-content-sha256";
            }
        }
        if (key != null) {
            request.header("authorization", "Signature version=\"1\",headers=\"" + names + "\",keyId=\"" + keyId
                    + "\",algorithm=\"rsa-sha256\",signature=\""
                    + OciTestSigner.signature(key, String.join("\n", lines)) + "\"");
        }
        request.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (!response.body().isEmpty()) {
                try {
                    json = JSON.readTree(response.body());
                } catch (IOException notJson) {
                    json = null;
                }
            }
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] body) {
        return OciTestSigner.bodyHash(body);
    }

    public static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-encodes every character but letters and digits, as a strict client may (the Java SDK encodes). */
    public static String encodeAll(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (Character.isLetterOrDigit(b)) {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
