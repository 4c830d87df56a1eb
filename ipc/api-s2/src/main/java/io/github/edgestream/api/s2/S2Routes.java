package io.github.edgestream.api.s2;

import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpApiContext;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.AuthScheme;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The S2 API on the local HTTP port: {@code /v1/basins}, {@code /v1/streams}, records and sessions. */
final class S2Routes implements HttpApi {

    S2Routes(S2Settings settings, HttpApiContext context) {
    }

    @Override
    public String name() {
        return "s2";
    }

    @Override
    public boolean matches(HttpRequest head) {
        return head.uri().startsWith("/v1/");
    }

    @Override
    public AuthScheme authScheme() {
        return AuthScheme.bearer();
    }

    @Override
    public CompletionStage<HttpReply> handle(HttpCall call) {
        return CompletableFuture.completedFuture(HttpReply.text(501, "application/json",
                "{\"code\":\"not_implemented\",\"message\":\"not yet\"}"));
    }

    @Override
    public HttpReply problem(HttpProblem problem, HttpCall call) {
        return HttpReply.text(problem.kind().status(), "application/json",
                "{\"code\":\"invalid\",\"message\":\"\"}");
    }
}
