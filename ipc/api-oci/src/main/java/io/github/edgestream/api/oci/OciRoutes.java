package io.github.edgestream.api.oci;

import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.AuthScheme;
import io.github.edgestream.http.auth.Permission;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI Streaming API (version 20180418) on the local HTTP port: every path under {@value #BASE}, signed with OCI's
 * HTTP signatures ({@link AuthScheme#oci()}; PutMessages, which the SDKs sign without its body,
 * {@link AuthScheme#ociBodyOptional()}). Routes each operation to its handler, and every failure to an OCI error
 * ({@link OciErrorTable}).
 *
 * <p>Operations without a meaning on the gateway are answered {@code 400 InvalidParameter} naming why: moving a
 * stream or a pool to another compartment, Kafka Connect harnesses, work requests.
 */
final class OciRoutes implements HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(OciRoutes.class);

    static final String BASE = "/20180418/";
    private static final Pattern STREAM = Pattern.compile("/20180418/streams/([^/]+)(/[A-Za-z]+)?(?:/([^/]+))?");
    private static final Pattern POOL = Pattern.compile("/20180418/streampools/([^/]+)(/actions/changeCompartment)?");

    private final OciStreams streams;
    private final OciCursors cursors;
    private final AdminOperations admin;
    private final MessageOperations messages;
    private final GroupOperations groups;

    OciRoutes(OciStreams streams, OciCursors cursors, AdminOperations admin, MessageOperations messages,
            GroupOperations groups) {
        this.streams = streams;
        this.cursors = cursors;
        this.admin = admin;
        this.messages = messages;
        this.groups = groups;
    }

    @Override
    public String name() {
        return "oci";
    }

    @Override
    public boolean matches(HttpRequest head) {
        return head.uri().startsWith(BASE);
    }

    @Override
    public AuthScheme authScheme() {
        return AuthScheme.oci();
    }

    /** PutMessages is signed without its body by every OCI SDK; every other request with one signs it. */
    @Override
    public AuthScheme authScheme(HttpCall call) {
        return isPutMessages(call) ? AuthScheme.ociBodyOptional() : AuthScheme.oci();
    }

    private static boolean isPutMessages(HttpCall call) {
        if (!call.method().equals(HttpMethod.POST)) {
            return false;
        }
        Matcher m = STREAM.matcher(call.path());
        return m.matches() && "/messages".equals(m.group(2)) && m.group(3) == null;
    }

    @Override
    public CompletionStage<HttpReply> handle(HttpCall call) {
        try {
            return route(call).exceptionally(failure -> error(failure, call));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(e, call));
        }
    }

    private CompletionStage<HttpReply> route(HttpCall call) {
        String path = call.path();
        HttpMethod method = call.method();
        if (path.equals("/20180418/streams")) {
            return method.equals(HttpMethod.POST) ? op(call, "CreateStream", () -> admin.createStream(call))
                    : method.equals(HttpMethod.GET) ? op(call, "ListStreams", () -> admin.listStreams(call))
                    : notAllowed(call);
        }
        if (path.equals("/20180418/streampools")) {
            return method.equals(HttpMethod.POST) ? op(call, "CreateStreamPool", () -> admin.createPool(call))
                    : method.equals(HttpMethod.GET) ? op(call, "ListStreamPools", () -> admin.listPools(call))
                    : notAllowed(call);
        }
        Matcher pool = POOL.matcher(path);
        if (pool.matches()) {
            String id = pool.group(1);
            if (pool.group(2) != null) {
                throw unsupported(call, "ChangeStreamPoolCompartment", "compartments have no meaning on the gateway");
            }
            return method.equals(HttpMethod.GET) ? op(call, "GetStreamPool", () -> admin.getPool(call, id))
                    : method.equals(HttpMethod.PUT) ? op(call, "UpdateStreamPool", () -> admin.updatePool(call, id))
                    : method.equals(HttpMethod.DELETE)
                            ? op(call, "DeleteStreamPool", () -> admin.deletePool(call, id))
                    : notAllowed(call);
        }
        Matcher stream = STREAM.matcher(path);
        if (!stream.matches()) {
            call.operation("unknown");
            if (path.startsWith("/20180418/connectharnesses") || path.startsWith("/20180418/workRequests")) {
                throw unsupported(call, "unknown", "Kafka Connect harnesses and work requests are not available on"
                        + " the gateway");
            }
            throw OciException.notFound("no OCI Streaming operation is " + method + " " + OciIds.clip(path));
        }
        String id = stream.group(1);
        String sub = stream.group(2);
        String tail = stream.group(3);
        if (sub == null) {
            return method.equals(HttpMethod.GET) ? op(call, "GetStream", () -> admin.getStream(call, id))
                    : method.equals(HttpMethod.PUT) ? op(call, "UpdateStream", () -> admin.updateStream(call, id))
                    : method.equals(HttpMethod.DELETE)
                            ? op(call, "DeleteStream", () -> admin.deleteStream(call, id))
                    : notAllowed(call);
        }
        switch (sub + (tail == null ? "" : "/*")) {
            case "/messages":
                if (method.equals(HttpMethod.POST)) {
                    return op(call, "PutMessages", () -> messages.putMessages(call, id));
                }
                if (method.equals(HttpMethod.GET)) {
                    call.operation("GetMessages");
                    return withCursor(call, id, (found, decoded) -> {
                        int limit = (int) (long) OciRequestDecoder.queryLong(call, "limit", 1,
                                MessageOperations.MAX_LIMIT).orElse((long) MessageOperations.MAX_LIMIT);
                        return decoded.partition() != null ? messages.getMessages(found, decoded.partition(), limit)
                                : groups.getMessages(found, decoded.group(), limit);
                    });
                }
                return notAllowed(call);
            case "/cursors":
                return method.equals(HttpMethod.POST)
                        ? op(call, "CreateCursor", () -> messages.createCursor(call, id)) : notAllowed(call);
            case "/groupCursors":
                return method.equals(HttpMethod.POST)
                        ? op(call, "CreateGroupCursor", () -> groups.createGroupCursor(call, id)) : notAllowed(call);
            case "/commit", "/heartbeat":
                if (!method.equals(HttpMethod.POST)) {
                    return notAllowed(call);
                }
                boolean commit = sub.equals("/commit");
                call.operation(commit ? "ConsumerCommit" : "ConsumerHeartbeat");
                return withCursor(call, id, (found, decoded) -> {
                    if (decoded.group() == null) {
                        throw OciException.invalid("the cursor is a partition cursor; "
                                + (commit ? "commits" : "heartbeats") + " need a group cursor (CreateGroupCursor)");
                    }
                    return commit ? groups.commit(call, id, found, decoded.group())
                            : groups.heartbeat(call, id, found, decoded.group());
                });
            case "/groups/*":
                return method.equals(HttpMethod.GET) ? op(call, "GetGroup", () -> groups.getGroup(call, id, tail))
                        : method.equals(HttpMethod.PUT)
                                ? op(call, "UpdateGroup", () -> groups.updateGroup(call, id, tail))
                                : notAllowed(call);
            case "/actions/*":
                throw unsupported(call, "ChangeStreamCompartment", "compartments have no meaning on the gateway");
            default:
                call.operation("unknown");
                throw OciException.notFound("no OCI Streaming operation is " + method + " " + OciIds.clip(path));
        }
    }

    @FunctionalInterface
    private interface CursorHandler {
        CompletionStage<HttpReply> handle(OciStreams.Stream stream, OciCursors.Decoded cursor);
    }

    /**
     * Decodes the {@code cursor} query parameter, checks that it reads the stream of the path (in the life it was
     * issued for) and that the caller may read it, then hands both on.
     */
    private CompletionStage<HttpReply> withCursor(HttpCall call, String id, CursorHandler handler) {
        OciCursors.Decoded decoded = cursors.read(OciRequestDecoder.query(call, "cursor").orElse(null));
        OciStreams.Target target = streams.resolve(id, call, Permission.READ);
        OciCursors.Target reads = decoded.target();
        if (!reads.namespace().equals(target.namespace()) || !reads.stream().equals(target.name().value())) {
            throw OciException.invalid("the cursor reads stream " + OciIds.stream(streams.settings.region(),
                    reads.namespace(), reads.stream()) + ", not " + id);
        }
        return streams.find(target).thenCompose(stream -> {
            if (stream.createdMillis() != reads.streamCreatedMillis()) {
                throw OciException.notFound("the stream the cursor reads was deleted since the cursor was issued"
                        + " (a stream of the same name was created since); create a new cursor");
            }
            return handler.handle(stream, decoded);
        });
    }

    /** Names the operation (for metrics and logs, also when it fails at once), then runs it. */
    private static CompletionStage<HttpReply> op(HttpCall call, String name,
            Supplier<CompletionStage<HttpReply>> operation) {
        call.operation(name);
        return operation.get();
    }

    private static CompletionStage<HttpReply> notAllowed(HttpCall call) {
        call.operation("unknown");
        throw OciException.notFound("no OCI Streaming operation is " + call.method() + " " + OciIds.clip(call.path()));
    }

    private static OciException unsupported(HttpCall call, String operation, String why) {
        call.operation(operation);
        return OciException.invalid("edgestream's OCI Streaming API does not support this operation: " + why
                + ". See the README, section \"Using the OCI Streaming API\".");
    }

    private static HttpReply error(Throwable failure, HttpCall call) {
        OciException error = OciErrorTable.of(failure);
        if (error == null) {
            LOG.error("OCI {} failed unexpectedly", call.operation(), failure);
            error = new OciException(500, OciException.INTERNAL, "internal error ("
                    + OciErrorTable.unwrap(failure).getClass().getSimpleName() + "); see the daemon's log");
        }
        return OciResponseEncoder.error(error).header("opc-request-id", requestId(call));
    }

    private static String requestId(HttpCall call) {
        String id = call.headers().get("opc-request-id");
        return id != null && id.matches("[A-Za-z0-9/._-]{1,128}") ? id : "edgestream";
    }

    @Override
    public HttpReply problem(HttpProblem problem, HttpCall call) {
        return OciResponseEncoder.error(OciErrorTable.of(problem)).header("opc-request-id", requestId(call));
    }
}
