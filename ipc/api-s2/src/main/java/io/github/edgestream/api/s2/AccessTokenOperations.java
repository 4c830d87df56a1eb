package io.github.edgestream.api.s2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.IssuedTokens;
import io.github.edgestream.http.auth.Permission;
import io.github.edgestream.http.auth.Principal;
import io.github.edgestream.http.auth.Scope;
import io.github.edgestream.http.auth.TokenExistsException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * S2's access tokens ({@code /v1/access-tokens}: issue, list, revoke) over the HTTP layer's table of issued tokens,
 * so that an operator can hand a producer a token that may only append to one stream.
 *
 * <p>An S2 scope becomes one edgestream {@link Scope}: {@code basins} and {@code streams} ({@code exact} or
 * {@code prefix}) become namespace and stream globs; the operations ({@code ops} and {@code op_groups}) become
 * permissions: read, check-tail, get-*-config and list-* give read; append gives write; trim, fence and creating,
 * deleting and reconfiguring streams and basins give admin (which includes read and write). Only a caller holding
 * admin over every basin and stream (the daemon's token, an administrator's credential) may issue, list or revoke
 * tokens. Not supported (422): {@code auto_prefix_streams}, and names holding {@code *} or {@code ?}.
 */
final class AccessTokenOperations {

    static final Set<String> READ_OPS = Set.of("read", "check-tail", "get-stream-config", "list-streams",
            "get-basin-config", "list-basins");
    static final Set<String> WRITE_OPS = Set.of("append");
    static final Set<String> ADMIN_OPS = Set.of("trim", "fence", "create-stream", "delete-stream",
            "reconfigure-stream", "create-basin", "delete-basin", "reconfigure-basin");

    private final IssuedTokens tokens;

    AccessTokenOperations(IssuedTokens tokens) {
        this.tokens = tokens;
    }

    CompletionStage<HttpReply> issue(HttpCall call) {
        call.operation("issue-access-token");
        requireManager(call);
        JsonNode body = S2RequestDecoder.json(call);
        JsonNode idNode = body.get("id");
        if (idNode == null || !idNode.isTextual()) {
            throw S2Exception.badJson("id is " + S2RequestDecoder.describe(idNode) + " but must be the token's id");
        }
        String id = idNode.asText();
        JsonNode prefix = body.get("auto_prefix_streams");
        if (prefix != null && prefix.asBoolean(false)) {
            throw S2Exception.invalid("auto_prefix_streams is not supported by edgestream; name the streams in"
                    + " scope.streams instead");
        }
        Optional<Instant> expires = Optional.empty();
        JsonNode expiresNode = body.get("expires_at");
        if (expiresNode != null && !expiresNode.isNull()) {
            try {
                expires = Optional.of(Instant.parse(expiresNode.asText()));
            } catch (DateTimeParseException e) {
                throw S2Exception.badJson("expires_at is " + S2RequestDecoder.describe(expiresNode)
                        + " but must be an RFC 3339 time such as 2027-01-01T00:00:00Z");
            }
        }
        JsonNode scopeNode = body.get("scope");
        if (scopeNode == null || !scopeNode.isObject()) {
            throw S2Exception.badJson("scope is " + S2RequestDecoder.describe(scopeNode) + " but must be an object");
        }
        Scope scope = scope(scopeNode);
        Map<String, String> attributes = new HashMap<>();
        attributes.put("scope", scopeNode.toString());
        if (scopeNode.toString().length() > IssuedTokens.MAX_ATTRIBUTE_VALUE_LENGTH) {
            throw S2Exception.invalid("scope is " + scopeNode.toString().length() + " characters of JSON but may be"
                    + " at most " + IssuedTokens.MAX_ATTRIBUTE_VALUE_LENGTH);
        }
        Optional<Instant> expiry = expires;
        return CompletableFuture.supplyAsync(() -> {
            try {
                String token = tokens.issue(id, scope, expiry, call.principal().name(), attributes);
                ObjectNode answer = BodyCodecs.json().createObjectNode();
                answer.put("access_token", token);
                return S2ResponseEncoder.json(201, answer);
            } catch (TokenExistsException e) {
                throw new S2Exception(409, "resource_already_exists", "access token \"" + id + "\" already exists");
            } catch (IllegalArgumentException e) {
                throw S2Exception.invalid(e.getMessage());
            }
        });
    }

    CompletionStage<HttpReply> list(HttpCall call) {
        call.operation("list-access-tokens");
        requireManager(call);
        AdminOperations.Page page = AdminOperations.Page.of(call);
        List<IssuedTokens.Issued> all = tokens.list();
        List<String> ids = all.stream().map(IssuedTokens.Issued::id).sorted().toList();
        List<String> selected = page.select(ids);
        ObjectNode body = BodyCodecs.json().createObjectNode();
        ArrayNode list = body.putArray("access_tokens");
        for (String id : selected) {
            tokens.get(id).ifPresent(issued -> list.add(info(issued)));
        }
        body.put("has_more", page.hasMore(ids, selected));
        return CompletableFuture.completedFuture(S2ResponseEncoder.json(200, body));
    }

    CompletionStage<HttpReply> revoke(HttpCall call, String id) {
        call.operation("revoke-access-token");
        requireManager(call);
        return CompletableFuture.supplyAsync(() -> {
            if (!tokens.revoke(id)) {
                throw new S2Exception(404, "access_token_not_found", "access token \"" + id + "\" does not exist");
            }
            return HttpReply.empty(204);
        });
    }

    private static ObjectNode info(IssuedTokens.Issued issued) {
        ObjectNode info = BodyCodecs.json().createObjectNode();
        info.put("id", issued.id());
        if (issued.expiresAt().isPresent()) {
            info.put("expires_at", issued.expiresAt().get().toString());
        } else {
            info.putNull("expires_at");
        }
        info.put("auto_prefix_streams", false);
        try {
            info.set("scope", BodyCodecs.json().readTree(issued.attributes().getOrDefault("scope", "{}")));
        } catch (IOException e) {
            info.putObject("scope");
        }
        return info;
    }

    /** Only a caller with admin over every basin and stream manages tokens. */
    private static void requireManager(HttpCall call) {
        Principal principal = call.principal();
        boolean everything = principal.scopes().stream().anyMatch(s -> s.namespaces().contains("*")
                && s.streams().contains("*") && s.permissions().contains(Permission.ADMIN));
        if (!everything) {
            throw new S2Exception(403, "permission_denied", "credential \"" + principal.name() + "\" may not manage"
                    + " access tokens: that takes admin over every basin and stream");
        }
    }

    /** An S2 scope as the layer's scope. */
    static Scope scope(JsonNode node) {
        List<String> namespaces = globs(node.get("basins"), "scope.basins", S2Names.PREFIX);
        List<String> streams = globs(node.get("streams"), "scope.streams", "");
        EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
        JsonNode ops = node.get("ops");
        if (ops != null && !ops.isNull()) {
            if (!ops.isArray()) {
                throw S2Exception.badJson("scope.ops is " + S2RequestDecoder.describe(ops) + " but must be a list");
            }
            for (JsonNode op : ops) {
                String name = op.asText();
                if (READ_OPS.contains(name)) {
                    permissions.add(Permission.READ);
                } else if (WRITE_OPS.contains(name)) {
                    permissions.add(Permission.WRITE);
                } else if (ADMIN_OPS.contains(name)) {
                    permissions.add(Permission.ADMIN);
                }
            }
        }
        JsonNode groups = node.get("op_groups");
        if (groups != null && groups.isObject()) {
            for (String level : List.of("account", "basin", "stream")) {
                JsonNode group = groups.get(level);
                if (group != null && group.isObject()) {
                    if (group.path("read").asBoolean(false)) {
                        permissions.add(Permission.READ);
                    }
                    if (group.path("write").asBoolean(false)) {
                        permissions.add(level.equals("stream") ? Permission.WRITE : Permission.ADMIN);
                    }
                }
            }
        }
        if (permissions.isEmpty()) {
            throw S2Exception.invalid("the scope grants no operation edgestream knows (ops such as read, append,"
                    + " check-tail, create-stream, or op_groups)");
        }
        return new Scope(namespaces, streams, permissions);
    }

    /** {@code {"exact": n}} or {@code {"prefix": p}} as globs; required (a token covering nothing is refused). */
    private static List<String> globs(JsonNode set, String path, String namePrefix) {
        if (set == null || set.isNull() || !set.isObject() || set.size() != 1) {
            throw S2Exception.invalid(path + " is " + S2RequestDecoder.describe(set) + " but must be {\"exact\":"
                    + " name} or {\"prefix\": prefix}: a token that covers none is of no use");
        }
        String kind = set.fieldNames().next();
        String value = set.get(kind).asText();
        if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
            throw S2Exception.invalid(path + " is \"" + S2RequestDecoder.clip(value) + "\": edgestream scopes do not"
                    + " support names holding * or ?");
        }
        return switch (kind) {
            case "exact" -> {
                if (value.isEmpty()) {
                    throw S2Exception.invalid(path + ".exact is empty, which covers nothing");
                }
                yield new ArrayList<>(List.of(namePrefix + value));
            }
            case "prefix" -> new ArrayList<>(List.of(namePrefix + value + "*"));
            default -> throw S2Exception.badJson(path + " has \"" + S2RequestDecoder.clip(kind) + "\" but must have"
                    + " exact or prefix");
        };
    }
}
