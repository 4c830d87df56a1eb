package io.github.edgestream.core.stream.internal.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.RecordingStoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * flushOnWrite with many writers: appends are acknowledged, and become readable, only after a sync, and all the
 * appends waiting for a sync share the next one. The store's executor is driven by hand to see each step.
 */
class GroupCommitTest {

    @TempDir
    Path root;
    final Queue<Runnable> executor = new ArrayDeque<>();
    ManualClock clock;
    StreamStore store;
    MessageStream stream;

    @BeforeEach
    void open() {
        clock = ManualClock.startingAt2026();
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, executor::add, new RecordingStoreListener()));
        stream = store.create(StreamDefinition.builder("durable", StrategyOnFull.REJECT_NEW_DATA).flushOnWrite(true)
                .segmentSize(DataSize.ofKibibytes(4)).build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ByteBuffer text(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private void runExecutor() {
        Runnable task;
        while ((task = executor.poll()) != null) {
            task.run();
        }
    }

    @Test
    void appendsWaitingForASyncShareOneAndBecomeReadableOnlyAfterIt() {
        List<CompletableFuture<Long>> appends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            appends.add(stream.appendAsync(text("message " + i)).toCompletableFuture());
        }

        assertThat(appends).noneMatch(CompletableFuture::isDone);
        assertThat(executor).as("one sync task for all waiting appends").hasSize(1);
        assertThat(stream.info().newestSequenceNumber()).as("nothing readable before the sync").isEqualTo(-1);
        assertThatThrownBy(() -> stream.read(ReadRequest.upTo(0, 10)).toCompletableFuture().join())
                .hasCauseInstanceOf(NotEnoughMessagesException.class);

        runExecutor();

        assertThat(appends).extracting(CompletableFuture::join)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 200).boxed().toList());
        assertThat(stream.info().newestSequenceNumber()).isEqualTo(199);
        List<Message> messages = stream.read(ReadRequest.upTo(0, 1000)).toCompletableFuture().join();
        assertThat(messages).hasSize(200);
        assertThat(new String(messages.get(199).payload(), StandardCharsets.UTF_8)).isEqualTo("message 199");
    }

    @Test
    void aWaitingReaderIsWokenByTheSyncNotByTheWrite() {
        CompletableFuture<List<Message>> read =
                stream.read(ReadRequest.of(0, 2, 10, Duration.ofMinutes(1))).toCompletableFuture();
        CompletableFuture<Long> first = stream.appendAsync(text("a")).toCompletableFuture();
        CompletableFuture<Long> second = stream.appendAsync(text("b")).toCompletableFuture();
        assertThat(read).isNotDone();

        runExecutor();

        assertThat(first.join()).isZero();
        assertThat(second.join()).isEqualTo(1);
        assertThat(read.join()).hasSize(2);
    }

    @Test
    void appendsAfterASyncStartedWaitForTheNextRound() {
        CompletableFuture<Long> early = stream.appendAsync(text("early")).toCompletableFuture();
        Runnable sync = executor.poll();
        CompletableFuture<Long> late = stream.appendAsync(text("late")).toCompletableFuture();
        assertThat(executor).as("the sync is already scheduled").isEmpty();

        sync.run(); // one task loops until nothing is pending

        assertThat(early.join()).isZero();
        assertThat(late.join()).isEqualTo(1);
    }

    @Test
    void closingTheStoreAcknowledgesAppendsStillWaitingForTheirSync() {
        CompletableFuture<Long> waiting = stream.appendAsync(text("last words")).toCompletableFuture();

        store.close();

        assertThat(waiting.join()).isZero();
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, new RecordingStoreListener()));
        assertThat(store.list()).hasSize(1);
        assertThat(store.get(stream.name()).read(ReadRequest.upTo(0, 1)).toCompletableFuture().join()).hasSize(1);
    }

    @Test
    void deletingTheStreamFailsAppendsStillWaitingForTheirSync() {
        CompletableFuture<Long> waiting = stream.appendAsync(text("doomed")).toCompletableFuture();

        store.delete(stream.name());
        runExecutor();

        assertThatThrownBy(waiting::join).isInstanceOf(CompletionException.class)
                .hasMessageContaining("deleted");
    }
}
