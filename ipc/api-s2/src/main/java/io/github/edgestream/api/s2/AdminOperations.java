package io.github.edgestream.api.s2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * S2's basin and stream administration: create (idempotent with {@code s2-request-token}), list (prefix,
 * start_after, limit, has_more), get configuration, ensure (PUT, {@code s2-provision-result}), reconfigure (PATCH)
 * and delete. Every operation checks the caller's scope: listing and reading configuration need read, the rest admin.
 */
final class AdminOperations {

    /** Where a stream keeps the hash of the request token (and configuration) that created it. */
    static final String TAG_REQUEST_TOKEN = "s2.request_token";
    static final String ATTRIBUTE_REQUEST_TOKEN = "request_token";
    static final int MAX_REQUEST_TOKEN_BYTES = 36;
    static final int MAX_LIST_LIMIT = 1000;

    private final Basins basins;

    AdminOperations(Basins basins) {
        this.basins = basins;
    }

    // ------------------------------------------------------------------------------------------------ basins

    CompletionStage<HttpReply> listBasins(HttpCall call) {
        call.operation("list-basins");
        Page page = Page.of(call);
        List<String> visible = basins.list().stream()
                .filter(b -> call.principal().allowsNamespace(Permission.READ, S2Names.namespace(b))).toList();
        List<String> selected = page.select(visible);
        ObjectNode body = BodyCodecs.json().createObjectNode();
        ArrayNode list = body.putArray("basins");
        for (String basin : selected) {
            list.add(basinInfo(basin));
        }
        body.put("has_more", page.hasMore(visible, selected));
        return done(S2ResponseEncoder.json(200, body));
    }

    CompletionStage<HttpReply> createBasin(HttpCall call) {
        call.operation("create-basin");
        JsonNode body = S2RequestDecoder.json(call);
        JsonNode nameNode = body.get("basin");
        if (nameNode == null || !nameNode.isTextual()) {
            throw S2Exception.badJson("basin is " + S2RequestDecoder.describe(nameNode) + " but must be the basin's"
                    + " name");
        }
        String basin = S2Names.basin(nameNode.asText(), "basin");
        requireAdmin(call, basin);
        BasinConfig config = BasinConfig.parse(body.get("config"), "config");
        Optional<String> token = requestToken(call).map(t -> fingerprint(t, config.toJson().toString()));
        Map<String, String> attributes = new java.util.HashMap<>(Map.of(Basins.ATTRIBUTE_CONFIG,
                config.toJson().toString(), Basins.ATTRIBUTE_CREATED_AT, basins.now()));
        token.ifPresent(t -> attributes.put(ATTRIBUTE_REQUEST_TOKEN, t));
        return basins.service().addNamespace(S2Names.namespace(basin), attributes).thenApply(created -> {
            if (created) {
                return S2ResponseEncoder.json(201, basinInfo(basin)).header("s2-provision-result", "created");
            }
            Optional<String> stored = basins.service().namespaceAttributes(S2Names.namespace(basin))
                    .map(a -> a.get(ATTRIBUTE_REQUEST_TOKEN));
            if (token.isPresent() && stored.isPresent() && stored.get().equals(token.get())) {
                return S2ResponseEncoder.json(201, basinInfo(basin)).header("s2-provision-result", "noop");
            }
            throw new S2Exception(409, "resource_already_exists", "basin \"" + basin + "\" already exists");
        });
    }

    CompletionStage<HttpReply> getBasinConfig(HttpCall call, String basin) {
        call.operation("get-basin-config");
        requireRead(call, basin);
        return done(S2ResponseEncoder.json(200, basins.config(basin).toJson()));
    }

    CompletionStage<HttpReply> ensureBasin(HttpCall call, String basin) {
        call.operation("ensure-basin");
        requireAdmin(call, basin);
        JsonNode body = S2RequestDecoder.json(call);
        BasinConfig wanted = BasinConfig.parse(body.get("config"), "config");
        if (!basins.exists(basin)) {
            return basins.create(basin, wanted).thenCompose(created -> created
                    ? done(S2ResponseEncoder.json(201, basinInfo(basin)).header("s2-provision-result", "created"))
                    : ensureBasin(call, basin));
        }
        if (basins.config(basin).equals(wanted)) {
            return done(S2ResponseEncoder.json(200, basinInfo(basin)).header("s2-provision-result", "noop"));
        }
        return basins.reconfigure(basin, wanted).thenApply(v -> S2ResponseEncoder.json(200, basinInfo(basin))
                .header("s2-provision-result", "updated"));
    }

    CompletionStage<HttpReply> reconfigureBasin(HttpCall call, String basin) {
        call.operation("reconfigure-basin");
        requireAdmin(call, basin);
        BasinConfig current = basins.config(basin);
        JsonNode body = S2RequestDecoder.json(call);
        BasinConfig changed = current.reconfigured(body, "body");
        JsonNode defaults = body.get("default_stream_config");
        if (defaults != null && defaults.isNull()) {
            changed = new BasinConfig(changed.createStreamOnAppend(), changed.createStreamOnRead(),
                    StreamConfig.EMPTY);
        } else if (defaults != null) {
            changed = new BasinConfig(changed.createStreamOnAppend(), changed.createStreamOnRead(),
                    current.defaultStreamConfig().patched(defaults, "default_stream_config", StreamConfig.EMPTY));
        }
        BasinConfig result = changed;
        return basins.reconfigure(basin, result).thenApply(v -> S2ResponseEncoder.json(200, result.toJson()));
    }

    CompletionStage<HttpReply> deleteBasin(HttpCall call, String basin) {
        call.operation("delete-basin");
        requireAdmin(call, basin);
        return basins.delete(basin).thenApply(existed -> {
            if (!existed) {
                throw new S2Exception(404, "basin_not_found", "basin \"" + basin + "\" does not exist");
            }
            return HttpReply.empty(202);
        });
    }

    private ObjectNode basinInfo(String basin) {
        ObjectNode info = BodyCodecs.json().createObjectNode();
        info.put("name", basin);
        info.putNull("location");
        info.put("created_at", basins.createdAt(basin));
        info.putNull("deleted_at");
        info.put("state", "active");
        return info;
    }

    // ------------------------------------------------------------------------------------------------ streams

    CompletionStage<HttpReply> listStreams(HttpCall call, String basin) {
        call.operation("list-streams");
        Page page = Page.of(call);
        StreamService streams = basins.basin(basin);
        Namespace ns = S2Names.namespace(basin);
        return streams.list().thenApply(names -> {
            List<String> visible = names.stream().map(StreamName::value)
                    .filter(n -> call.principal().allows(Permission.READ, ns, n)).sorted().toList();
            List<String> selected = page.select(visible);
            ObjectNode body = BodyCodecs.json().createObjectNode();
            ArrayNode list = body.putArray("streams");
            for (String name : selected) {
                Basins.find(streams, StreamName.anyOf(name)).ifPresent(s -> list.add(streamInfo(s)));
            }
            body.put("has_more", page.hasMore(visible, selected));
            return S2ResponseEncoder.json(200, body);
        });
    }

    CompletionStage<HttpReply> createStream(HttpCall call, String basin) {
        call.operation("create-stream");
        JsonNode body = S2RequestDecoder.json(call);
        JsonNode nameNode = body.get("stream");
        if (nameNode == null || !nameNode.isTextual()) {
            throw S2Exception.badJson("stream is " + S2RequestDecoder.describe(nameNode) + " but must be the"
                    + " stream's name");
        }
        StreamName name = S2Names.stream(nameNode.asText(), "stream");
        requireAdmin(call, basin, name);
        StreamService streams = basins.basin(basin);
        JsonNode configNode = body.get("config");
        StreamConfig config = StreamConfig.parse(configNode, "config");
        Optional<String> token = requestToken(call).map(t -> fingerprint(t,
                configNode == null ? "null" : configNode.toString()));
        StreamDefinition definition = basins.definition(basin, name, config);
        if (token.isPresent()) {
            Map<String, String> tags = new java.util.HashMap<>(definition.tags());
            tags.put(TAG_REQUEST_TOKEN, token.get());
            definition = definition.withTags(tags);
        }
        return streams.create(definition).handle((created, failure) -> {
            if (failure == null) {
                MessageStream stream = Basins.find(streams, name).orElseThrow();
                return S2ResponseEncoder.json(201, streamInfo(stream)).header("s2-provision-result", "created");
            }
            if (Basins.unwrap(failure) instanceof StreamAlreadyExistsException && token.isPresent()) {
                Optional<MessageStream> existing = Basins.find(streams, name);
                if (existing.isPresent() && token.get().equals(existing.get().definition().tags()
                        .get(TAG_REQUEST_TOKEN))) {
                    return S2ResponseEncoder.json(201, streamInfo(existing.get())).header("s2-provision-result",
                            "noop");
                }
            }
            throw rethrow(failure);
        });
    }

    CompletionStage<HttpReply> getStreamConfig(HttpCall call, String basin, StreamName name) {
        call.operation("get-stream-config");
        requireRead(call, basin, name);
        MessageStream stream = existing(basin, name);
        return done(S2ResponseEncoder.json(200, StreamConfig.of(stream.definition()).toJson()));
    }

    CompletionStage<HttpReply> ensureStream(HttpCall call, String basin, StreamName name) {
        call.operation("ensure-stream");
        requireAdmin(call, basin, name);
        StreamService streams = basins.basin(basin);
        StreamConfig wanted = StreamConfig.parse(S2RequestDecoder.json(call), "body");
        Optional<MessageStream> existing = Basins.find(streams, name);
        if (existing.isEmpty()) {
            return streams.create(basins.definition(basin, name, wanted)).handle((created, failure) -> {
                if (failure != null) {
                    throw rethrow(failure);
                }
                return S2ResponseEncoder.json(201, streamInfo(Basins.find(streams, name).orElseThrow()))
                        .header("s2-provision-result", "created");
            });
        }
        StreamDefinition target = basins.definition(basin, name, wanted);
        return apply(streams, existing.get(), StreamConfig.of(target)).thenApply(changed -> S2ResponseEncoder.json(
                200, streamInfo(Basins.find(streams, name).orElseThrow()))
                .header("s2-provision-result", changed ? "updated" : "noop"));
    }

    CompletionStage<HttpReply> reconfigureStream(HttpCall call, String basin, StreamName name) {
        call.operation("reconfigure-stream");
        requireAdmin(call, basin, name);
        StreamService streams = basins.basin(basin);
        MessageStream stream = existing(basin, name);
        StreamConfig current = StreamConfig.of(stream.definition());
        StreamConfig changed = current.patched(S2RequestDecoder.json(call), "body",
                StreamConfig.defaults(basins.settings().retention()));
        return apply(streams, stream, changed).thenApply(done -> S2ResponseEncoder.json(200,
                StreamConfig.of(Basins.find(streams, name).orElseThrow().definition()).toJson()));
    }

    /** Makes a stream's definition carry a configuration: its time to live and its tags. Completes with whether it changed. */
    private CompletionStage<Boolean> apply(StreamService streams, MessageStream stream, StreamConfig config) {
        StreamDefinition current = stream.definition();
        StreamConfig before = StreamConfig.of(current);
        if (before.equals(config)) {
            return CompletableFuture.completedFuture(false);
        }
        StreamDefinition.Builder builder = current.toBuilder().timeToLive(config.timeToLive().orElse(null));
        return streams.update(builder.build()).thenCompose(info -> streams.tag(stream.name(), config.tags(),
                java.util.Set.of())).thenApply(tags -> true);
    }

    CompletionStage<HttpReply> deleteStream(HttpCall call, String basin, StreamName name) {
        call.operation("delete-stream");
        requireAdmin(call, basin, name);
        return basins.basin(basin).delete(name).thenApply(v -> HttpReply.empty(202));
    }

    private MessageStream existing(String basin, StreamName name) {
        return Basins.find(basins.basin(basin), name).orElseThrow(() -> new S2Exception(404, "stream_not_found",
                "stream \"" + name + "\" does not exist in basin \"" + basin + "\""));
    }

    static ObjectNode streamInfo(MessageStream stream) {
        ObjectNode info = BodyCodecs.json().createObjectNode();
        info.put("name", stream.name().value());
        info.put("created_at", stream.definition().createdAt().orElse(Instant.EPOCH).toString());
        info.putNull("deleted_at");
        info.putNull("cipher");
        return info;
    }

    // ------------------------------------------------------------------------------------------------ shared

    private static void requireAdmin(HttpCall call, String basin) {
        call.principal().check(Permission.ADMIN, S2Names.namespace(basin), null);
    }

    private static void requireRead(HttpCall call, String basin) {
        if (!call.principal().allowsNamespace(Permission.READ, S2Names.namespace(basin))) {
            throw new S2Exception(403, "permission_denied", "credential \"" + call.principal().name()
                    + "\" may not read basin \"" + basin + "\"");
        }
    }

    private static void requireAdmin(HttpCall call, String basin, StreamName name) {
        call.principal().check(Permission.ADMIN, S2Names.namespace(basin), name.value());
    }

    private static void requireRead(HttpCall call, String basin, StreamName name) {
        call.principal().check(Permission.READ, S2Names.namespace(basin), name.value());
    }

    /** The {@code s2-request-token} header, checked (at most 36 bytes). */
    private static Optional<String> requestToken(HttpCall call) {
        String token = call.headers().get("s2-request-token");
        if (token == null) {
            return Optional.empty();
        }
        if (token.isEmpty() || token.getBytes(StandardCharsets.UTF_8).length > MAX_REQUEST_TOKEN_BYTES) {
            throw S2Exception.badHeader("s2-request-token has " + token.getBytes(StandardCharsets.UTF_8).length
                    + " bytes but must have 1 to " + MAX_REQUEST_TOKEN_BYTES);
        }
        return Optional.of(token);
    }

    /** What a create remembers of its request: a hash of the token and the configuration it asked for. */
    static String fingerprint(String token, String config) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(token.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(config.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static RuntimeException rethrow(Throwable failure) {
        Throwable cause = Basins.unwrap(failure);
        return cause instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(cause);
    }

    private static CompletionStage<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    /** S2's list paging: names with a prefix, after a name, at most a limit (0 or above 1,000: 1,000). */
    record Page(String prefix, String startAfter, int limit) {

        static Page of(HttpCall call) {
            String prefix = S2RequestDecoder.queryString(call, "prefix").orElse("");
            String after = S2RequestDecoder.queryString(call, "start_after").orElse("");
            long limit = S2RequestDecoder.queryLong(call, "limit", Long.MAX_VALUE).orElse(MAX_LIST_LIMIT);
            return new Page(prefix, after, (int) (limit == 0 || limit > MAX_LIST_LIMIT ? MAX_LIST_LIMIT : limit));
        }

        List<String> select(List<String> sorted) {
            List<String> out = new ArrayList<>();
            for (String name : sorted) {
                if (name.startsWith(prefix) && name.compareTo(startAfter) > 0) {
                    if (out.size() == limit) {
                        break;
                    }
                    out.add(name);
                }
            }
            return out;
        }

        boolean hasMore(List<String> sorted, List<String> selected) {
            String last = selected.isEmpty() ? null : selected.get(selected.size() - 1);
            if (last == null) {
                return false;
            }
            return sorted.stream().anyMatch(n -> n.startsWith(prefix) && n.compareTo(last) > 0);
        }
    }
}
