package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.IssuedTokens;
import io.github.edgestream.http.auth.Principal;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ReductStore's token API over the HTTP layer's {@link IssuedTokens}: {@code POST|GET|DELETE /tokens/{name}},
 * {@code GET /tokens}, {@code POST /tokens/{name}/rotate} and {@code GET /me}, as reduct-js 1.20 calls them. A
 * token's permissions become scopes as {@link TokenPermissions} says; its name is the issued token's id (1 to
 * {@value IssuedTokens#MAX_ID_LENGTH} of {@code A-Z a-z 0-9 . _ -}, stricter than ReductStore).
 *
 * <p>Only a full-access caller (admin over every namespace and stream: the daemon's token, an administrator's
 * credential, a full-access token) manages tokens; the others get 403, as in ReductStore. Any authenticated caller
 * may ask {@code /me}: an issued token answers as itself; a configured credential (ReductStore's provisioned token)
 * answers with its name, {@code is_provisioned} and the permissions its scopes show, created when this API started.
 *
 * <p>Not supported, 422 saying so: {@code ttl} (expiry after inactivity: edgestream does not record a token's last
 * use) and a non-empty {@code ip_allowlist}. Differences: the listing holds the issued tokens only (those of S2's
 * API too), not the configured credentials; rotating or getting an expired token is 404 (expired tokens are gone).
 * Changes write the token file, off the event loop; a name in use is 409 and a bad one 422
 * ({@link ReductErrorTable}); a file that cannot be written is a 500 logged with the file's name.
 *
 * <p>Thread-safe: the table is; this holds nothing else that changes.
 */
final class TokenOperations {

    private static final Pattern TOKEN = Pattern.compile("/api/v1/tokens/([^/]+)(/rotate)?");

    private final IssuedTokens tokens;
    private final Clock clock;
    private final Instant started;

    /**
     * @param tokens the table shared with the HTTP layer's authenticator
     * @param clock  now: when the configured credentials came to be, as {@code /me} tells
     */
    TokenOperations(IssuedTokens tokens, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.started = clock.instant();
    }

    /** The operation for a path under {@code /api/v1/tokens} or {@code /api/v1/me}; 404 for another. */
    CompletionStage<HttpReply> route(HttpCall call) {
        String path = call.path();
        HttpMethod method = call.method();
        if (path.equals("/api/v1/me") && method.equals(HttpMethod.GET)) {
            return op(call, "Me", () -> me(call));
        }
        if ((path.equals("/api/v1/tokens") || path.equals("/api/v1/tokens/")) && method.equals(HttpMethod.GET)) {
            return op(call, "ListTokens", () -> list(call));
        }
        Matcher token = TOKEN.matcher(path);
        if (token.matches()) {
            String name = token.group(1);
            if (token.group(2) != null) {
                if (method.equals(HttpMethod.POST)) {
                    return op(call, "RotateToken", () -> rotate(call, name));
                }
            } else if (method.equals(HttpMethod.POST)) {
                return op(call, "CreateToken", () -> create(call, name));
            } else if (method.equals(HttpMethod.GET)) {
                return op(call, "GetToken", () -> get(call, name));
            } else if (method.equals(HttpMethod.DELETE)) {
                return op(call, "RemoveToken", () -> remove(call, name));
            }
        }
        call.operation("unknown");
        throw ReductException.notFound("No ReductStore operation is " + method + " " + Buckets.clip(path)
                + " on this gateway");
    }

    private static CompletionStage<HttpReply> op(HttpCall call, String name,
            Supplier<CompletionStage<HttpReply>> operation) {
        call.operation(name);
        return operation.get();
    }

    CompletionStage<HttpReply> create(HttpCall call, String name) {
        requireFullAccess(call);
        JsonNode body = BucketOperations.body(call);
        if (!body.isObject()) {
            throw ReductException.unprocessable("the body is " + TokenPermissions.describe(body) + " but must be"
                    + " an object {\"permissions\": {...}, \"expires_at\"?: time}");
        }
        TokenPermissions permissions = TokenPermissions.parse(body.get("permissions"));
        Optional<Instant> expiry = expiresAt(body.get("expires_at"));
        JsonNode ttl = body.get("ttl");
        if (ttl != null && !ttl.isNull()) {
            throw ReductException.unprocessable("ttl is " + TokenPermissions.describe(ttl) + ", but edgestream does"
                    + " not support expiry after inactivity (it does not record a token's last use); give"
                    + " expires_at instead");
        }
        JsonNode allowlist = body.get("ip_allowlist");
        if (allowlist != null && !allowlist.isNull() && !(allowlist.isArray() && allowlist.isEmpty())) {
            throw ReductException.unprocessable("ip_allowlist is " + TokenPermissions.describe(allowlist)
                    + ", but edgestream does not support restricting a token to client addresses; send none");
        }
        String issuer = call.principal().name();
        return CompletableFuture.supplyAsync(() -> {
            String token = tokens.issue(name, permissions.scopes(), expiry, issuer, Map.of());
            return created(token, issuedAt(token));
        });
    }

    private static Optional<Instant> expiresAt(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            try {
                return Optional.of(Instant.parse(node.textValue()));
            } catch (DateTimeParseException e) {
                // below
            }
        }
        throw ReductException.unprocessable("expires_at is " + TokenPermissions.describe(node) + " but must be an"
                + " RFC 3339 time such as 2027-01-01T00:00:00Z");
    }

    CompletionStage<HttpReply> list(HttpCall call) {
        requireFullAccess(call);
        List<IssuedTokens.Issued> all = tokens.list();
        return CompletableFuture.completedFuture(ReductResponses.json(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("tokens");
            for (IssuedTokens.Issued issued : all) {
                writeIssued(out, issued);
            }
            out.writeEndArray();
            out.writeEndObject();
        }));
    }

    CompletionStage<HttpReply> get(HttpCall call, String name) {
        requireFullAccess(call);
        IssuedTokens.Issued issued = tokens.get(name).orElseThrow(() -> missing(name));
        return CompletableFuture.completedFuture(ReductResponses.json(out -> writeIssued(out, issued)));
    }

    CompletionStage<HttpReply> remove(HttpCall call, String name) {
        requireFullAccess(call);
        return CompletableFuture.supplyAsync(() -> {
            if (!tokens.revoke(name)) {
                throw missing(name);
            }
            return ReductResponses.ok();
        });
    }

    CompletionStage<HttpReply> rotate(HttpCall call, String name) {
        requireFullAccess(call);
        return CompletableFuture.supplyAsync(() -> {
            String value = tokens.rotate(name).orElseThrow(() -> missing(name));
            return created(value, issuedAt(value));
        });
    }

    CompletionStage<HttpReply> me(HttpCall call) {
        Principal principal = call.principal();
        Optional<IssuedTokens.Issued> issued = presented(call).flatMap(tokens::byToken)
                .filter(t -> t.principal().name().equals(principal.name()));
        if (issued.isPresent()) {
            return CompletableFuture.completedFuture(ReductResponses.json(out -> writeIssued(out, issued.get())));
        }
        return CompletableFuture.completedFuture(ReductResponses.json(out -> {
            out.writeStartObject();
            out.writeStringField("name", principal.name());
            out.writeStringField("created_at", started.toString());
            out.writeBooleanField("is_provisioned", true);
            out.writeBooleanField("is_expired", false);
            out.writeArrayFieldStart("ip_allowlist");
            out.writeEndArray();
            TokenPermissions.of(principal.scopes()).write(out);
            out.writeEndObject();
        }));
    }

    /** The Bearer token of the call, if it has one. */
    private static Optional<String> presented(HttpCall call) {
        String value = call.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (value == null || value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(value.substring(7).trim());
    }

    /** When a token just issued or rotated was (now, should it be revoked in the meantime). */
    private Instant issuedAt(String token) {
        return tokens.byToken(token).map(IssuedTokens.Issued::issuedAt).orElseGet(clock::instant);
    }

    /** As ReductStore answers a created or rotated token: the only time its value is shown. */
    private static HttpReply created(String value, Instant createdAt) {
        return ReductResponses.json(out -> {
            out.writeStartObject();
            out.writeStringField("value", value);
            out.writeStringField("created_at", createdAt.toString());
            out.writeEndObject();
        });
    }

    /** A token as ReductStore lists it, without its value. */
    private static void writeIssued(JsonGenerator out, IssuedTokens.Issued issued) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", issued.id());
        out.writeStringField("created_at", issued.issuedAt().toString());
        out.writeBooleanField("is_provisioned", false);
        if (issued.expiresAt().isPresent()) {
            out.writeStringField("expires_at", issued.expiresAt().get().toString());
        }
        out.writeBooleanField("is_expired", false); // an expired token is gone from the table
        out.writeArrayFieldStart("ip_allowlist");
        out.writeEndArray();
        TokenPermissions.of(issued.scopes()).write(out);
        out.writeEndObject();
    }

    private static ReductException missing(String name) {
        return ReductException.notFound("Token '" + Buckets.clip(name) + "' doesn't exist");
    }

    /** Only full access manages tokens, as ReductStore's FullAccessPolicy. */
    private static void requireFullAccess(HttpCall call) {
        Principal principal = call.principal();
        if (!TokenPermissions.fullAccess(principal.scopes())) {
            throw new ReductException(403, "Token '" + principal.name() + "' doesn't have full access: managing"
                    + " tokens takes admin over every namespace and stream");
        }
    }
}
