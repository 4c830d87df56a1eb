package io.github.edgestream.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store per test over a {@link TempDir}, with a {@link ManualClock}, a recording listener and an executor that runs
 * tasks on the calling thread; and the helpers the contract suites share. A suite extends it and names the
 * persistence its streams use; {@link #reopen()} restarts the store on the same directory.
 */
public abstract class StoreTestFixture {

    /** Accounted bytes per message on top of the payload (RecordFormat.OVERHEAD). */
    protected static final int OVERHEAD = 24;
    protected static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    protected Path root;
    protected ManualClock clock;
    protected RecordingStoreListener listener;
    protected StreamStore store;

    protected abstract Persistence persistence();

    @BeforeEach
    void openStore() {
        clock = ManualClock.startingAt2026();
        listener = new RecordingStoreListener();
        store = StreamStore.open(settings(), services());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected StoreSettings settings() {
        return StoreSettings.defaults(root)
                .withRetentionInterval(Duration.ofSeconds(1))
                .withMinFreeDiskSpace(DataSize.ZERO);
    }

    protected StoreServices services() {
        return new StoreServices(clock, clock, Runnable::run, listener);
    }

    protected void reopen() {
        store.close();
        store = StreamStore.open(settings(), services());
    }

    protected StreamDefinition.Builder definition(String name, StrategyOnFull strategy) {
        return StreamDefinition.builder(name, strategy).persistence(persistence());
    }

    protected MessageStream create(StreamDefinition.Builder builder) {
        return store.create(builder.build());
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static byte[] payload(int size, long seed) {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (seed * 31 + i);
        }
        return payload;
    }

    protected static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no completion within " + WAIT, e);
        }
    }

    /** Everything readable from {@code from}, without waiting; empty if nothing is. */
    protected static List<Message> readAll(MessageStream stream, long from) {
        try {
            return await(stream.read(ReadRequest.upTo(from, Integer.MAX_VALUE)));
        } catch (NotEnoughMessagesException none) {
            return List.of();
        }
    }

    protected static List<Long> sequences(List<Message> messages) {
        return messages.stream().map(Message::sequenceNumber).toList();
    }

    protected static List<Long> range(long first, long last) {
        return Stream.iterate(first, s -> s <= last, s -> s + 1).toList();
    }

}
