package io.github.edgestream.daemon.greengrass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GreengrassIpcAuthenticator} against {@link NucleusStandIn}, over a real Unix socket. No sleeping: every wait
 * is a bounded wait on a future.
 */
class GreengrassIpcAuthenticatorTest {

    private static final String OUR_SVCUID = "edgestream-svcuid";
    private static final String CLIENT_TOKEN = "client-component-svcuid";
    private static final long WAIT_SECONDS = 10;
    /** The stand-in's answers take milliseconds; a short bound keeps the wedged-nucleus test quick. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.startingAt2026();
    private NucleusStandIn nucleus;
    private GreengrassIpcAuthenticator authenticator;

    @BeforeEach
    void startNucleus() {
        Path socket = dir.resolve("ipc.sock");
        assertThat(socket.toString().getBytes(StandardCharsets.UTF_8).length)
                .as("a Unix socket path fits in 107 bytes: %s", socket).isLessThan(100);
        nucleus = new NucleusStandIn(socket)
                .knowComponent(OUR_SVCUID, NucleusStandIn.STREAM_MANAGER)
                .validTokens(CLIENT_TOKEN)
                .start();
        authenticator = new GreengrassIpcAuthenticator(socket.toString(), OUR_SVCUID, clock,
                GreengrassIpcAuthenticator.CACHE_TTL, GreengrassIpcAuthenticator.CACHE_ENTRIES, CALL_TIMEOUT);
    }

    @AfterEach
    void stopEverything() {
        try {
            if (authenticator != null) {
                authenticator.close();
            }
        } finally {
            nucleus.close();
        }
    }

    @Test
    void aTokenTheNucleusKnowsIsAccepted() throws Exception {
        assertThat(await(authenticator.authenticate(CLIENT_TOKEN))).isTrue();
        assertThat(nucleus.validateCalls()).isEqualTo(1);
        assertThat(nucleus.acceptedConnects()).isEqualTo(1);
        assertThat(nucleus.malformedRequests()).isZero();
    }

    @Test
    void anUnknownTokenIsRefusedAndNotRemembered() throws Exception {
        assertThat(await(authenticator.authenticate("someone-else"))).isFalse();
        assertThat(await(authenticator.authenticate("someone-else"))).isFalse();
        assertThat(nucleus.validateCalls()).as("refusals are asked again").isEqualTo(2);
        assertThat(nucleus.acceptedConnects()).as("over one connection").isEqualTo(1);
    }

    @Test
    void anExplicitIsValidFalseIsARefusalToo() throws Exception {
        nucleus.answerFalseForUnknownTokens(true);
        assertThat(await(authenticator.authenticate("someone-else"))).isFalse();
    }

    @Test
    void anEmptyTokenIsRefusedWithoutAsking() throws Exception {
        assertThat(await(authenticator.authenticate(""))).isFalse();
        assertThat(await(authenticator.authenticate(null))).isFalse();
        assertThat(nucleus.validateCalls()).isZero();
        assertThat(nucleus.acceptedConnects()).as("connects lazily").isZero();
    }

    @Test
    void anAcceptedTokenIsRememberedUntilTheTtlPasses() throws Exception {
        assertThat(await(authenticator.authenticate(CLIENT_TOKEN))).isTrue();
        assertThat(await(authenticator.authenticate(CLIENT_TOKEN))).isTrue();
        assertThat(nucleus.validateCalls()).as("the second check is a cache hit").isEqualTo(1);

        clock.advance(GreengrassIpcAuthenticator.CACHE_TTL.minusSeconds(1));
        assertThat(await(authenticator.authenticate(CLIENT_TOKEN))).isTrue();
        assertThat(nucleus.validateCalls()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(await(authenticator.authenticate(CLIENT_TOKEN))).isTrue();
        assertThat(nucleus.validateCalls()).as("expired: asked again").isEqualTo(2);
    }

    @Test
    void theCacheKeepsOnlyTheNewestEntries() throws Exception {
        authenticator.close();
        authenticator = new GreengrassIpcAuthenticator(nucleus.socketPath().toString(), OUR_SVCUID, clock,
                GreengrassIpcAuthenticator.CACHE_TTL, 2, CALL_TIMEOUT);
        nucleus.validTokens("a", "b", "c");
        for (String token : List.of("a", "b", "c")) {
            assertThat(await(authenticator.authenticate(token))).isTrue();
        }
        assertThat(await(authenticator.authenticate("c"))).isTrue();
        assertThat(await(authenticator.authenticate("b"))).isTrue();
        assertThat(nucleus.validateCalls()).as("b and c still cached").isEqualTo(3);
        assertThat(await(authenticator.authenticate("a"))).isTrue();
        assertThat(nucleus.validateCalls()).as("a was evicted").isEqualTo(4);
    }

    @Test
    void manyConcurrentChecksOfOneTokenMakeOneCall() throws Exception {
        int callers = 32;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<CompletionStage<Boolean>>> started = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                started.add(CompletableFuture.supplyAsync(() -> {
                    awaitLatch(go);
                    return authenticator.authenticate(CLIENT_TOKEN);
                }, pool));
            }
            go.countDown();
            for (CompletableFuture<CompletionStage<Boolean>> stage : started) {
                assertThat(await(stage.get(WAIT_SECONDS, TimeUnit.SECONDS))).isTrue();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(nucleus.validateCalls()).isEqualTo(1);
        assertThat(nucleus.acceptedConnects()).isEqualTo(1);
    }

    @Test
    void aNucleusThatIsDownGivesAnActionableFailureAndARestartedOneWorksAgain() throws Exception {
        assertThat(await(authenticator.authenticate(CLIENT_TOKEN))).isTrue();

        nucleus.stop();
        assertThatThrownBy(() -> await(authenticator.authenticate("another-token")))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(GreengrassIpcAuthenticator.NucleusException.class)
                .hasMessageContaining(nucleus.socketPath().toString())
                .hasMessageContaining("is the nucleus running?")
                .hasMessageNotContaining("another-token");
        assertThat(Files.exists(nucleus.socketPath())).isFalse();
        assertThatThrownBy(() -> await(authenticator.authenticate("another-token")))
                .as("still down: each check tries once, and fails").isInstanceOf(ExecutionException.class);

        nucleus.validTokens("another-token").start();
        assertThat(await(authenticator.authenticate("another-token"))).isTrue();
        assertThat(nucleus.acceptedConnects()).as("connected again").isEqualTo(2);
    }

    @Test
    void aNucleusRestartedBetweenTwoChecksIsReconnectedTo() throws Exception {
        nucleus.validTokens("a", "b");
        assertThat(await(authenticator.authenticate("a"))).isTrue();
        nucleus.stop();
        nucleus.start();
        // whether or not the client has noticed the old connection close yet, the check gets through: a call on a
        // connection found closed is made once more on a fresh one
        assertThat(await(authenticator.authenticate("b"))).isTrue();
        assertThat(nucleus.acceptedConnects()).isEqualTo(2);
    }

    @Test
    void aNucleusThatRefusesOurSvcuidIsReported() {
        authenticator.close();
        authenticator = new GreengrassIpcAuthenticator(nucleus.socketPath().toString(), "stale-svcuid", clock,
                GreengrassIpcAuthenticator.CACHE_TTL, GreengrassIpcAuthenticator.CACHE_ENTRIES, CALL_TIMEOUT);
        assertThatThrownBy(() -> await(authenticator.authenticate(CLIENT_TOKEN)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(GreengrassIpcAuthenticator.NucleusException.class)
                .hasMessageContaining("refused this component's IPC connection")
                .hasMessageContaining("SVCUID");
        assertThat(nucleus.refusedConnects()).isEqualTo(1);
        assertThat(nucleus.validateCalls()).isZero();
    }

    @Test
    void unauthorizedErrorNamesTheComponentNameTheNucleusWants() {
        nucleus.knowComponent(OUR_SVCUID, "io.github.edgestream");
        assertThatThrownBy(() -> await(authenticator.authenticate(CLIENT_TOKEN)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(GreengrassIpcAuthenticator.NucleusException.class)
                .hasMessageContaining("UnauthorizedError")
                .hasMessageContaining("io.github.edgestream is not authorized")
                .hasMessageContaining("only the component named aws.greengrass.StreamManager")
                .hasMessageNotContaining(CLIENT_TOKEN);
        assertThat(nucleus.validateCalls()).isEqualTo(1);
    }

    @Test
    void aNucleusThatDoesNotAnswerTimesOut() {
        nucleus.silent(true);
        assertThatThrownBy(() -> await(authenticator.authenticate(CLIENT_TOKEN)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(GreengrassIpcAuthenticator.NucleusException.class)
                .hasMessageContaining("did not answer ValidateAuthorizationToken within 3000 ms");
        assertThat(nucleus.validateCalls()).isEqualTo(1);
    }

    @Test
    void afterCloseChecksFail() {
        authenticator.close();
        assertThatThrownBy(() -> await(authenticator.authenticate(CLIENT_TOKEN)))
                .isInstanceOf(ExecutionException.class)
                .cause().hasMessageContaining("closed");
    }

    @Test
    void theEnvironmentDecidesWhetherThereIsANucleus() {
        assertThat(GreengrassIpcAuthenticator.fromEnvironment(Map.of(), clock)).isEmpty();
        assertThat(GreengrassIpcAuthenticator.fromEnvironment(Map.of(
                GreengrassIpcAuthenticator.SOCKET_PATH_VARIABLE, nucleus.socketPath().toString()), clock)).isEmpty();
        assertThat(GreengrassIpcAuthenticator.fromEnvironment(Map.of(
                GreengrassIpcAuthenticator.SOCKET_PATH_VARIABLE, " ",
                GreengrassIpcAuthenticator.SVCUID_VARIABLE, OUR_SVCUID), clock)).isEmpty();
        try (GreengrassIpcAuthenticator fromEnv = GreengrassIpcAuthenticator.fromEnvironment(Map.of(
                GreengrassIpcAuthenticator.SOCKET_PATH_VARIABLE, nucleus.socketPath().toString(),
                GreengrassIpcAuthenticator.SVCUID_VARIABLE, OUR_SVCUID), clock).orElseThrow()) {
            assertThat(fromEnv.describe()).contains(nucleus.socketPath().toString());
            assertThat(await(fromEnv.authenticate(CLIENT_TOKEN))).isTrue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean await(CompletionStage<Boolean> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
