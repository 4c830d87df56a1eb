package io.github.edgestream.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.http.auth.AuthScheme;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * A test API: routed either by path prefix ({@code /echo/<op>}) or by {@code X-Amz-Target: <prefix>.<Op>}.
 *
 * <p>Operations (case-insensitive): {@code echo} (the body back, with {@code X-Protocol} and {@code X-Api}),
 * {@code whoami} (the principal's name), {@code protocol} ({@link HttpCall#protocol()}), {@code sse?n=N[&thread=true]}
 * (N server-sent events, written on the event loop or from another thread), {@code fail} (the handler throws),
 * {@code failstage} (a failed stage), {@code slow} (a stage the test completes from its own thread with
 * {@link #pending}). Each sets {@link HttpCall#operation(String)} to its name. {@link #problem} renders
 * {@code {"kind":..,"message":..}} with the kind's default status.
 */
public final class EchoApi implements HttpApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Predicate<HttpRequest> matcher;
    private final boolean byTarget;
    private final AuthScheme scheme;
    /** Replies of {@code slow} calls waiting for the test to complete them. */
    public final BlockingQueue<Slow> pending = new LinkedBlockingQueue<>();

    /** A {@code slow} call: complete {@link #reply} (from any thread) with {@link #echo()}. */
    public record Slow(CompletableFuture<HttpReply> reply, HttpCall call) {
        /** The request body and the completing thread's name, read now (the body is valid until completion). */
        public HttpReply echo() {
            String body = call.body().toString(StandardCharsets.UTF_8);
            return HttpReply.text(200, "text/plain", body + " from " + Thread.currentThread().getName());
        }
    }

    private EchoApi(String name, Predicate<HttpRequest> matcher, boolean byTarget, AuthScheme scheme) {
        this.name = name;
        this.matcher = matcher;
        this.byTarget = byTarget;
        this.scheme = scheme;
    }

    /** Serves {@code <prefix><op>}, e.g. prefix {@code /echo/}. */
    public static EchoApi byPath(String name, String prefix, AuthScheme scheme) {
        return new EchoApi(name, head -> head.uri().startsWith(prefix), false, scheme);
    }

    /** Serves requests whose {@code X-Amz-Target} is {@code <prefix>.<Op>}, e.g. prefix {@code Echo_1}. */
    public static EchoApi byTarget(String name, String prefix, AuthScheme scheme) {
        return new EchoApi(name, head -> {
            String target = head.headers().get("x-amz-target");
            return target != null && target.startsWith(prefix + ".");
        }, true, scheme);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean matches(HttpRequest head) {
        return matcher.test(head);
    }

    @Override
    public AuthScheme authScheme() {
        return scheme;
    }

    private String operationOf(HttpCall call) {
        if (byTarget) {
            String target = call.headers().get("x-amz-target");
            return target.substring(target.indexOf('.') + 1).toLowerCase(Locale.ROOT);
        }
        String path = call.path();
        return path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    public CompletionStage<HttpReply> handle(HttpCall call) {
        String op = operationOf(call);
        call.operation(op);
        switch (op) {
            case "echo":
                return CompletableFuture.completedFuture(HttpReply.of(200, "application/octet-stream",
                        ByteBufUtil.getBytes(call.body())).header("X-Protocol", call.protocol()).header("X-Api", name));
            case "whoami":
                return CompletableFuture.completedFuture(HttpReply.text(200, "text/plain", call.principal().name()));
            case "protocol":
                return CompletableFuture.completedFuture(HttpReply.text(200, "text/plain", call.protocol()));
            case "sse":
                return CompletableFuture.completedFuture(sse(call));
            case "fail":
                throw new IllegalStateException("the echo handler broke");
            case "failstage":
                return CompletableFuture.failedFuture(new IllegalStateException("the echo stage broke"));
            case "slow":
                CompletableFuture<HttpReply> reply = new CompletableFuture<>();
                pending.add(new Slow(reply, call));
                return reply;
            default:
                return CompletableFuture.completedFuture(problem(new HttpProblem(HttpProblem.Kind.NOT_FOUND,
                        "no operation " + op), call));
        }
    }

    private static HttpReply sse(HttpCall call) {
        int n = Integer.parseInt(call.parameters().getOrDefault("n", List.of("5")).get(0));
        boolean thread = call.parameters().containsKey("thread");
        return HttpReply.streaming(200, "text/event-stream", out -> {
            Runnable writer = () -> {
                for (int i = 0; i < n; i++) {
                    out.event("tick", Integer.toString(i), "event " + i);
                }
                out.end();
            };
            if (thread) {
                new Thread(writer, "sse-writer").start();
            } else {
                writer.run();
            }
        });
    }

    @Override
    public HttpReply problem(HttpProblem problem, HttpCall call) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", problem.kind().name());
        node.put("message", problem.message());
        return HttpReply.text(problem.kind().status(), "application/json", node.toString());
    }

    /** The expected SSE body of {@code n} events. */
    public static String sseBody(int n) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < n; i++) {
            body.append("event: tick\nid: ").append(i).append("\ndata: event ").append(i).append("\n\n");
        }
        return body.toString();
    }
}
