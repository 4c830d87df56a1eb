package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.AuthScheme;
import io.github.edgestream.http.auth.Permission;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S2 API on the local HTTP port: paths under {@code /v1} (or {@code /{basin}/v1}), Bearer tokens. Routes each
 * request to its operation, and every failure to S2's error shape ({@link S2ErrorTable}).
 *
 * <pre>
 * GET|POST            /v1/basins                       list, create
 * GET|PUT|PATCH|DELETE /v1/basins/{basin}               config, ensure, reconfigure, delete
 * GET|POST            /v1/streams                      list, create          (basin: s2-basin header or path)
 * GET|PUT|PATCH|DELETE /v1/streams/{stream}             config, ensure, reconfigure, delete
 * GET|POST            /v1/streams/{stream}/records     read, append; sessions by content type (below)
 * GET                 /v1/streams/{stream}/records/tail check tail
 * GET|POST            /v1/access-tokens                list, issue
 * DELETE              /v1/access-tokens/{id}           revoke
 * </pre>
 *
 * A read with {@code accept: text/event-stream} is an SSE read session; a read or append with
 * {@code content-type: s2s/proto} is an S2S session (HTTP/2). S2's metrics and locations APIs have no meaning on a
 * gateway and answer 400 {@code bad_path} saying so.
 */
final class S2Routes implements HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(S2Routes.class);
    private static final Pattern BASIN_PREFIX = Pattern.compile("^/[a-z0-9][a-z0-9-]{6,46}[a-z0-9]/v1(/.*)?$");
    static final String S2S = "s2s/proto";

    private final Basins basins;
    private final AdminOperations admin;
    private final RecordOperations records;
    private final AccessTokenOperations tokens;
    private final S2Settings settings;
    private final java.util.concurrent.ScheduledExecutorService sweeps;

    S2Routes(S2Settings settings, HttpApiContext context) {
        this.settings = settings;
        this.basins = new Basins(context.service(), settings, context.clock());
        this.admin = new AdminOperations(basins);
        this.records = new RecordOperations(basins);
        this.tokens = new AccessTokenOperations(context.tokens());
        EmptyStreamSweeper sweeper = new EmptyStreamSweeper(basins);
        this.sweeps = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "edgestream-s2-delete-on-empty");
            thread.setDaemon(true);
            return thread;
        });
        sweeps.scheduleWithFixedDelay(() -> {
            try {
                sweeper.sweep();
            } catch (RuntimeException e) {
                LOG.warn("S2 delete_on_empty sweep failed", e);
            }
        }, 60, 60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        sweeps.shutdownNow();
    }

    @Override
    public String name() {
        return "s2";
    }

    @Override
    public boolean matches(HttpRequest head) {
        String path = path(head.uri());
        return path.equals("/v1") || path.startsWith("/v1/") || BASIN_PREFIX.matcher(path).matches();
    }

    @Override
    public boolean streamsRequestBody(HttpRequest head) {
        return head.method().equals(HttpMethod.POST) && isS2s(head.headers().get("content-type"));
    }

    private static boolean isS2s(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(S2S);
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    @Override
    public AuthScheme authScheme() {
        return AuthScheme.bearer();
    }

    @Override
    public CompletionStage<HttpReply> handle(HttpCall call) {
        try {
            CompletionStage<HttpReply> reply = route(call);
            return reply.exceptionally(failure -> error(failure, call));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(e, call));
        }
    }

    private CompletionStage<HttpReply> route(HttpCall call) {
        List<String> segments = S2Names.segments(call.rawPath());
        Optional<String> pathBasin = Optional.empty();
        if (!segments.isEmpty() && !segments.get(0).equals("v1")) {
            pathBasin = Optional.of(segments.get(0));
            segments = segments.subList(1, segments.size());
        }
        if (segments.isEmpty() || !segments.get(0).equals("v1")) {
            throw S2Exception.badPath("S2 paths start with /v1");
        }
        List<String> rest = segments.subList(1, segments.size());
        HttpMethod method = call.method();
        String resource = rest.isEmpty() ? "" : rest.get(0);
        switch (resource) {
            case "basins" -> {
                if (rest.size() == 1) {
                    if (method.equals(HttpMethod.GET)) {
                        return admin.listBasins(call);
                    }
                    if (method.equals(HttpMethod.POST)) {
                        return admin.createBasin(call);
                    }
                } else if (rest.size() == 2) {
                    String basin = S2Names.basin(rest.get(1), "the basin in the path");
                    if (method.equals(HttpMethod.GET)) {
                        return admin.getBasinConfig(call, basin);
                    }
                    if (method.equals(HttpMethod.PUT)) {
                        return admin.ensureBasin(call, basin);
                    }
                    if (method.equals(HttpMethod.PATCH)) {
                        return admin.reconfigureBasin(call, basin);
                    }
                    if (method.equals(HttpMethod.DELETE)) {
                        return admin.deleteBasin(call, basin);
                    }
                }
            }
            case "streams" -> {
                String basin = Basins.basinOf(call, pathBasin);
                if (rest.size() == 1) {
                    if (method.equals(HttpMethod.GET)) {
                        return admin.listStreams(call, basin);
                    }
                    if (method.equals(HttpMethod.POST)) {
                        return admin.createStream(call, basin);
                    }
                } else {
                    StreamName stream = S2Names.stream(rest.get(1), "the stream in the path");
                    if (rest.size() == 2) {
                        if (method.equals(HttpMethod.GET)) {
                            return admin.getStreamConfig(call, basin, stream);
                        }
                        if (method.equals(HttpMethod.PUT)) {
                            return admin.ensureStream(call, basin, stream);
                        }
                        if (method.equals(HttpMethod.PATCH)) {
                            return admin.reconfigureStream(call, basin, stream);
                        }
                        if (method.equals(HttpMethod.DELETE)) {
                            return admin.deleteStream(call, basin, stream);
                        }
                    } else if (rest.get(2).equals("records") && rest.size() == 3) {
                        if (method.equals(HttpMethod.GET)) {
                            return read(call, basin, stream);
                        }
                        if (method.equals(HttpMethod.POST)) {
                            return call.isSession() ? appendSession(call, basin, stream)
                                    : records.append(call, basin, stream);
                        }
                    } else if (rest.get(2).equals("records") && rest.size() == 4 && rest.get(3).equals("tail")
                            && method.equals(HttpMethod.GET)) {
                        return records.checkTail(call, basin, stream);
                    }
                }
            }
            case "access-tokens" -> {
                if (rest.size() == 1 && method.equals(HttpMethod.GET)) {
                    return tokens.list(call);
                }
                if (rest.size() == 1 && method.equals(HttpMethod.POST)) {
                    return tokens.issue(call);
                }
                if (rest.size() == 2 && method.equals(HttpMethod.DELETE)) {
                    return tokens.revoke(call, rest.get(1));
                }
            }
            case "metrics", "locations" -> {
                call.operation(resource);
                throw S2Exception.badPath("edgestream's S2 API has no " + resource + " API: see the daemon's"
                        + " /metrics endpoint and status page instead");
            }
            default -> {
            }
        }
        throw S2Exception.badPath("no S2 operation is " + method + " " + S2RequestDecoder.clip(call.rawPath()));
    }

    /** A read: unary, or a session over SSE or S2S. */
    private CompletionStage<HttpReply> read(HttpCall call, String basin, StreamName name) {
        String accept = call.headers().get("accept");
        boolean s2s = isS2s(call.headers().get("content-type"));
        boolean sse = !s2s && accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream");
        if (!s2s && !sse) {
            return records.read(call, basin, name);
        }
        call.operation("read-session");
        RecordOperations.ReadArgs args = RecordOperations.ReadArgs.of(call);
        S2RequestDecoder.Format format = S2RequestDecoder.format(call);
        long[] resumed = lastEventId(call, sse);
        call.principal().check(Permission.READ, S2Names.namespace(basin), name.value());
        return basins.stream(basin, name, false, call).thenApply(stream -> {
            long start = resumed != null ? resumed[0] + 1 : RecordOperations.start(stream, args, true);
            long countUsed = resumed != null ? resumed[1] : 0;
            long bytesUsed = resumed != null ? resumed[2] : 0;
            ReadSession.Transport transport = s2s ? ReadSession.Transport.S2S : ReadSession.Transport.SSE;
            return HttpReply.streaming(200, s2s ? S2S : "text/event-stream", out -> new ReadSession(stream, args,
                    start, countUsed, bytesUsed, transport, format, out, settings.heartbeat(), basins.clock())
                    .start()).header("cache-control", "no-cache, no-transform").header("x-accel-buffering", "no");
        });
    }

    /** SSE's {@code Last-Event-ID: seq,count,bytes}: where a reconnecting session resumes. */
    private static long[] lastEventId(HttpCall call, boolean sse) {
        String value = call.headers().get("last-event-id");
        if (!sse || value == null) {
            return null;
        }
        String[] parts = value.split(",");
        try {
            if (parts.length != 3) {
                throw new NumberFormatException();
            }
            long[] out = {Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()),
                Long.parseLong(parts[2].trim())};
            if (out[0] < 0 || out[1] < 0 || out[2] < 0 || out[0] == Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return out;
        } catch (NumberFormatException e) {
            throw S2Exception.badHeader("Last-Event-ID is \"" + S2RequestDecoder.clip(value) + "\" but must be"
                    + " seq_num,count,bytes");
        }
    }

    private CompletionStage<HttpReply> appendSession(HttpCall call, String basin, StreamName name) {
        call.operation("append-session");
        call.principal().check(Permission.WRITE, S2Names.namespace(basin), name.value());
        return basins.stream(basin, name, true, call).thenApply(stream -> HttpReply.streaming(200, S2S,
                out -> new AppendSession(records, call, basin, stream, out, settings.sessionWindow().bytes())
                        .start()));
    }

    private static HttpReply error(Throwable failure, HttpCall call) {
        S2Exception error = S2ErrorTable.of(failure);
        if (error == null) {
            LOG.error("S2 {} failed unexpectedly", call.operation(), Basins.unwrap(failure));
            error = new S2Exception(500, "other", "internal error (" + Basins.unwrap(failure).getClass()
                    .getSimpleName() + "); see the daemon's log");
        }
        return S2ResponseEncoder.error(error);
    }

    @Override
    public HttpReply problem(HttpProblem problem, HttpCall call) {
        return S2ResponseEncoder.error(S2ErrorTable.of(problem));
    }
}
