package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.http.EchoApi;
import io.github.edgestream.http.HttpApi;
import io.github.edgestream.http.HttpAuthenticator;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpServer;
import io.github.edgestream.http.HttpSettings;
import io.github.edgestream.http.Reply;
import io.github.edgestream.http.Servers;
import io.github.edgestream.http.TestCalls;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bearer authentication end to end through the server: requests without a token, with a wrong one or with two
 * {@code Authorization} headers are refused in the API's problem shape before its handler runs; a configured token
 * reaches the handler as its credential's principal; the daemon's token grants everything; and with
 * {@link HttpAuthenticator#OPEN} every request is granted.
 */
class CredentialAuthenticatorTest {

    private static final String TOKEN = "sensor-token-0123456789";
    private static final String DAEMON_TOKEN = "daemon-token-abcdefghijkl";
    private static final Scope SENSORS = new Scope(List.of("default"), List.of("sensor-*"),
            EnumSet.of(Permission.WRITE));

    @RegisterExtension
    final Servers servers = new Servers();
    private final EchoApi api = EchoApi.byPath("echo", "/echo/", AuthScheme.bearer());

    private static CredentialAuthenticator authenticator() {
        Credential sensors = new Credential("sensors", Optional.empty(), Optional.empty(), Optional.of(TOKEN),
                List.of(SENSORS));
        return new CredentialAuthenticator(List.of(sensors), Optional.of(DAEMON_TOKEN), Clock.systemUTC());
    }

    private HttpServer start(HttpAuthenticator authenticator) {
        return servers.start(HttpSettings.loopbackForTests(), List.<HttpApi>of(api), authenticator);
    }

    private static Reply reply(HttpResponse<String> response) {
        return new Reply(response.statusCode(), Map.of(), response.body());
    }

    @Test
    void anApiMayAskForAnotherSchemeForSomeRequests() throws Exception {
        // Bearer for every request except /echo/signed..., which must be SigV4-signed
        HttpApi perRequest = new HttpApi() {
            @Override
            public String name() {
                return api.name();
            }

            @Override
            public boolean matches(io.netty.handler.codec.http.HttpRequest head) {
                return api.matches(head);
            }

            @Override
            public AuthScheme authScheme() {
                return AuthScheme.bearer();
            }

            @Override
            public AuthScheme authScheme(io.github.edgestream.http.HttpCall call) {
                return call.path().startsWith("/echo/signed") ? AuthScheme.sigV4("echo") : authScheme();
            }

            @Override
            public java.util.concurrent.CompletionStage<io.github.edgestream.http.HttpReply> handle(
                    io.github.edgestream.http.HttpCall call) {
                return api.handle(call);
            }

            @Override
            public io.github.edgestream.http.HttpReply problem(io.github.edgestream.http.HttpProblem problem,
                    io.github.edgestream.http.HttpCall call) {
                return api.problem(problem, call);
            }
        };
        HttpServer server = servers.start(HttpSettings.loopbackForTests(), List.of(perRequest), authenticator());

        assertThat(servers.send(server, "/echo/whoami", b -> b.header("Authorization", "Bearer " + TOKEN))
                .statusCode()).isEqualTo(200);
        Reply refused = reply(servers.send(server, "/echo/signed-whoami",
                b -> b.header("Authorization", "Bearer " + TOKEN)));
        assertThat(refused.status()).as("a Bearer token where this request must be signed").isIn(400, 401, 403);
    }

    @Test
    void missingAuthorizationIsUnauthenticated() throws Exception {
        HttpServer server = start(authenticator());

        Reply reply = reply(servers.get(server, "/echo/whoami"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json("kind")).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void wrongTokenIsBadCredentials() throws Exception {
        HttpServer server = start(authenticator());

        Reply reply = reply(servers.send(server, "/echo/whoami", b -> b.header("Authorization", "Bearer wrong")));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json("kind")).isEqualTo("BAD_CREDENTIALS");
        assertThat(reply.json("message")).doesNotContain("wrong");
    }

    @Test
    void anotherSchemeIsBadCredentials() throws Exception {
        HttpServer server = start(authenticator());

        Reply reply = reply(servers.send(server, "/echo/whoami", b -> b.header("Authorization", "Basic " + TOKEN)));

        assertThat(reply.json("kind")).isEqualTo("BAD_CREDENTIALS");
    }

    @Test
    void rightTokenReachesTheHandlerAsItsPrincipal() throws Exception {
        HttpServer server = start(authenticator());

        HttpResponse<String> response = servers.send(server, "/echo/whoami",
                b -> b.header("Authorization", "Bearer " + TOKEN));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("sensors");
    }

    @Test
    void theSchemeWordIsCaseInsensitive() throws Exception {
        HttpServer server = start(authenticator());

        HttpResponse<String> response = servers.send(server, "/echo/whoami",
                b -> b.header("Authorization", "bearer " + TOKEN));

        assertThat(response.body()).isEqualTo("sensors");
    }

    @Test
    void twoAuthorizationHeadersAreRefused() throws Exception {
        HttpServer server = start(authenticator());

        Reply reply = reply(servers.send(server, "/echo/whoami", b -> b.header("Authorization", "Bearer " + TOKEN)
                .header("Authorization", "Bearer " + DAEMON_TOKEN)));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json("kind")).isEqualTo("BAD_CREDENTIALS");
        assertThat(reply.json("message")).contains("2 Authorization headers");
    }

    @Test
    void theDaemonTokenGrantsEverything() {
        CredentialAuthenticator authenticator = authenticator();

        Authentication result = authenticator.authenticate(AuthScheme.bearer(),
                TestCalls.call("Authorization", "Bearer " + DAEMON_TOKEN));

        assertThat(result).isInstanceOf(Authentication.Granted.class);
        Principal principal = ((Authentication.Granted) result).principal();
        assertThat(principal.name()).isEqualTo("daemon");
        assertThat(principal.scopes()).containsExactly(Scope.EVERYTHING);
        assertThat(principal.allows(Permission.ADMIN, Namespace.of("s2.anything"), "any-stream")).isTrue();
    }

    @Test
    void theDaemonTokenWorksThroughTheServer() throws Exception {
        HttpServer server = start(authenticator());

        HttpResponse<String> response = servers.send(server, "/echo/whoami",
                b -> b.header("Authorization", "Bearer " + DAEMON_TOKEN));

        assertThat(response.body()).isEqualTo("daemon");
    }

    @Test
    void aConfiguredTokenGrantsOnlyItsScope() {
        Authentication result = authenticator().authenticate(AuthScheme.bearer(),
                TestCalls.call("Authorization", "Bearer " + TOKEN));

        Principal principal = ((Authentication.Granted) result).principal();
        assertThat(principal.allows(Permission.WRITE, Namespace.DEFAULT, "sensor-1")).isTrue();
        assertThat(principal.allows(Permission.READ, Namespace.DEFAULT, "sensor-1")).isFalse();
        assertThat(principal.allows(Permission.WRITE, Namespace.DEFAULT, "other")).isFalse();
    }

    @Test
    void withoutADaemonTokenTheDaemonNameGrantsNothing() {
        Credential sensors = new Credential("sensors", Optional.empty(), Optional.empty(), Optional.of(TOKEN),
                List.of(SENSORS));
        CredentialAuthenticator authenticator = new CredentialAuthenticator(List.of(sensors), Optional.empty(),
                Clock.systemUTC());

        Authentication result = authenticator.authenticate(AuthScheme.bearer(),
                TestCalls.call("Authorization", "Bearer " + DAEMON_TOKEN));

        assertThat(result).isInstanceOf(Authentication.Refused.class);
    }

    @Test
    void openGrantsEveryRequestEverything() throws Exception {
        HttpServer server = start(HttpAuthenticator.OPEN);

        HttpResponse<String> bare = servers.get(server, "/echo/whoami");
        HttpResponse<String> wrong = servers.send(server, "/echo/whoami",
                b -> b.header("Authorization", "Bearer wrong"));
        Authentication open = HttpAuthenticator.OPEN.authenticate(AuthScheme.sigV4("kinesis"),
                TestCalls.call());

        assertThat(bare.statusCode()).isEqualTo(200);
        assertThat(bare.body()).isEqualTo("unauthenticated");
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(((Authentication.Granted) open).principal().scopes()).containsExactly(Scope.EVERYTHING);
    }

    @Test
    void unauthenticatedCallsStartAsNobody() {
        HttpCall call = TestCalls.call();

        assertThat(call.principal()).isEqualTo(Principal.NOBODY);
        assertThat(call.principal().allowsNamespace(Permission.READ, Namespace.DEFAULT)).isFalse();
    }
}
