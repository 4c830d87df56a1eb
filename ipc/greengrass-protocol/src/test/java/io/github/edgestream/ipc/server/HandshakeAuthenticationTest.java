package io.github.edgestream.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.ipc.wire.RequestEncoder;
import io.github.edgestream.ipc.wire.Response;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshake with an authenticator that answers later (as the Greengrass nucleus does over IPC): nothing is
 * answered before the decision, requests sent right behind the Connect request are kept and served once the
 * client is accepted, and a refusal or an authenticator that cannot decide ends the connection with Unauthorized.
 */
class HandshakeAuthenticationTest {

    @TempDir
    Path root;

    /** Hands every check to the test, which answers it. */
    private final LinkedBlockingQueue<CompletableFuture<Boolean>> decisions = new LinkedBlockingQueue<>();
    private final List<String> tokensSeen = new CopyOnWriteArrayList<>();
    private ServerFixture fixture;

    @BeforeEach
    void start() {
        ClientAuthenticator later = new ClientAuthenticator() {
            @Override
            public CompletionStage<Boolean> authenticate(String token) {
                tokensSeen.add(token);
                CompletableFuture<Boolean> decision = new CompletableFuture<>();
                decisions.add(decision);
                return decision;
            }

            @Override
            public String describe() {
                return "decided by the test";
            }
        };
        fixture = new ServerFixture(root, IpcSettings.loopbackForTests().withAuthenticator(later));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Preamble + Connect + ListStreams in one write, as a client that does not wait would send them. */
    private RawConnection connectAndListAtOnce(String token) throws Exception {
        RawConnection connection = new RawConnection(fixture.server.port());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(ByteBufUtil.getBytes(RequestEncoder.connect(UnpooledByteBufAllocator.DEFAULT, "c1", token)));
        bytes.writeBytes(ByteBufUtil.getBytes(RequestEncoder.listStreams(UnpooledByteBufAllocator.DEFAULT, "l1")));
        connection.send(bytes.toByteArray());
        return connection;
    }

    private CompletableFuture<Boolean> nextDecision() throws InterruptedException {
        CompletableFuture<Boolean> decision = decisions.poll(10, TimeUnit.SECONDS);
        assertThat(decision).as("the server asked the authenticator").isNotNull();
        return decision;
    }

    @Test
    void requestsSentBeforeTheDecisionAreServedOnceTheClientIsAccepted() throws Exception {
        try (RawConnection connection = connectAndListAtOnce("component-token")) {
            CompletableFuture<Boolean> decision = nextDecision();
            assertThat(tokensSeen).containsExactly("component-token");

            decision.complete(true); // from a thread that is not the event loop, as an IPC callback would

            assertThat(connection.readPreamble()).isEqualTo(1);
            var connected = (Response.Connect) connection.readResponse();
            assertThat(connected.status()).isEqualTo(ResponseStatus.SUCCESS);
            var listed = (Response.Streams) connection.readResponse();
            assertThat(listed.requestId()).isEqualTo("l1");
            assertThat(listed.status()).isEqualTo(ResponseStatus.SUCCESS);
        }
    }

    /** A reconnect storm as the JS client makes one: many handshakes at once, each with a request right behind. */
    @Test
    void manyConcurrentHandshakesWithRequestsBehindThemAreAllAnswered() throws Exception {
        int connections = 50;
        Thread approver = new Thread(() -> {
            try {
                for (int i = 0; i < connections; i++) {
                    CompletableFuture<Boolean> decision = decisions.poll(30, TimeUnit.SECONDS);
                    if (decision == null) {
                        return;
                    }
                    decision.complete(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "approver");
        approver.start();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(connections);
        try {
            List<java.util.concurrent.Future<ResponseStatus>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < connections; i++) {
                answers.add(pool.submit(() -> {
                    try (RawConnection connection = connectAndListAtOnce("component-token")) {
                        connection.readPreamble();
                        var connected = (Response.Connect) connection.readResponse();
                        var listed = (Response.Streams) connection.readResponse();
                        return connected.status() == ResponseStatus.SUCCESS ? listed.status()
                                : connected.status();
                    }
                }));
            }
            for (var answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(ResponseStatus.SUCCESS);
            }
        } finally {
            pool.shutdownNow();
            approver.join(10_000);
        }
        assertThat(tokensSeen).hasSize(connections);
    }

    @Test
    void aRefusedTokenGetsUnauthorizedAndTheRequestsBehindItAreNeverServed() throws Exception {
        try (RawConnection connection = connectAndListAtOnce("stolen")) {
            nextDecision().complete(false);

            assertThat(connection.readPreamble()).isEqualTo(1);
            var refused = (Response.Connect) connection.readResponse();
            assertThat(refused.status()).isEqualTo(ResponseStatus.UNAUTHORIZED);
            assertThat(connection.closedByServer()).as("closed, with ListStreams unanswered").isTrue();
        }
    }

    @Test
    void anAuthenticatorThatCannotDecideRefusesWithItsReason() throws Exception {
        try (RawConnection connection = connectAndListAtOnce("component-token")) {
            nextDecision().completeExceptionally(new IllegalStateException("the nucleus is not reachable"));

            assertThat(connection.readPreamble()).isEqualTo(1);
            var refused = (Response.Connect) connection.readResponse();
            assertThat(refused.status()).isEqualTo(ResponseStatus.UNAUTHORIZED);
            assertThat(refused.errorMessage()).contains("the nucleus is not reachable").contains("retry");
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatHangsUpWhileTheDecisionIsPendingIsForgotten() throws Exception {
        RawConnection connection = connectAndListAtOnce("component-token");
        CompletableFuture<Boolean> decision = nextDecision();
        connection.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fixture.server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        decision.complete(true); // nothing left to answer, nothing thrown

        try (RawConnection next = connectAndListAtOnce("component-token")) {
            nextDecision().complete(true);
            assertThat(next.readPreamble()).isEqualTo(1);
            assertThat(((Response.Connect) next.readResponse()).status()).isEqualTo(ResponseStatus.SUCCESS);
        }
    }
}
