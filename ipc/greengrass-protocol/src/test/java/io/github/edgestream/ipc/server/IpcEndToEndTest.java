package io.github.edgestream.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.ipc.client.ClientConnectionException;
import io.github.edgestream.ipc.client.ClientSettings;
import io.github.edgestream.ipc.client.StreamDescription;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.client.StreamManagerException;
import io.github.edgestream.ipc.wire.DefinitionDrafts;
import io.github.edgestream.ipc.wire.ExportDraft;
import io.github.edgestream.ipc.wire.ProtocolCodes;
import io.github.edgestream.ipc.wire.Request;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.github.edgestream.ipc.wire.StreamDefinitionDraft;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real loopback sockets, driven by the Java client. */
class IpcEndToEndTest {

    @TempDir
    Path root;
    ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ResponseStatus statusOf(Runnable call) {
        try {
            call.run();
        } catch (StreamManagerException e) {
            return e.status();
        }
        throw new AssertionError("expected a failure status");
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyOperationWorksForFileAndMemoryStreams() {
        fixture = new ServerFixture(root);
        StreamManagerClient client = fixture.client();
        for (Persistence persistence : Persistence.values()) {
            String name = "stream-" + ProtocolCodes.name(persistence);
            StreamDefinition definition = StreamDefinition.builder(name, StrategyOnFull.OVERWRITE_OLDEST_DATA)
                    .persistence(persistence).maxSize(DataSize.ofMebibytes(1)).segmentSize(DataSize.ofKibibytes(64))
                    .build();
            await(client.createMessageStream(definition));

            StreamDescription empty = await(client.describeMessageStream(name));
            assertThat(empty.definition()).isEqualTo(definition);
            assertThat(empty.oldestSequenceNumber()).isZero();
            assertThat(empty.newestSequenceNumber()).isEqualTo(-1);
            assertThat(empty.totalSize()).isEqualTo(DataSize.ZERO);

            assertThat(await(client.appendMessage(name, text("one")))).isZero();
            assertThat(await(client.appendMessage(name, text("two")))).isEqualTo(1);
            List<Message> messages = await(client.readMessages(name, 0, 1, 10, Duration.ZERO));
            assertThat(messages).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                    .containsExactly("one", "two");
            assertThat(messages.get(0).ingestTimeEpochMillis()).isEqualTo(fixture.clock.millis());

            StreamDefinition updated = definition.toBuilder().maxSize(DataSize.ofMebibytes(2))
                    .timeToLive(Duration.ofHours(1)).build();
            await(client.updateMessageStream(updated));
            StreamDescription described = await(client.describeMessageStream(name));
            assertThat(described.definition()).isEqualTo(updated);
            assertThat(described.newestSequenceNumber()).isEqualTo(1);
            assertThat(described.totalSize().bytes()).isEqualTo(3 + 3 + 2 * 24);
        }
        assertThat(await(client.listStreams())).containsExactly("stream-File", "stream-Memory");
        await(client.deleteMessageStream("stream-File"));
        assertThat(await(client.listStreams())).containsExactly("stream-Memory");
    }

    @Test
    void exportDefinitionsRoundTripAndShowAsNotStarted() {
        fixture = new ServerFixture(root);
        StreamManagerClient client = fixture.client();
        await(client.createMessageStream(StreamDefinition.builder("status", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .persistence(Persistence.MEMORY).build()));
        StreamDefinition definition = DefinitionDrafts.toDefinition(new StreamDefinitionDraft("exported", null, null,
                null, 0L, null, null, List.of(
                        ExportDraft.of(ExportKind.KINESIS, "k").withKinesisStreamName("kds").withBatching(10L, null),
                        ExportDraft.of(ExportKind.IOT_SITEWISE, "w"),
                        ExportDraft.of(ExportKind.S3_TASK_EXECUTOR, "s3").withStatusConfig(
                                new ExportDraft.StatusConfigDraft(2L, "status")))));
        await(client.createMessageStream(definition));

        StreamDescription described = await(client.describeMessageStream("exported"));

        assertThat(described.definition()).isEqualTo(definition);
        assertThat(described.exportStatuses()).extracting(s -> s.exportIdentifier() + "@"
                + s.lastExportedSequenceNumber()).containsExactly("k@-1", "w@-1", "s3@-1");
    }

    @Test
    void failuresCarryTheRightStatusAndAMessageThatSaysWhy() {
        fixture = new ServerFixture(root);
        StreamManagerClient client = fixture.client();
        await(client.createMessageStream(StreamDefinition.builder("small", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofKibibytes(1)).segmentSize(DataSize.ofKibibytes(1)).build()));

        assertThat(statusOf(() -> await(client.appendMessage("missing", text("x")))))
                .isEqualTo(ResponseStatus.RESOURCE_NOT_FOUND);
        assertThat(statusOf(() -> await(client.createMessageStream(StreamDefinition.builder("small",
                StrategyOnFull.REJECT_NEW_DATA).build())))).isEqualTo(ResponseStatus.INVALID_REQUEST);
        assertThat(statusOf(() -> await(client.appendMessage("small", new byte[1001]))))
                .isEqualTo(ResponseStatus.REQUEST_PAYLOAD_TOO_LARGE);
        await(client.appendMessage("small", new byte[900]));
        assertThatThrownBy(() -> await(client.appendMessage("small", new byte[100])))
                .isInstanceOf(StreamManagerException.class).hasMessageContaining("INVALID_REQUEST")
                .hasMessageContaining("full");
        assertThat(statusOf(() -> await(client.readMessages("small", 5, 1, 1, Duration.ZERO))))
                .isEqualTo(ResponseStatus.NOT_ENOUGH_MESSAGES);
        assertThatThrownBy(() -> await(client.readMessages("small", new Request.ReadMessagesOptions(0L, 5L, 2L,
                0L)))).isInstanceOf(StreamManagerException.class)
                .hasMessageContaining("readMessagesOptions.maxMessageCount is 2 but must be at least minMessageCount");
        assertThat(statusOf(() -> await(client.updateMessageStream(StreamDefinition.builder("small",
                StrategyOnFull.REJECT_NEW_DATA).persistence(Persistence.MEMORY).build()))))
                .isEqualTo(ResponseStatus.UPDATE_NOT_ALLOWED);
        assertThatThrownBy(() -> await(client.createMessageStream(DefinitionDrafts.toDefinition(
                new StreamDefinitionDraft("needs-status", null, null, null, 0L, null, null, List.of(
                        ExportDraft.of(ExportKind.KINESIS, "k").withKinesisStreamName("kds"),
                        ExportDraft.of(ExportKind.S3_TASK_EXECUTOR, "s3").withStatusConfig(
                                new ExportDraft.StatusConfigDraft(null, "nope"))))))))
                // core's store-level rule finds it as exports[1]; the client reads the path it wrote
                .hasMessageContaining("definition.exportDefinition.s3TaskExecutor[0].statusConfig.statusStreamName"
                        + " is \"nope\" but must name an existing stream; create the status stream first");
    }

    @Test
    void appendsIssuedWithoutWaitingKeepTheirOrderEvenWhileConnecting() {
        fixture = new ServerFixture(root);
        await(fixture.client().createMessageStream(StreamDefinition.builder("ordered",
                StrategyOnFull.REJECT_NEW_DATA).build()));
        StreamManagerClient fresh = fixture.client();
        List<CompletableFuture<Long>> appends = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            appends.add(fresh.appendMessage("ordered", text("m" + i)));
        }

        assertThat(appends.stream().map(IpcEndToEndTest::await).toList())
                .isEqualTo(java.util.stream.LongStream.range(0, 200).boxed().toList());
    }

    @Test
    void aWaitingReadDoesNotHoldUpAnAppendOnTheSameConnection() {
        fixture = new ServerFixture(root);
        StreamManagerClient client = fixture.client();
        await(client.createMessageStream(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build()));
        CompletableFuture<List<Message>> read = client.readMessages("s", 0, 2, 10, Duration.ofSeconds(30));

        assertThat(await(client.appendMessage("s", text("first")))).isZero();
        assertThat(read).isNotDone();
        assertThat(await(client.appendMessage("s", text("second")))).isEqualTo(1);

        assertThat(await(read)).hasSize(2);
    }

    @Test
    void aWaitingReadAnswersNotEnoughMessagesAtItsTimeout() {
        fixture = new ServerFixture(root);
        StreamManagerClient client = fixture.client();
        await(client.createMessageStream(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build()));
        CompletableFuture<List<Message>> read = client.readMessages("s", 0, 1, 1, Duration.ofSeconds(5));
        await(client.listStreams()); // the read has reached the server
        fixture.clock.advance(Duration.ofMillis(4_999));
        assertThat(read).isNotDone();

        fixture.clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(() -> await(read)).isInstanceOf(StreamManagerException.class)
                .hasMessageContaining("NOT_ENOUGH_MESSAGES");
    }

    @Test
    void deletingAStreamFailsItsWaitingReadsWithResourceNotFound() {
        fixture = new ServerFixture(root);
        StreamManagerClient client = fixture.client();
        await(client.createMessageStream(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build()));
        CompletableFuture<List<Message>> read = client.readMessages("s", 0, 1, 1, Duration.ofSeconds(30));
        await(client.listStreams());

        await(fixture.client().deleteMessageStream("s"));

        assertThat(statusOf(() -> await(read))).isEqualTo(ResponseStatus.RESOURCE_NOT_FOUND);
    }

    @Test
    void withAuthenticationOnlyTheRightTokenConnects() {
        fixture = new ServerFixture(root, IpcSettings.loopbackForTests().withAuthentication(Set.of("s3cret")));
        ClientSettings settings = ClientSettings.defaults().withPort(fixture.server.port());

        assertThat(statusOf(() -> await(fixture.client(settings).listStreams()))).isEqualTo(ResponseStatus.UNAUTHORIZED);
        assertThat(statusOf(() -> await(fixture.client(settings.withAuthToken("wrong")).listStreams())))
                .isEqualTo(ResponseStatus.UNAUTHORIZED);
        assertThat(statusOf(() -> await(fixture.client(settings.withAuthToken("")).listStreams())))
                .isEqualTo(ResponseStatus.UNAUTHORIZED);
        assertThat(await(fixture.client(settings.withAuthToken("s3cret")).listStreams())).isEmpty();
    }

    @Test
    void theUnixSocketServesTheSameProtocolWithTheConfiguredPermissions() throws Exception {
        Path socket = root.resolve("run/edgestream.sock");
        fixture = new ServerFixture(root.resolve("store"), IpcSettings.loopbackForTests().withUnixSocket(socket));
        StreamManagerClient client = fixture.client(ClientSettings.defaults().withUnixSocket(socket));

        await(client.createMessageStream(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build()));
        assertThat(await(client.appendMessage("s", text("over a unix socket")))).isZero();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        assertThat(await(fixture.client().listStreams())).as("TCP at the same time").containsExactly("s");
    }

    @Test
    void aClientReconnectsAfterTheConnectionIsLost() {
        fixture = new ServerFixture(root, IpcSettings.loopbackForTests()
                .withLimits(DataSize.ofMebibytes(17), 1024, Duration.ofMillis(200), Duration.ofSeconds(30)));
        StreamManagerClient client = fixture.client();
        await(client.createMessageStream(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fixture.server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the idle timeout closes the connection
        }
        assertThat(fixture.server.connectionCount()).isZero();

        // The client may not have seen the close yet: a request it writes in that instant is lost with the
        // connection (and, not being known to be idempotent, not resent). A harmless read goes first, until the
        // client has reconnected.
        while (true) {
            try {
                await(client.listStreams());
                break;
            } catch (ClientConnectionException lostWithTheOldConnection) {
                assertThat(System.nanoTime()).as("reconnected within 10 s").isLessThan(deadline);
            }
        }
        assertThat(await(client.appendMessage("s", text("after a reconnect")))).isZero();
    }

    @Test
    void connectionsBeyondTheLimitAreClosed() {
        fixture = new ServerFixture(root, IpcSettings.loopbackForTests()
                .withLimits(DataSize.ofMebibytes(17), 2, Duration.ZERO, Duration.ofSeconds(30)));
        await(fixture.client().listStreams());
        await(fixture.client().listStreams());

        assertThatThrownBy(() -> await(fixture.client().listStreams())).isInstanceOf(ClientConnectionException.class);
    }

    @Test
    void stoppingAnswersRequestsInFlightAndRefusesNewConnections() throws Exception {
        fixture = new ServerFixture(root);
        StreamManagerClient client = fixture.client();
        await(client.createMessageStream(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build()));
        CompletableFuture<List<Message>> read = client.readMessages("s", 0, 1, 1, Duration.ofSeconds(30));
        await(client.listStreams());

        fixture.server.stopAccepting();
        assertThat(statusOf(() -> await(client.appendMessage("s", text("late")))))
                .isEqualTo(ResponseStatus.UNKNOWN_FAILURE);
        assertThat(fixture.server.awaitRequests(Duration.ofMillis(100))).as("the read still waits").isFalse();
        fixture.store.close(); // what the daemon does next: waiting reads are answered
        assertThat(fixture.server.awaitRequests(Duration.ofSeconds(5))).isTrue();
        assertThat(statusOf(() -> await(read))).isEqualTo(ResponseStatus.UNKNOWN_FAILURE);
        assertThatThrownBy(() -> await(fixture.client().listStreams())).isInstanceOf(ClientConnectionException.class);
    }
}
