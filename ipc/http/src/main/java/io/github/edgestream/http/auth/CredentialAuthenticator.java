package io.github.edgestream.http.auth;

import io.github.edgestream.http.HttpAuthenticator;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpProblem;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates requests against the configured credentials: AWS SigV4 (signature verified, see
 * {@link SigV4Verifier}) for the AWS APIs, OCI HTTP signatures (see {@link OciSignatureVerifier}, keys looked up by
 * OCI key id) for the OCI APIs, {@code Authorization: Bearer <token>} for the others. The daemon's own
 * token (the Greengrass auth token) is a credential with every permission: as a Bearer token, and as the secret
 * access key of access key id {@value #DAEMON_ACCESS_KEY_ID} for SigV4 clients. Tokens issued at run time
 * ({@link IssuedTokens}) are Bearer tokens only. The daemon's token cannot sign OCI requests (OCI signatures need an
 * RSA key pair): an OCI client authenticates with a configured credential's key, or not at all.
 *
 * <p>A Bearer token is tried as the daemon's token, then as a configured credential's, then as an issued token.
 *
 * <p>Thread-safe.
 */
public final class CredentialAuthenticator implements HttpAuthenticator {

    /** The access key id under which SigV4 clients present the daemon's own token as their secret key. */
    public static final String DAEMON_ACCESS_KEY_ID = "edgestream";

    private final CredentialStore credentials;
    private final IssuedTokens issued;
    /** The daemon's own token: not a configured credential (it is whatever the daemon was given, of any length). */
    private final Optional<byte[]> daemonToken;
    private final Clock clock;
    private final Map<String, SigV4Verifier> verifiers = new ConcurrentHashMap<>();
    private final OciSignatureVerifier ociVerifier;

    /**
     * @param credentials the configured credentials
     * @param daemonToken the daemon's own token, if any: every permission
     * @param clock       now, for the signatures' clock-skew check
     */
    public CredentialAuthenticator(List<Credential> credentials, Optional<String> daemonToken, Clock clock) {
        this(credentials, daemonToken, clock, IssuedTokens.inMemory(clock));
    }

    /**
     * @param credentials the configured credentials
     * @param daemonToken the daemon's own token, if any: every permission
     * @param clock       now, for the signatures' clock-skew check
     * @param issued      the tokens issued at run time, authenticating as {@code token:<id>} with their scope
     */
    public CredentialAuthenticator(List<Credential> credentials, Optional<String> daemonToken, Clock clock,
            IssuedTokens issued) {
        for (Credential credential : credentials) {
            if (credential.accessKeyId().filter(DAEMON_ACCESS_KEY_ID::equals).isPresent()) {
                throw new IllegalArgumentException("credential \"" + credential.name() + "\": accessKeyId "
                        + DAEMON_ACCESS_KEY_ID + " is the daemon's own; choose another");
            }
        }
        this.credentials = new CredentialStore(credentials);
        this.daemonToken = daemonToken.filter(token -> !token.isEmpty())
                .map(token -> token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issued = Objects.requireNonNull(issued, "issued");
        this.ociVerifier = new OciSignatureVerifier(
                keyId -> this.credentials.byOciKeyId(keyId).flatMap(Credential::ociKey)
                        .map(Credential.OciKey::publicKey), clock);
    }

    /** The tokens issued at run time, for the APIs that issue, list and revoke them. */
    public IssuedTokens issuedTokens() {
        return issued;
    }

    @Override
    public Authentication authenticate(AuthScheme scheme, HttpCall call) {
        return switch (scheme.kind()) {
            case SIGV4 -> sigV4(scheme.service(), call);
            case BEARER -> bearer(call);
            case OCI -> oci(call, true);
            case OCI_BODY_OPTIONAL -> oci(call, false);
        };
    }

    private Authentication sigV4(String service, HttpCall call) {
        SigV4Verifier verifier = verifiers.computeIfAbsent(service, name -> new SigV4Verifier(this::secretOf, clock,
                SigV4Verifier.DEFAULT_MAX_SKEW, name));
        SigV4Result result = verifier.verify(signedRequest(call));
        if (result instanceof SigV4Result.Success success) {
            return new Authentication.Granted(success.accessKeyId().equals(DAEMON_ACCESS_KEY_ID) ? DAEMON
                    : credentials.byAccessKeyId(success.accessKeyId()).orElseThrow().principal());
        }
        SigV4Result.Failure failure = (SigV4Result.Failure) result;
        HttpProblem.Kind kind = switch (failure.reason()) {
            case MISSING -> HttpProblem.Kind.UNAUTHENTICATED;
            case EXPIRED -> HttpProblem.Kind.EXPIRED_SIGNATURE;
            case MALFORMED -> HttpProblem.Kind.MALFORMED_CREDENTIALS;
            case UNKNOWN_KEY -> HttpProblem.Kind.UNKNOWN_CREDENTIAL;
            case SIGNATURE_MISMATCH, BODY_HASH_MISMATCH -> HttpProblem.Kind.BAD_CREDENTIALS;
        };
        return new Authentication.Refused(new HttpProblem(kind, failure.message()));
    }

    private Authentication oci(HttpCall call, boolean bodyMustBeSigned) {
        OciSignatureResult result = ociVerifier.verify(signedRequest(call), bodyMustBeSigned);
        if (result instanceof OciSignatureResult.Success success) {
            return new Authentication.Granted(credentials.byOciKeyId(success.keyId()).orElseThrow().principal());
        }
        OciSignatureResult.Failure failure = (OciSignatureResult.Failure) result;
        HttpProblem.Kind kind = switch (failure.reason()) {
            case MISSING -> HttpProblem.Kind.UNAUTHENTICATED;
            case EXPIRED -> HttpProblem.Kind.EXPIRED_SIGNATURE;
            case MALFORMED -> HttpProblem.Kind.MALFORMED_CREDENTIALS;
            case UNKNOWN_KEY -> HttpProblem.Kind.UNKNOWN_CREDENTIAL;
            case SIGNATURE_MISMATCH, BODY_HASH_MISMATCH, BODY_NOT_SIGNED -> HttpProblem.Kind.BAD_CREDENTIALS;
        };
        return new Authentication.Refused(new HttpProblem(kind, failure.message()));
    }

    /** The call as the signature verifiers see it: over HTTP/2, the authority under both host and :authority. */
    private static SignedRequest signedRequest(HttpCall call) {
        List<SignedRequest.Header> headers = new ArrayList<>();
        for (Map.Entry<String, String> header : call.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-http2-")) {
                continue; // Netty's notes on an HTTP/2 request, not the client's headers
            }
            headers.add(new SignedRequest.Header(name, header.getValue()));
        }
        if (call.protocol().equals("HTTP/2")) {
            // Netty turned the :authority pseudo-header into host: give the verifier both names for it
            String authority = call.headers().get(HttpHeaderNames.HOST);
            if (authority != null) {
                headers.add(new SignedRequest.Header(":authority", authority));
            }
        }
        return new SignedRequest(call.method().name(), call.rawPath(), call.rawQuery(), headers,
                ByteBufUtil.getBytes(call.body()));
    }

    private Authentication bearer(HttpCall call) {
        List<String> values = call.headers().getAll(HttpHeaderNames.AUTHORIZATION);
        if (values.isEmpty()) {
            return refused(HttpProblem.Kind.UNAUTHENTICATED, "the request has no Authorization header;"
                    + " send Authorization: Bearer <token>");
        }
        if (values.size() > 1) {
            return refused(HttpProblem.Kind.BAD_CREDENTIALS, "the request has " + values.size()
                    + " Authorization headers; send one");
        }
        String value = values.get(0);
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refused(HttpProblem.Kind.BAD_CREDENTIALS, "the Authorization header is not \"Bearer <token>\"");
        }
        String token = value.substring(7).trim();
        if (token.isEmpty() || token.length() > 4096) {
            return refused(HttpProblem.Kind.BAD_CREDENTIALS, "the Bearer token must be 1 to 4096 characters");
        }
        byte[] presented = token.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (daemonToken.isPresent() && java.security.MessageDigest.isEqual(daemonToken.get(), presented)) {
            return new Authentication.Granted(DAEMON);
        }
        Optional<Credential> configured = credentials.byToken(token);
        if (configured.isPresent()) {
            return new Authentication.Granted(configured.get().principal());
        }
        return issued.byToken(token).<Authentication>map(t -> new Authentication.Granted(t.principal()))
                .orElseGet(() -> refused(HttpProblem.Kind.BAD_CREDENTIALS, "the Bearer token is not valid"));
    }

    private static final Principal DAEMON = Principal.everything("daemon");

    /** The secret access key of an access key id: the daemon's token for {@value #DAEMON_ACCESS_KEY_ID}. */
    private Optional<String> secretOf(String accessKeyId) {
        if (accessKeyId.equals(DAEMON_ACCESS_KEY_ID)) {
            return daemonToken.map(token -> new String(token, java.nio.charset.StandardCharsets.UTF_8));
        }
        return credentials.byAccessKeyId(accessKeyId).flatMap(Credential::secretAccessKey);
    }

    private static Authentication refused(HttpProblem.Kind kind, String message) {
        return new Authentication.Refused(new HttpProblem(kind, message));
    }
}
