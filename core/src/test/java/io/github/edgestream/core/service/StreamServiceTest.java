package io.github.edgestream.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.RecordingStoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.stream.UpdateNotAllowedException;
import io.github.edgestream.core.time.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StreamService} over a real store, for each persistence ({@code FileStreamServiceTest},
 * {@code MemoryStreamServiceTest}): the rules it owns (status streams, where each command runs, how failures arrive)
 * and that each command reaches the store.
 */
abstract class StreamServiceTest {

    private static final long WAIT_SECONDS = 10;
    private static final String MISSING_STATUS = "invalid stream definition: exports[0]"
            + ".statusConfig.statusStreamName is \"status\" but must name an existing stream; create the status"
            + " stream first";

    @TempDir
    Path root;
    private final ManualClock clock = ManualClock.startingAt2026();
    private final RecordingStoreListener listener = new RecordingStoreListener();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private StreamStore store;
    private StreamService service;

    protected abstract Persistence persistence();

    @BeforeEach
    void open() {
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, listener));
        service = new StreamService(store, ExportStatusSource.NOT_STARTED, pool);
    }

    @AfterEach
    void close() {
        store.close();
        pool.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------ partitions, groups

    @Test
    void partitionsAreAddressedOneByOneAndTheWholeStreamIsRefused() {
        store.create(StreamDefinition.builder("shards", StrategyOnFull.REJECT_NEW_DATA).persistence(persistence())
                .partitions(3).build());
        StreamName shards = StreamName.of("shards");
        io.github.edgestream.core.stream.AppendBatch one = io.github.edgestream.core.stream.AppendBatch.of(
                io.github.edgestream.core.stream.AppendRecord.of(new byte[] {1}));

        assertThat(await(service.appendBatch(shards, 2, one)).firstSequence()).isZero();
        assertThat(await(service.appendBatch(shards, 2, one)).firstSequence()).isEqualTo(1);
        assertThat(await(service.appendBatch(shards, 0, one)).firstSequence()).isZero();
        assertThatThrownBy(() -> await(service.appendBatch(shards, StreamService.WHOLE_STREAM, one)))
                .isInstanceOf(io.github.edgestream.core.stream.PartitionedStreamException.class);
        assertThatThrownBy(() -> await(service.appendBatch(shards, 3, one)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions 0 to 2");
    }

    @Test
    void aConsumerGroupOfAPartitionedStreamSpansItsPartitions() {
        store.create(StreamDefinition.builder("shards", StrategyOnFull.REJECT_NEW_DATA).persistence(persistence())
                .partitions(3).build());
        StreamName shards = StreamName.of("shards");

        var first = await(service.withGroups(shards, StreamService.WHOLE_STREAM,
                groups -> groups.join("readers", "a", java.time.Duration.ofSeconds(30))));
        var second = await(service.withGroups(shards, StreamService.WHOLE_STREAM,
                groups -> groups.join("readers", "b", java.time.Duration.ofSeconds(30))));

        assertThat(first).extracting(r -> r.partition()).containsExactly(0, 1, 2);
        assertThat(second).extracting(r -> r.partition()).containsExactly(2);
        int partitions = await(service.withGroups(shards, StreamService.WHOLE_STREAM, groups -> groups.partitions()));
        assertThat(partitions).isEqualTo(3);
        assertThatThrownBy(() -> await(service.withGroups(shards, 1, groups -> groups.list())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("span its 3 partitions");
    }

    @Test
    void aCursorCannotPointPastTheStreamAndItsPositionKeepsNumbersFromBeingHandedOutAgain() throws Exception {
        MessageStream stream = store.create(plain("events"));
        for (int i = 0; i < 10; i++) {
            stream.append(new byte[] {(byte) i});
        }
        StreamName events = StreamName.of("events");

        assertThatThrownBy(() -> await(service.withCursors(events, StreamService.WHOLE_STREAM,
                cursors -> cursors.commit("reader", 11, 0)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position is 11 but the stream's next sequence number is 10");
        await(service.withCursors(events, StreamService.WHOLE_STREAM, cursors -> cursors.commit("reader", 10, 0)));
        assertThat(stream.checkpoints().load("cursor.reader").orElseThrow())
                .containsEntry(io.github.edgestream.core.stream.Checkpoints.ISSUED, "10");

        if (persistence() == Persistence.FILE) {
            // a power cut took every message that was not synced; the consumer had read up to 9
            store.close();
            Path streamDir;
            try (var dirs = java.nio.file.Files.list(root.resolve("streams"))) {
                streamDir = dirs.filter(d -> d.getFileName().toString().startsWith("events-")).findFirst()
                        .orElseThrow();
            }
            io.github.edgestream.core.stream.internal.AtomicFiles.deleteRecursively(streamDir.resolve("segments"));
            store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                    new StoreServices(clock, clock, Runnable::run, listener));

            assertThat(store.get(events).append(new byte[] {42})).as("not a number the consumer read past")
                    .isEqualTo(10);
        }
    }

    @Test
    void aNamespacesServiceIsKeptAndAMissingNamespaceIsNamed() {
        io.github.edgestream.core.model.Namespace basin = io.github.edgestream.core.model.Namespace.of("s2.a");
        assertThatThrownBy(() -> service.namespace(basin, false)).hasMessageContaining("\"s2.a\" does not exist");

        StreamService inBasin = service.namespace(basin, true);
        assertThat(service.namespace(basin, false)).isSameAs(inBasin);
        assertThat(service.namespace(io.github.edgestream.core.model.Namespace.DEFAULT, false)).isSameAs(service);
        await(inBasin.create(plain("events")));
        assertThat(await(inBasin.list())).containsExactly(StreamName.of("events"));
        assertThat(await(service.list())).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ status streams

    @Test
    void refusesACreateWhoseStatusStreamDoesNotExistAndCreatesNothing() {
        assertThatThrownBy(() -> await(service.create(reportingTo("uploads", "status"))))
                .isInstanceOf(InvalidStreamDefinitionException.class).hasMessage(MISSING_STATUS);

        assertThat(store.list()).isEmpty();
        assertThat(listener.catalogEvents()).isEmpty();
    }

    @Test
    void createsAStreamWhoseStatusStreamExists() {
        await(service.create(plain("status")));

        StreamInfo created = await(service.create(reportingTo("uploads", "status")));

        assertThat(created.definition()).usingRecursiveComparison()
                .ignoringFields("createdAt").isEqualTo(reportingTo("uploads", "status"));
        assertThat(created.newestSequenceNumber()).isEqualTo(-1);
        assertThat(store.list()).containsExactly(StreamName.of("status"), StreamName.of("uploads"));
    }

    @Test
    void aStreamMayBeItsOwnStatusStream() {
        await(service.create(reportingTo("uploads", "uploads")));

        assertThat(store.list()).containsExactly(StreamName.of("uploads"));
    }

    @Test
    void theStatusStreamRuleIsCheckedBeforeTheName() {
        // as before the service existed: a taken name with a missing status stream reports the status stream
        await(service.create(plain("uploads")));

        assertThatThrownBy(() -> await(service.create(reportingTo("uploads", "status"))))
                .isInstanceOf(InvalidStreamDefinitionException.class).hasMessage(MISSING_STATUS);
        assertThatThrownBy(() -> await(service.create(plain("uploads"))))
                .isInstanceOf(StreamAlreadyExistsException.class);
    }

    @Test
    void refusesAnUpdateWhoseStatusStreamDoesNotExistAndKeepsTheDefinition() {
        await(service.create(plain("uploads")));

        assertThatThrownBy(() -> await(service.update(reportingTo("uploads", "status"))))
                .isInstanceOf(InvalidStreamDefinitionException.class).hasMessage(MISSING_STATUS);
        assertThat(store.get(StreamName.of("uploads")).definition()).usingRecursiveComparison()
                .ignoringFields("createdAt").isEqualTo(plain("uploads"));

        await(service.create(plain("status")));
        StreamInfo updated = await(service.update(reportingTo("uploads", "status")));
        assertThat(updated.definition()).usingRecursiveComparison().ignoringFields("createdAt")
                .isEqualTo(reportingTo("uploads", "status"));
        assertThat(listener.catalogEvents()).containsExactly("created uploads REJECT_NEW_DATA",
                "created status REJECT_NEW_DATA", "updated uploads REJECT_NEW_DATA");
    }

    @Test
    void everyMissingStatusStreamIsNamedByItsExport() {
        StreamDefinition definition = plain("uploads").toBuilder().exports(List.of(
                s3("first", "status-a"), new ExportConfig.Kinesis(ExportSettings.of("k"), "kds"),
                s3("second", "status-b"))).build();

        assertThatThrownBy(() -> await(service.create(definition)))
                .isInstanceOf(InvalidStreamDefinitionException.class)
                .hasMessageContaining("exports[0].statusConfig.statusStreamName is \"status-a\"")
                .hasMessageContaining("exports[2].statusConfig.statusStreamName is \"status-b\"");
    }

    @Test
    void deletingAStatusStreamThatAnExportReportsToIsAllowed() {
        // the export's status messages are dropped until the stream exists again; the referring stream is unchanged
        await(service.create(plain("status")));
        await(service.create(reportingTo("uploads", "status")));

        await(service.delete(StreamName.of("status")));

        assertThat(store.list()).containsExactly(StreamName.of("uploads"));
        assertThat(await(service.describe(StreamName.of("uploads"))).definition())
                .usingRecursiveComparison().ignoringFields("createdAt").isEqualTo(reportingTo("uploads", "status"));
        assertThat(await(service.append(StreamName.of("uploads"), bytes("task")))).isZero();
        // ... but the definition cannot be written again until the status stream is back
        assertThatThrownBy(() -> await(service.update(reportingTo("uploads", "status"))))
                .isInstanceOf(InvalidStreamDefinitionException.class);
    }

    @Test
    void aCreateRacingTheDeleteOfItsStatusStreamNeverSucceedsAfterTheDelete() throws Exception {
        // The rule is checked under the store's catalogue lock, and the listener hears of catalogue changes under
        // the same lock, so the order of the events is the order in which the changes took effect.
        ExecutorService racers = Executors.newFixedThreadPool(2);
        int createdFirst = 0;
        int deletedFirst = 0;
        try {
            for (int i = 0; i < 300; i++) {
                String status = "status-" + i;
                String uploads = "uploads-" + i;
                await(service.create(plain(status)));
                CountDownLatch start = new CountDownLatch(1);
                Executor gated = task -> racers.execute(() -> {
                    awaitLatch(start);
                    task.run();
                });
                StreamService racing = new StreamService(store, ExportStatusSource.NOT_STARTED, gated);
                CompletableFuture<StreamInfo> create = racing.create(reportingTo(uploads, status))
                        .toCompletableFuture();
                CompletableFuture<Void> delete = racing.delete(StreamName.of(status)).toCompletableFuture();
                start.countDown();

                delete.get(WAIT_SECONDS, TimeUnit.SECONDS);
                Throwable refused = create.handle((info, failure) -> failure).get(WAIT_SECONDS, TimeUnit.SECONDS);
                List<String> events = listener.catalogEvents();
                int deleted = events.indexOf("deleted " + status);
                int created = events.indexOf("created " + uploads + " REJECT_NEW_DATA");
                if (refused == null) {
                    assertThat(created).as("iteration %d: %s", i, events).isNotNegative().isLessThan(deleted);
                    createdFirst++;
                } else {
                    assertThat(refused).as("iteration %d", i).isInstanceOf(CompletionException.class)
                            .hasCauseInstanceOf(InvalidStreamDefinitionException.class);
                    assertThat(created).as("iteration %d: %s", i, events).isEqualTo(-1);
                    assertThat(store.find(StreamName.of(uploads))).isEmpty();
                    deletedFirst++;
                }
            }
        } finally {
            racers.shutdownNow();
        }
        System.out.printf("%s: create first %d times, delete first %d times%n", persistence(), createdFirst,
                deletedFirst);
    }

    // ------------------------------------------------------------------------------------------ where commands run

    @Test
    void definitionWritesAndDeletesRunOnTheBlockingExecutorOnly() {
        QueuedExecutor blocking = new QueuedExecutor();
        StreamService queued = new StreamService(store, ExportStatusSource.NOT_STARTED, blocking);

        CompletableFuture<StreamInfo> create = queued.create(plain("s")).toCompletableFuture();
        assertThat(create).isNotDone();
        assertThat(store.list()).isEmpty();
        blocking.runAll();
        assertThat(create).isCompleted();

        StreamDefinition longer = plain("s").toBuilder().timeToLive(Duration.ofHours(1)).build();
        CompletableFuture<StreamInfo> update = queued.update(longer).toCompletableFuture();
        assertThat(update).isNotDone();
        assertThat(store.get(StreamName.of("s")).definition()).usingRecursiveComparison()
                .ignoringFields("createdAt").isEqualTo(plain("s"));
        blocking.runAll();
        assertThat(update.join().definition()).usingRecursiveComparison().ignoringFields("createdAt").isEqualTo(longer);

        CompletableFuture<Void> delete = queued.delete(StreamName.of("s")).toCompletableFuture();
        assertThat(delete).isNotDone();
        assertThat(store.list()).containsExactly(StreamName.of("s"));
        blocking.runAll();
        assertThat(delete).isCompleted();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void appendsReadsListsAndDescribesNeverWaitForTheBlockingExecutor() {
        store.create(plain("s"));
        QueuedExecutor blocking = new QueuedExecutor();
        StreamService queued = new StreamService(store, ExportStatusSource.NOT_STARTED, blocking);

        assertThat(queued.append(StreamName.of("s"), bytes("a")).toCompletableFuture().join()).isZero();
        assertThat(queued.read(StreamName.of("s"), ReadRequest.upTo(0, 10)).toCompletableFuture().join())
                .hasSize(1);
        assertThat(queued.list().toCompletableFuture().join()).containsExactly(StreamName.of("s"));
        assertThat(queued.describe(StreamName.of("s")).toCompletableFuture().join().info().newestSequenceNumber())
                .isZero();
        assertThat(blocking.tasks).isEmpty();
    }

    @Test
    void aShutDownBlockingExecutorFailsTheStageInsteadOfThrowing() {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        StreamService stopping = new StreamService(store, ExportStatusSource.NOT_STARTED, stopped);

        assertThatThrownBy(() -> await(stopping.create(plain("s")))).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> await(stopping.delete(StreamName.of("s"))))
                .isInstanceOf(RejectedExecutionException.class);
    }

    // ------------------------------------------------------------------------------------------ the commands

    @Test
    void appendsAndReadsInOrder() {
        await(service.create(plain("s")));
        StreamName name = StreamName.of("s");

        assertThat(await(service.append(name, bytes("one")))).isZero();
        assertThat(await(service.append(name, bytes("two")))).isEqualTo(1);

        List<Message> messages = await(service.read(name, ReadRequest.upTo(0, 10)));
        assertThat(messages).extracting(Message::sequenceNumber).containsExactly(0L, 1L);
        assertThat(new String(messages.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("two");
    }

    @Test
    void aReadThatMustWaitCompletesWithTheNextAppend() {
        await(service.create(plain("s")));
        StreamName name = StreamName.of("s");

        CompletableFuture<List<Message>> read = service.read(name, ReadRequest.of(0, 1, 5, Duration.ofMinutes(1)))
                .toCompletableFuture();
        assertThat(read).isNotDone();

        await(service.append(name, bytes("late")));
        assertThat(await(read)).extracting(Message::sequenceNumber).containsExactly(0L);
    }

    @Test
    void failuresOfAMissingStreamArriveThroughTheStage() {
        StreamName missing = StreamName.of("missing");

        for (CompletionStage<?> stage : List.of(service.append(missing, bytes("x")),
                service.read(missing, ReadRequest.upTo(0, 1)), service.describe(missing), service.delete(missing),
                service.update(plain("missing")))) {
            assertThatThrownBy(() -> await(stage)).isInstanceOf(StreamNotFoundException.class)
                    .hasMessageContaining("missing");
        }
    }

    @Test
    void describesDefinitionStateAndOneStatusPerExport() {
        await(service.create(plain("status")));
        await(service.create(reportingTo("uploads", "status")));
        await(service.append(StreamName.of("uploads"), bytes("task")));

        StreamDescription description = await(service.describe(StreamName.of("uploads")));

        assertThat(description.definition()).usingRecursiveComparison()
                .ignoringFields("createdAt").isEqualTo(reportingTo("uploads", "status"));
        assertThat(description.info().newestSequenceNumber()).isZero();
        assertThat(description.exports()).hasSize(1);
        assertThat(description.exports().get(0).exportIdentifier()).isEqualTo("files");
    }

    @Test
    void listsNamesSorted() {
        assertThat(await(service.list())).isEmpty();
        await(service.create(plain("b")));
        await(service.create(plain("a")));

        assertThat(await(service.list())).containsExactly(StreamName.of("a"), StreamName.of("b"));
    }

    @Test
    void createStampsTheCreationTimeAndUpdatesKeepItAndTheTagsWhichOnlyTagChanges() {
        StreamService timed = new StreamService(store, ExportStatusSource.NOT_STARTED, pool, clock);
        StreamDefinition created = await(timed.create(plain("s").withTags(java.util.Map.of("team", "a"))))
                .definition();
        assertThat(created.createdAt()).contains(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(created.tags()).containsExactly(java.util.Map.entry("team", "a"));

        clock.advance(Duration.ofHours(1));
        StreamDefinition updated = await(timed.update(plain("s").toBuilder().timeToLive(Duration.ofHours(2))
                .build())).definition();
        assertThat(updated.createdAt()).isEqualTo(created.createdAt());
        assertThat(updated.tags()).as("an update keeps the tags").containsExactly(java.util.Map.entry("team", "a"));
        assertThat(updated.timeToLive()).contains(Duration.ofHours(2));

        StreamDefinition tagged = await(timed.tag(StreamName.of("s"), java.util.Map.of("site", "x", "team", "b"),
                java.util.Set.of("team")));
        assertThat(tagged.tags()).containsExactly(java.util.Map.entry("site", "x"), java.util.Map.entry("team", "b"));
        assertThat(tagged.timeToLive()).contains(Duration.ofHours(2));
        assertThat(store.get(StreamName.of("s")).definition().tags()).isEqualTo(tagged.tags());

        java.util.Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 50; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> await(timed.tag(StreamName.of("s"), many, java.util.Set.of())))
                .isInstanceOf(InvalidStreamDefinitionException.class).hasMessageContaining("at most 50 tags");
        assertThat(store.get(StreamName.of("s")).definition().tags()).as("unchanged").isEqualTo(tagged.tags());
    }

    @Test
    void updatesStillFollowTheStoresRules() {
        await(service.create(plain("s")));
        Persistence other = persistence() == Persistence.FILE ? Persistence.MEMORY : Persistence.FILE;

        assertThatThrownBy(() -> await(service.update(plain("s").toBuilder().persistence(other).build())))
                .isInstanceOf(UpdateNotAllowedException.class);
    }

    @Test
    void nullArgumentsAreTheCallersBugAndThrowAtOnce() {
        assertThatThrownBy(() -> service.create(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> service.append(StreamName.of("s"), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> service.read(StreamName.of("s"), null)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private StreamDefinition plain(String name) {
        return StreamDefinition.builder(name, StrategyOnFull.REJECT_NEW_DATA).persistence(persistence()).build();
    }

    private StreamDefinition reportingTo(String name, String statusStream) {
        return plain(name).toBuilder().exports(List.of(s3("files", statusStream))).build();
    }

    private static ExportConfig s3(String identifier, String statusStream) {
        return new ExportConfig.S3TaskExecutor(ExportSettings.of(identifier), Optional.empty(), Optional.of(
                new ExportConfig.StatusConfig(Optional.empty(), Optional.of(StreamName.of(statusStream)))));
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs nothing until told to; not thread-safe (the test's thread only). */
    private static final class QueuedExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
        }
    }
}
