package io.github.edgestream.http.auth;

import io.github.edgestream.http.auth.SignedRequest.Header;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Signs requests the way the OCI SDKs do, written from the scheme's description and independent of the verifier:
 * the signing string has one {@code name: value} line per signed name, {@code (request-target)} is the lower-case
 * method and the path and query as sent, lines are joined by {@code '\n'}, and the signature is SHA256withRSA.
 */
final class OciTestSigner {

    /** {@code Sat, 05 Dec 2026 09:00:00 GMT}: what Node's {@code Date.toUTCString()} gives. */
    static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private OciTestSigner() {
    }

    static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    static String bodyHash(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A request like the Node SDK's: {@code x-date}, {@code date} and {@code host} always, and for a signed body
     * {@code content-type}, {@code content-length} and {@code x-content-sha256}; signed with {@code key}.
     */
    static SignedRequest nodeStyle(PrivateKey key, String keyId, String method, String path, String query,
            byte[] body, boolean signBody, Instant at) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("host", "127.0.0.1:8080"));
        headers.add(new Header("x-date", httpDate(at)));
        headers.add(new Header("date", httpDate(at)));
        List<String> signed = new ArrayList<>(List.of("x-date", "(request-target)", "host"));
        if (signBody) {
            headers.add(new Header("content-type", "application/json"));
            headers.add(new Header("content-length", Integer.toString(body.length)));
            headers.add(new Header("x-content-sha256", bodyHash(body)));
            signed.addAll(List.of("content-type", "content-length", "x-content-sha256"));
        }
        return sign(key, keyId, new SignedRequest(method, path, query, headers, body), signed);
    }

    /** {@code request} with an {@code authorization} header signing {@code signed} (names as the client spells them). */
    static SignedRequest sign(PrivateKey key, String keyId, SignedRequest request, List<String> signed) {
        String signature = signature(key, signingString(request, signed));
        return withHeader(request, "authorization", "Signature version=\"1\",keyId=\"" + keyId
                + "\",algorithm=\"rsa-sha256\",headers=\"" + String.join(" ", signed) + "\",signature=\""
                + signature + "\"");
    }

    static String signingString(SignedRequest request, List<String> signed) {
        List<String> lines = new ArrayList<>();
        for (String name : signed) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("(request-target)")) {
                lines.add(lower + ": " + request.method().toLowerCase(Locale.ROOT) + " " + request.rawPath()
                        + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery()));
            } else {
                String value = request.headers().stream().filter(h -> h.name().equals(lower)).map(Header::value)
                        .findFirst().orElse("");
                lines.add(lower + ": " + value);
            }
        }
        return String.join("\n", lines);
    }

    static String signature(PrivateKey key, String signingString) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingString.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code request} with every {@code name} header replaced by one with {@code value} (added if absent). */
    static SignedRequest withHeader(SignedRequest request, String name, String value) {
        List<Header> headers = new ArrayList<>(request.headers().stream().filter(h -> !h.name().equals(name))
                .toList());
        headers.add(new Header(name, value));
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers, request.body());
    }

    static SignedRequest withoutHeader(SignedRequest request, String name) {
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(),
                request.headers().stream().filter(h -> !h.name().equals(name)).toList(), request.body());
    }

    static String header(SignedRequest request, String name) {
        return request.headers().stream().filter(h -> h.name().equals(name)).map(Header::value).findFirst()
                .orElseThrow();
    }
}
