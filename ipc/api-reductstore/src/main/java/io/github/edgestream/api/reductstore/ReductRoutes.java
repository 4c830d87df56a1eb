package io.github.edgestream.api.reductstore;

import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.AuthScheme;
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
 * The ReductStore HTTP API under {@value #BASE} on the local HTTP port, with Bearer tokens. Routes each operation to
 * its handler and every failure to status + {@code x-reduct-error}; every response carries {@code x-reduct-api}.
 */
final class ReductRoutes implements HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(ReductRoutes.class);

    static final String BASE = "/api/v1/";
    private static final Pattern BUCKET = Pattern.compile("/api/v1/b/([^/]+)");
    private static final Pattern ENTRY = Pattern.compile("/api/v1/b/([^/]+)/([^/]+)(/batch|/q|/rename)?");
    private static final Pattern IO = Pattern.compile("/api/v1/io/([^/]+)/(q|read|write|update|remove)");

    private final BucketOperations buckets;
    private final RecordOperations records;
    private final QueryOperations queries;
    private final TokenOperations tokens;

    ReductRoutes(BucketOperations buckets, RecordOperations records, QueryOperations queries,
            TokenOperations tokens) {
        this.buckets = buckets;
        this.records = records;
        this.queries = queries;
        this.tokens = tokens;
    }

    @Override
    public String name() {
        return "reductstore";
    }

    @Override
    public boolean matches(HttpRequest head) {
        return head.uri().startsWith(BASE);
    }

    @Override
    public AuthScheme authScheme() {
        return AuthScheme.bearer();
    }

    @Override
    public CompletionStage<HttpReply> handle(HttpCall call) {
        CompletionStage<HttpReply> reply;
        try {
            reply = route(call).exceptionally(failure -> error(failure, call));
        } catch (RuntimeException e) {
            reply = CompletableFuture.completedFuture(error(e, call));
        }
        return reply.thenApply(ReductResponses::versioned);
    }

    private CompletionStage<HttpReply> route(HttpCall call) {
        String path = call.path();
        if (path.equals("/api/v1/me") || path.startsWith("/api/v1/tokens")) {
            return tokens.route(call);
        }
        HttpMethod method = call.method();
        boolean get = method.equals(HttpMethod.GET);
        boolean head = method.equals(HttpMethod.HEAD);
        switch (path) {
            case "/api/v1/info":
                return get ? op(call, "Info", () -> buckets.info(call)) : notFound(call);
            case "/api/v1/list":
                return get ? op(call, "List", () -> buckets.list(call)) : notFound(call);
            case "/api/v1/alive":
                return get || head ? op(call, "Alive", () -> CompletableFuture.completedFuture(ReductResponses.ok()))
                        : notFound(call);
            default:
                break;
        }
        Matcher bucket = BUCKET.matcher(path);
        if (bucket.matches()) {
            String name = bucket.group(1);
            return method.equals(HttpMethod.POST) ? op(call, "CreateBucket", () -> buckets.create(call, name))
                    : get || head ? op(call, "GetBucket", () -> buckets.get(call, name, head))
                    : method.equals(HttpMethod.PUT) ? op(call, "UpdateBucket", () -> buckets.update(call, name))
                    : method.equals(HttpMethod.DELETE) ? op(call, "RemoveBucket", () -> buckets.delete(call, name))
                    : notFound(call);
        }
        Matcher entry = ENTRY.matcher(path);
        if (method.equals(HttpMethod.PUT) && entry.matches() && "/rename".equals(entry.group(3))) {
            return op(call, "RenameEntry", () -> records.renameEntry(call, entry.group(1), entry.group(2)));
        }
        if (method.equals(HttpMethod.PUT) && entry.matches() && "rename".equals(entry.group(2))
                && entry.group(3) == null) {
            return op(call, "RenameBucket", () -> buckets.rename(call, entry.group(1)));
        }
        if (entry.matches()) {
            String b = entry.group(1);
            String e = entry.group(2);
            String sub = entry.group(3);
            if (sub == null) {
                if (method.equals(HttpMethod.POST)) {
                    return op(call, "WriteRecord", () -> records.write(call, b, e));
                }
                if (get || head) {
                    return op(call, "ReadRecord", () -> records.read(call, b, e, head));
                }
                if (method.equals(HttpMethod.DELETE)) {
                    return call.parameters().containsKey("ts")
                            ? op(call, "RemoveRecord", () -> records.remove(call, b, e))
                            : op(call, "RemoveEntry", () -> records.deleteEntry(call, b, e));
                }
                if (method.equals(HttpMethod.PATCH)) {
                    return op(call, "UpdateRecord", () -> records.updateLabels(call, b, e));
                }
            } else if (sub.equals("/batch") && method.equals(HttpMethod.POST)) {
                return op(call, "WriteBatch", () -> records.writeBatch(call, b, e));
            } else if (sub.equals("/batch") && method.equals(HttpMethod.PATCH)) {
                return op(call, "UpdateBatch", () -> records.editBatch(call, b, e, false));
            } else if (sub.equals("/batch") && method.equals(HttpMethod.DELETE)) {
                return op(call, "RemoveBatch", () -> records.editBatch(call, b, e, true));
            } else if (sub.equals("/batch") && (get || head)) {
                return op(call, "ReadQueryV1", () -> queries.readV1(call, b, e));
            } else if (sub.equals("/q") && method.equals(HttpMethod.POST)) {
                return op(call, "QueryV1", () -> queries.openV1(call, b, e));
            }
        }
        Matcher io = IO.matcher(path);
        if (io.matches()) {
            String b = io.group(1);
            if (io.group(2).equals("q") && method.equals(HttpMethod.POST)) {
                return op(call, "Query", () -> queries.openV2(call, b));
            }
            if (io.group(2).equals("read") && (get || head)) {
                return op(call, "ReadQuery", () -> queries.readV2(call, b));
            }
            if (io.group(2).equals("write") && method.equals(HttpMethod.POST)) {
                return op(call, "WriteBatchV2", () -> records.writeBatchV2(call, b));
            }
            if (io.group(2).equals("update") && method.equals(HttpMethod.PATCH)) {
                return op(call, "UpdateBatchV2", () -> records.editBatchV2(call, b, false));
            }
            if (io.group(2).equals("remove") && method.equals(HttpMethod.DELETE)) {
                return op(call, "RemoveBatchV2", () -> records.editBatchV2(call, b, true));
            }
        }
        return notFound(call);
    }

    private static CompletionStage<HttpReply> op(HttpCall call, String name,
            Supplier<CompletionStage<HttpReply>> operation) {
        call.operation(name);
        return operation.get();
    }

    private static CompletionStage<HttpReply> notFound(HttpCall call) {
        call.operation("unknown");
        throw ReductException.notFound("No ReductStore operation is " + call.method() + " "
                + Buckets.clip(call.path()) + " on this gateway");
    }

    private static HttpReply error(Throwable failure, HttpCall call) {
        ReductException error = ReductErrorTable.of(failure);
        if (error == null) {
            LOG.error("ReductStore {} failed unexpectedly", call.operation(), failure);
            error = new ReductException(500, "internal error ("
                    + ReductErrorTable.unwrap(failure).getClass().getSimpleName() + "); see the daemon's log");
        }
        return ReductResponses.error(error);
    }

    @Override
    public HttpReply problem(HttpProblem problem, HttpCall call) {
        return ReductResponses.versioned(ReductResponses.error(ReductErrorTable.of(problem)));
    }
}
