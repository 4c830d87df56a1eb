package io.github.edgestream.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.net.URI;
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
 * The behaviour every stream must have, whatever its persistence. {@code FileStreamStoreContractTest} and
 * {@code MemoryStreamStoreContractTest} run it unchanged; where the two differ by design (what survives a restart)
 * the expectation branches on {@link #persistence()}.
 *
 * <p>Time is a {@link ManualClock}: TTLs and read timeouts are crossed by advancing it, never by sleeping.
 */
public abstract class StreamStoreContractTest extends StoreTestFixture {

    // ------------------------------------------------------------------------------------------------ sequence

    @Test
    void sequenceNumbersStartAtZeroAndRiseByOne() {
        MessageStream stream = create(definition("seq", StrategyOnFull.REJECT_NEW_DATA));

        assertThat(stream.append(bytes("a"))).isZero();
        assertThat(stream.append(bytes("b"))).isEqualTo(1);
        assertThat(stream.append(bytes("c"))).isEqualTo(2);

        List<Message> messages = readAll(stream, 0);
        assertThat(sequences(messages)).containsExactly(0L, 1L, 2L);
        assertThat(messages).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("a", "b", "c");
    }

    @Test
    void eachMessageKeepsItsIngestTime() {
        MessageStream stream = create(definition("times", StrategyOnFull.REJECT_NEW_DATA));
        long t0 = clock.millis();
        stream.append(bytes("first"));
        clock.advance(Duration.ofMillis(1500));
        stream.append(bytes("second"));

        assertThat(readAll(stream, 0)).extracting(Message::ingestTimeEpochMillis).containsExactly(t0, t0 + 1500);
    }

    @Test
    void aNeverWrittenStreamReportsOldestZeroNewestMinusOneAndNoBytes() {
        MessageStream stream = create(definition("empty", StrategyOnFull.REJECT_NEW_DATA));

        StreamInfo info = stream.info();
        assertThat(info.oldestSequenceNumber()).isZero();
        assertThat(info.newestSequenceNumber()).isEqualTo(-1);
        assertThat(info.totalSize()).isEqualTo(DataSize.ZERO);
    }

    @Test
    void totalBytesCountEveryPayloadPlusAFixedOverhead() {
        MessageStream stream = create(definition("bytes", StrategyOnFull.REJECT_NEW_DATA));
        stream.append(payload(100, 1));
        stream.append(payload(1, 2));
        stream.append(payload(5000, 3));

        StreamInfo info = stream.info();
        assertThat(info.totalSize().bytes()).isEqualTo(100 + 1 + 5000 + 3 * OVERHEAD);
        assertThat(info.oldestSequenceNumber()).isZero();
        assertThat(info.newestSequenceNumber()).isEqualTo(2);
    }

    @Test
    void emptyPayloadIsRejected() {
        MessageStream stream = create(definition("no-empty", StrategyOnFull.REJECT_NEW_DATA));

        assertThatThrownBy(() -> stream.append(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(stream.info().newestSequenceNumber()).isEqualTo(-1);
    }

    @Test
    void appendReadsThePayloadWithoutConsumingIt() {
        MessageStream stream = create(definition("buffers", StrategyOnFull.REJECT_NEW_DATA));
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(bytes("xyz")).flip();
        ByteBuffer slice = ByteBuffer.wrap(bytes("..abc..")).position(2).limit(5);

        stream.append(direct);
        stream.append(slice);

        assertThat(direct.remaining()).isEqualTo(3);
        assertThat(slice.position()).isEqualTo(2);
        assertThat(readAll(stream, 0)).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .containsExactly("xyz", "abc");
    }

    // ------------------------------------------------------------------------------------------------ size limit

    /** 224 accounted bytes per message: four fit in a 1 KiB segment, eighteen under 4 KiB. */
    private StreamDefinition.Builder small(String name, StrategyOnFull strategy) {
        return definition(name, strategy).maxSize(DataSize.ofKibibytes(4)).segmentSize(DataSize.ofKibibytes(1));
    }

    @Test
    void rejectNewDataFailsWithStreamFullAndTouchesNothing() {
        MessageStream stream = create(small("reject", StrategyOnFull.REJECT_NEW_DATA));
        for (int i = 0; i < 18; i++) {
            stream.append(payload(200, i));
        }
        StreamInfo before = stream.info();

        assertThatThrownBy(() -> stream.append(payload(200, 99)))
                .isInstanceOf(StreamFullException.class)
                .hasMessageContaining("\"reject\"")
                .hasMessageContaining("4032 bytes")
                .hasMessageContaining("4 KiB");

        assertThat(stream.info()).isEqualTo(before);
        List<Message> stored = readAll(stream, 0);
        assertThat(sequences(stored)).isEqualTo(range(0, 17));
        assertThat(stored.get(17).payload()).isEqualTo(payload(200, 17));
        assertThat(listener.evictions()).isEmpty();
    }

    @Test
    void rejectNewDataAcceptsAMessageThatStillFitsExactly() {
        MessageStream stream = create(small("fits", StrategyOnFull.REJECT_NEW_DATA));
        for (int i = 0; i < 18; i++) {
            stream.append(payload(200, i));
        }
        int remaining = 4096 - 18 * 224 - OVERHEAD;

        assertThat(stream.append(payload(remaining, 1))).isEqualTo(18);
        assertThat(stream.info().totalSize().bytes()).isEqualTo(4096);
        assertThatThrownBy(() -> stream.append(payload(1, 2))).isInstanceOf(StreamFullException.class);
    }

    @Test
    void overwriteOldestDropsWholeSegmentsAndMovesTheOldestUp() {
        MessageStream stream = create(small("overwrite", StrategyOnFull.OVERWRITE_OLDEST_DATA));
        for (int i = 0; i < 100; i++) {
            assertThat(stream.append(payload(200, i))).isEqualTo(i);
            assertThat(stream.info().totalSize().bytes()).isLessThanOrEqualTo(4096);
        }

        StreamInfo info = stream.info();
        assertThat(info.newestSequenceNumber()).isEqualTo(99);
        assertThat(info.oldestSequenceNumber()).isPositive();
        assertThat(info.oldestSequenceNumber() % 4).as("oldest is a segment boundary").isZero();
        List<Message> kept = readAll(stream, 0);
        assertThat(sequences(kept)).isEqualTo(range(info.oldestSequenceNumber(), 99));
        assertThat(kept.get(0).payload()).isEqualTo(payload(200, info.oldestSequenceNumber()));

        List<RecordingStoreListener.Eviction> evictions = listener.evictions();
        assertThat(evictions).allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(EvictionReason.SIZE);
            assertThat(e.last() - e.first() + 1).as("one whole segment").isEqualTo(4);
        });
        assertThat(evictions.get(0).first()).isZero();
        assertThat(evictions.get(evictions.size() - 1).last()).isEqualTo(info.oldestSequenceNumber() - 1);
    }

    @Test
    void renameKeepsTheMessagesAndCheckpointsAndFailsTheOldHandle() {
        MessageStream old = create(definition("before", StrategyOnFull.REJECT_NEW_DATA));
        for (int i = 0; i < 5; i++) {
            old.append(payload(10, i));
        }
        old.checkpoints().save("cursor.reader", java.util.Map.of("position", "3"));
        if (persistence() != Persistence.FILE) {
            assertThatThrownBy(() -> store.rename(StreamName.of("before"), StreamName.of("after"), CatalogRule.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Memory stream");
            assertThat(store.find(StreamName.of("before"))).isPresent();
            return;
        }

        MessageStream renamed = store.rename(StreamName.of("before"), StreamName.of("after"), CatalogRule.NONE);

        assertThat(renamed.name()).isEqualTo(StreamName.of("after"));
        assertThat(readAll(renamed, 0)).extracting(Message::sequenceNumber).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(renamed.checkpoints().load("cursor.reader")).hasValue(java.util.Map.of("position", "3"));
        assertThat(store.find(StreamName.of("before"))).isEmpty();
        assertThat(store.list()).contains(StreamName.of("after")).doesNotContain(StreamName.of("before"));
        assertThatThrownBy(() -> old.append(payload(1, 9))).isInstanceOf(StreamNotFoundException.class)
                .hasMessageContaining("renamed to \"after\"");
        assertThat(renamed.append(payload(10, 5))).isEqualTo(5);

        reopen();
        MessageStream again = store.find(StreamName.of("after")).orElseThrow();
        assertThat(readAll(again, 0)).hasSize(6);
        assertThat(store.find(StreamName.of("before"))).isEmpty();
    }

    @Test
    void renameRefusesAnUnknownStreamAndATakenName() {
        create(definition("one", StrategyOnFull.REJECT_NEW_DATA));
        create(definition("two", StrategyOnFull.REJECT_NEW_DATA));

        assertThatThrownBy(() -> store.rename(StreamName.of("none"), StreamName.of("x"), CatalogRule.NONE))
                .isInstanceOf(StreamNotFoundException.class);
        assertThatThrownBy(() -> store.rename(StreamName.of("one"), StreamName.of("two"), CatalogRule.NONE))
                .isInstanceOf(StreamAlreadyExistsException.class);
        assertThat(store.list()).contains(StreamName.of("one"), StreamName.of("two"));
    }

    @Test
    void evictOldestSegmentFreesOneWholeSegmentButNeverTheOneBeingWritten() {
        MessageStream stream = create(small("quota", StrategyOnFull.OVERWRITE_OLDEST_DATA));
        for (int i = 0; i < 10; i++) {
            stream.append(payload(200, i));
        }
        long before = stream.info().totalSize().bytes();

        long freed = stream.evictOldestSegment();

        assertThat(freed).as("one segment of 4 messages").isEqualTo(4 * (200 + OVERHEAD));
        assertThat(stream.info().totalSize().bytes()).isEqualTo(before - freed);
        assertThat(stream.info().oldestSequenceNumber()).isEqualTo(4);
        assertThat(listener.evictions()).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo(EvictionReason.QUOTA);
            assertThat(e.first()).isZero();
            assertThat(e.last()).isEqualTo(3);
        });
        assertThat(stream.evictOldestSegment()).isEqualTo(4 * (200 + OVERHEAD));
        assertThat(stream.evictOldestSegment()).as("the segment being written stays").isZero();
        assertThat(readAll(stream, 0)).extracting(Message::sequenceNumber).containsExactly(8L, 9L);
    }

    @Test
    void overwriteOldestMayDropTheWholeStreamWhenOneSegmentHoldsEverything() {
        // segment size above maxSize: the stream is a single segment, so making room empties it
        MessageStream stream = create(definition("one-segment", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .maxSize(DataSize.ofKibibytes(2)).segmentSize(DataSize.ofMebibytes(16)));
        for (int i = 0; i < 9; i++) {
            stream.append(payload(200, i));
        }

        long sequence = stream.append(payload(200, 9));

        assertThat(sequence).isEqualTo(9);
        assertThat(sequences(readAll(stream, 0))).containsExactly(9L);
        assertThat(stream.info().oldestSequenceNumber()).isEqualTo(9);
    }

    @Test
    void aMessageLargerThanMaxSizeFailsWithPayloadTooLargeUnderEitherStrategy() {
        for (StrategyOnFull strategy : StrategyOnFull.values()) {
            MessageStream stream = create(definition("huge-" + strategy.ordinal(), strategy)
                    .maxSize(DataSize.ofKibibytes(1)).segmentSize(DataSize.ofKibibytes(1)));
            stream.append(payload(100, 1));

            assertThatThrownBy(() -> stream.append(payload(1024, 2)))
                    .isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("maxSize")
                    .hasMessageContaining("1 KiB");
            assertThat(sequences(readAll(stream, 0))).containsExactly(0L);
        }
    }

    @Test
    void aMessageLargerThanTheStoreLimitFailsWithPayloadTooLarge() {
        store.close();
        store = StreamStore.open(settings().withMaxMessageSize(DataSize.ofKibibytes(64)), services());
        MessageStream stream = create(definition("limit", StrategyOnFull.REJECT_NEW_DATA));

        assertThatThrownBy(() -> stream.append(new byte[64 * 1024 + 1]))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("maxMessageSize").hasMessageContaining("64 KiB");
        assertThat(stream.append(new byte[64 * 1024])).isZero();
    }

    @Test
    void aMessageLargerThanASegmentGetsASegmentOfItsOwn() {
        MessageStream stream = create(definition("big", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .maxSize(DataSize.ofKibibytes(64)).segmentSize(DataSize.ofKibibytes(1)));
        stream.append(payload(10, 0));
        stream.append(payload(5000, 1));
        stream.append(payload(10, 2));

        assertThat(readAll(stream, 0)).extracting(m -> m.payload().length).containsExactly(10, 5000, 10);
        assertThat(stream.info().segmentCount()).isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------------ TTL

    @Test
    void ttlRemovesSegmentsWhoseNewestMessageExpired() {
        MessageStream stream = create(small("ttl", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofKibibytes(64)).timeToLive(Duration.ofSeconds(60)));
        for (int i = 0; i < 6; i++) {
            stream.append(payload(200, i)); // segment [0..3] full, [4..5] active
        }
        clock.advance(Duration.ofSeconds(30));
        for (int i = 6; i < 12; i++) {
            stream.append(payload(200, i)); // [4..7] newest at +30 s, [8..11] at +30 s
        }

        clock.advance(Duration.ofSeconds(31)); // +61 s: only the first segment is entirely expired
        assertThat(stream.info().oldestSequenceNumber()).isEqualTo(4);
        assertThat(sequences(readAll(stream, 0))).isEqualTo(range(4, 11));

        clock.advance(Duration.ofSeconds(30)); // +91 s: everything is older than 60 s
        StreamInfo info = stream.info();
        assertThat(info.oldestSequenceNumber()).isEqualTo(12);
        assertThat(info.newestSequenceNumber()).isEqualTo(11);
        assertThat(info.totalSize()).isEqualTo(DataSize.ZERO);
        assertThat(readAll(stream, 0)).isEmpty();
        assertThat(listener.evictions()).extracting(RecordingStoreListener.Eviction::reason)
                .containsOnly(EvictionReason.TTL);
        assertThat(listener.evictions()).extracting(e -> e.first() + ".." + e.last())
                .containsExactly("0..3", "4..7", "8..11");

        assertThat(stream.append(payload(10, 12))).as("numbers are never reused").isEqualTo(12);
    }

    @Test
    void withoutTtlNothingExpires() {
        MessageStream stream = create(small("no-ttl", StrategyOnFull.REJECT_NEW_DATA));
        stream.append(payload(200, 0));
        clock.advance(Duration.ofDays(400));

        assertThat(sequences(readAll(stream, 0))).containsExactly(0L);
    }

    // ------------------------------------------------------------------------------------------------ flush

    @Test
    void flushOnWriteAppendsAreReadableAndAccounted() {
        MessageStream stream = create(definition("durable", StrategyOnFull.REJECT_NEW_DATA).flushOnWrite(true)
                .segmentSize(DataSize.ofKibibytes(4)));
        for (int i = 0; i < 50; i++) {
            assertThat(stream.append(payload(300, i))).isEqualTo(i);
        }

        List<Message> messages = readAll(stream, 0);
        assertThat(sequences(messages)).isEqualTo(range(0, 49));
        assertThat(messages.get(49).payload()).isEqualTo(payload(300, 49));
        assertThat(stream.info().totalSize().bytes()).isEqualTo(50L * (300 + OVERHEAD));
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    @Nested
    class StreamCheckpoints {

        @Test
        void savedRecordsLoadBackAndAreListedByName() {
            Checkpoints checkpoints = create(definition("cp", StrategyOnFull.REJECT_NEW_DATA)).checkpoints();
            checkpoints.save("export to-cloud, v2", Map.of("next", "17", "exportedBytes", "4096"));
            checkpoints.save("other", Map.of("next", "3"));
            checkpoints.save("other", Map.of("next", "4"));

            assertThat(checkpoints.load("export to-cloud, v2")).contains(Map.of("next", "17", "exportedBytes", "4096"));
            assertThat(checkpoints.load("other")).contains(Map.of("next", "4"));
            assertThat(checkpoints.load("missing")).isEmpty();
            assertThat(checkpoints.names()).containsExactly("export to-cloud, v2", "other");

            checkpoints.delete("other");
            checkpoints.delete("never saved");
            assertThat(checkpoints.names()).containsExactly("export to-cloud, v2");
        }

        @Test
        void deletingTheStreamDeletesItsCheckpoints() {
            MessageStream stream = create(definition("cp", StrategyOnFull.REJECT_NEW_DATA));
            stream.checkpoints().save("cursor", Map.of("next", "5"));
            store.delete(StreamName.of("cp"));

            assertThatThrownBy(stream::checkpoints).isInstanceOf(StreamNotFoundException.class);
            assertThat(create(definition("cp", StrategyOnFull.REJECT_NEW_DATA)).checkpoints().names()).isEmpty();
        }

        @Test
        void checkpointsLastAsLongAsTheMessages() {
            create(definition("cp", StrategyOnFull.REJECT_NEW_DATA)).checkpoints().save("cursor", Map.of("next", "5"));
            reopen();

            Optional<Map<String, String>> after = store.get(StreamName.of("cp")).checkpoints().load("cursor");
            if (persistence() == Persistence.FILE) {
                assertThat(after).contains(Map.of("next", "5"));
            } else {
                assertThat(after).as("a memory stream restarts empty, checkpoints included").isEmpty();
            }
        }
    }

    @Test
    void theListenerHearsOfStreamsCreatedUpdatedAndDeleted() {
        create(definition("watched", StrategyOnFull.REJECT_NEW_DATA));
        store.update(definition("watched", StrategyOnFull.OVERWRITE_OLDEST_DATA).build());
        store.delete(StreamName.of("watched"));

        assertThat(listener.catalogEvents()).containsExactly("created watched REJECT_NEW_DATA",
                "updated watched OVERWRITE_OLDEST_DATA", "deleted watched");
    }

    // ------------------------------------------------------------------------------------------------ reads

    @Nested
    class Reads {

        MessageStream stream;

        @BeforeEach
        void fiveMessages() {
            stream = create(definition("reads", StrategyOnFull.REJECT_NEW_DATA));
            for (int i = 0; i < 5; i++) {
                stream.append(bytes("m" + i));
            }
        }

        @Test
        void returnsEverythingAvailableUpToMax() {
            List<Message> messages = await(stream.read(ReadRequest.of(0, 1, 10, Duration.ZERO)));
            assertThat(sequences(messages)).isEqualTo(range(0, 4));
        }

        @Test
        void stopsAtMax() {
            assertThat(sequences(await(stream.read(ReadRequest.of(1, 1, 3, Duration.ZERO))))).containsExactly(1L, 2L, 3L);
        }

        @Test
        void startsAtTheDesiredSequenceNumber() {
            assertThat(sequences(await(stream.read(ReadRequest.of(3, 2, 2, Duration.ZERO))))).containsExactly(3L, 4L);
        }

        @Test
        void failsWithNotEnoughMessagesWhenFewerThanMinAndNoTimeout() {
            assertThatThrownBy(() -> await(stream.read(ReadRequest.of(3, 3, 5, Duration.ZERO))))
                    .isInstanceOf(NotEnoughMessagesException.class)
                    .hasMessageContaining("\"reads\"")
                    .hasMessageContaining("2 messages")
                    .hasMessageContaining("3");
        }

        @Test
        void readingPastTheEndFailsWithNotEnoughMessages() {
            assertThatThrownBy(() -> await(stream.read(ReadRequest.of(5, 1, 1, Duration.ZERO))))
                    .isInstanceOf(NotEnoughMessagesException.class);
            assertThatThrownBy(() -> await(stream.read(ReadRequest.of(1_000_000, 1, 1, Duration.ZERO))))
                    .isInstanceOf(NotEnoughMessagesException.class);
        }

        @Test
        void waitsForTheMinimumAndCompletesWhenAnAppendBringsIt() {
            CompletableFuture<List<Message>> read =
                    stream.read(ReadRequest.of(5, 3, 10, Duration.ofSeconds(10))).toCompletableFuture();
            stream.append(bytes("m5"));
            stream.append(bytes("m6"));
            assertThat(read).isNotDone();

            stream.append(bytes("m7"));

            assertThat(sequences(await(read))).containsExactly(5L, 6L, 7L);
        }

        @Test
        void aWaitingReadTimesOutWithNotEnoughMessages() {
            CompletableFuture<List<Message>> read =
                    stream.read(ReadRequest.of(5, 2, 2, Duration.ofSeconds(10))).toCompletableFuture();
            stream.append(bytes("m5"));
            clock.advance(Duration.ofMillis(9_999));
            assertThat(read).isNotDone();

            clock.advance(Duration.ofMillis(1));

            assertThatThrownBy(() -> await(read)).isInstanceOf(NotEnoughMessagesException.class)
                    .hasMessageContaining("1 message from sequence number 5");
        }

        @Test
        void aWaitingReadIsWokenByAnAppendOnAnotherThread() throws Exception {
            CompletableFuture<List<Message>> read =
                    stream.read(ReadRequest.of(5, 1, 1, Duration.ofMinutes(1))).toCompletableFuture();
            Thread appender = new Thread(() -> stream.append(bytes("from another thread")));
            appender.start();
            appender.join(WAIT.toMillis());

            assertThat(await(read)).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                    .containsExactly("from another thread");
        }

        @Test
        void waitingReadsHoldNoThreads() {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            List<CompletableFuture<List<Message>>> reads = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                reads.add(stream.read(ReadRequest.of(5, 1, 1, Duration.ofMinutes(1))).toCompletableFuture());
            }
            assertThat(ManagementFactory.getThreadMXBean().getThreadCount() - threadsBefore).isLessThan(3);
            assertThat(reads).noneMatch(CompletableFuture::isDone);

            stream.append(bytes("for everyone"));

            assertThat(reads).allSatisfy(read -> assertThat(sequences(await(read))).containsExactly(5L));
        }

        @Test
        void deletingTheStreamFailsItsWaitingReads() {
            CompletableFuture<List<Message>> read =
                    stream.read(ReadRequest.of(5, 1, 1, Duration.ofMinutes(1))).toCompletableFuture();

            store.delete(StreamName.of("reads"));

            assertThatThrownBy(() -> await(read)).isInstanceOf(StreamNotFoundException.class)
                    .hasMessageContaining("\"reads\"");
        }

        @Test
        void closingTheStoreFailsWaitingReads() {
            CompletableFuture<List<Message>> read =
                    stream.read(ReadRequest.of(5, 1, 1, Duration.ofMinutes(1))).toCompletableFuture();

            store.close();

            assertThatThrownBy(() -> await(read)).isInstanceOf(StoreClosedException.class);
            store = StreamStore.open(settings(), services()); // for closeStore()
        }

        @Test
        void aByteBudgetLimitsTheResponseButNeverBelowTheMinimum() {
            DataSize twoMessages = DataSize.ofBytes(2 * (2 + OVERHEAD));
            assertThat(sequences(await(stream.read(new ReadRequest(0, 1, 5, Duration.ZERO, twoMessages)))))
                    .containsExactly(0L, 1L);
            assertThatThrownBy(() -> await(stream.read(new ReadRequest(0, 3, 5, Duration.ZERO, twoMessages))))
                    .isInstanceOf(ResponseTooLargeException.class)
                    .hasMessageContaining("minMessageCount");
        }
    }

    @Test
    void readsStartAtTheOldestWhenTheDesiredStartWasEvicted() {
        MessageStream stream = create(small("clamped", StrategyOnFull.OVERWRITE_OLDEST_DATA));
        for (int i = 0; i < 40; i++) {
            stream.append(payload(200, i));
        }
        long oldest = stream.info().oldestSequenceNumber();

        List<Message> messages = await(stream.read(ReadRequest.of(0, 2, 2, Duration.ZERO)));

        assertThat(sequences(messages)).containsExactly(oldest, oldest + 1);
    }

    // ------------------------------------------------------------------------------------------------ threads

    @Test
    void eightThreadsAppendingAndTwoReadingLoseAndDuplicateNothing() throws Exception {
        int threads = 8;
        int perThread = 2_000;
        create(definition("shared", StrategyOnFull.REJECT_NEW_DATA).segmentSize(DataSize.ofKibibytes(64)));
        for (int s = 0; s < 4; s++) {
            create(definition("own-" + s, StrategyOnFull.REJECT_NEW_DATA).segmentSize(DataSize.ofKibibytes(16)));
        }
        // every appender records which sequence number each of its messages got
        long[][] sharedSequences = new long[threads][perThread];
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
        try {
            List<Future<?>> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                appenders.add(pool.submit(() -> {
                    MessageStream shared = store.get(StreamName.of("shared"));
                    MessageStream own = store.get(StreamName.of("own-" + thread % 4));
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        sharedSequences[thread][i] = shared.append(bytes(thread + ":" + i));
                        own.append(bytes(thread + ":" + i));
                    }
                    return null;
                }));
            }
            List<Future<List<Message>>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    MessageStream shared = store.get(StreamName.of("shared"));
                    List<Message> seen = new ArrayList<>();
                    start.await();
                    while (seen.size() < threads * perThread) {
                        seen.addAll(await(shared.read(ReadRequest.of(seen.size(), 1, 500, Duration.ofHours(1)))));
                    }
                    return seen;
                }));
            }
            start.countDown();
            for (Future<?> appender : appenders) {
                appender.get(60, TimeUnit.SECONDS);
            }
            List<Message> expected = readAll(store.get(StreamName.of("shared")), 0);
            assertThat(sequences(expected)).isEqualTo(range(0, threads * perThread - 1));
            for (Future<List<Message>> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).as("a concurrent reader saw the same").isEqualTo(expected);
            }
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    Message message = expected.get((int) sharedSequences[t][i]);
                    assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo(t + ":" + i);
                    if (i > 0) {
                        assertThat(sharedSequences[t][i]).as("one thread's appends keep their order")
                                .isGreaterThan(sharedSequences[t][i - 1]);
                    }
                }
            }
            for (int s = 0; s < 4; s++) {
                MessageStream own = store.get(StreamName.of("own-" + s));
                assertThat(sequences(readAll(own, 0))).isEqualTo(range(0, 2L * perThread - 1));
                assertThat(own.info().totalSize().bytes())
                        .isEqualTo(readAll(own, 0).stream().mapToLong(m -> m.payload().length + OVERHEAD).sum());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readersKeepUpWhileOverwriteEvictsUnderThem() throws Exception {
        MessageStream stream = create(small("churn", StrategyOnFull.OVERWRITE_OLDEST_DATA));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            int total = 1_500; // about 370 segments created and evicted
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < total; i++) {
                    stream.append(payload(200, i));
                }
            });
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    long next = 0;
                    long reads = 0;
                    while (next < total) {
                        List<Message> batch = await(stream.read(ReadRequest.of(next, 1, 50, Duration.ofHours(1))));
                        assertThat(batch.get(0).sequenceNumber()).isGreaterThanOrEqualTo(next);
                        for (int i = 0; i < batch.size(); i++) {
                            Message message = batch.get(i);
                            assertThat(message.sequenceNumber()).isEqualTo(batch.get(0).sequenceNumber() + i);
                            assertThat(message.payload()).isEqualTo(payload(200, message.sequenceNumber()));
                        }
                        next = batch.get(batch.size() - 1).sequenceNumber() + 1;
                        reads++;
                    }
                    return reads;
                }));
            }
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Long> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
            }
            assertThat(stream.info().totalSize().bytes()).isLessThanOrEqualTo(4096);
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------------ update

    @Test
    void updateCannotChangePersistence() {
        create(definition("keep", StrategyOnFull.REJECT_NEW_DATA));
        Persistence other = persistence() == Persistence.FILE ? Persistence.MEMORY : Persistence.FILE;

        assertThatThrownBy(() -> store.update(definition("keep", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(other).build()))
                .isInstanceOf(UpdateNotAllowedException.class)
                .hasMessageContaining("persistence")
                .hasMessageContaining(persistence() == Persistence.FILE ? "it is File" : "it is Memory");
        assertThat(store.get(StreamName.of("keep")).definition().persistence()).isEqualTo(persistence());
    }

    @Test
    void updateCannotShrinkMaxSizeBelowWhatIsStoredOrBelowTheSegmentSize() {
        MessageStream stream = create(small("shrink", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofKibibytes(8)));
        for (int i = 0; i < 10; i++) {
            stream.append(payload(200, i)); // 2240 bytes
        }

        assertThatThrownBy(() -> store.update(small("shrink", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofBytes(2239)).build()))
                .isInstanceOf(UpdateNotAllowedException.class)
                .hasMessageContaining("maxSize").hasMessageContaining("2240 bytes");
        assertThatThrownBy(() -> store.update(small("shrink", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofKibibytes(4)).segmentSize(DataSize.ofKibibytes(8)).build()))
                .isInstanceOf(UpdateNotAllowedException.class).hasMessageContaining("streamSegmentSize");

        store.update(small("shrink", StrategyOnFull.REJECT_NEW_DATA).maxSize(DataSize.ofBytes(2240)).build());
        assertThat(stream.definition().maxSize()).isEqualTo(DataSize.ofBytes(2240));
        assertThatThrownBy(() -> stream.append(payload(1, 0))).isInstanceOf(StreamFullException.class);
    }

    @Test
    void aShorterTtlEvictsAtOnce() {
        MessageStream stream = create(small("shorter", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofKibibytes(64)).timeToLive(Duration.ofHours(1)));
        for (int i = 0; i < 8; i++) {
            stream.append(payload(200, i));
        }
        clock.advance(Duration.ofMinutes(5));

        store.update(small("shorter", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofKibibytes(64)).timeToLive(Duration.ofMinutes(2)).build());

        assertThat(stream.info().oldestSequenceNumber()).isEqualTo(8);
        assertThat(readAll(stream, 0)).isEmpty();
    }

    @Test
    void switchingToOverwriteLetsAFullStreamTakeAppendsAgain() {
        MessageStream stream = create(small("switch", StrategyOnFull.REJECT_NEW_DATA));
        for (int i = 0; i < 18; i++) {
            stream.append(payload(200, i));
        }
        assertThatThrownBy(() -> stream.append(payload(200, 18))).isInstanceOf(StreamFullException.class);

        store.update(small("switch", StrategyOnFull.OVERWRITE_OLDEST_DATA).build());

        assertThat(stream.append(payload(200, 18))).isEqualTo(18);
        assertThat(stream.info().oldestSequenceNumber()).isEqualTo(4);
    }

    @Test
    void updatesAndDefinitionsSurviveARestart() {
        StreamDefinition original = definition("kept", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofMebibytes(3)).segmentSize(DataSize.ofKibibytes(512)).build();
        store.create(original);
        StreamDefinition updated = original.toBuilder().strategyOnFull(StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .timeToLive(Duration.ofMinutes(7)).flushOnWrite(true)
                .exports(List.of(
                        new ExportConfig.Http(ExportSettings.of("to-http"), URI.create("http://127.0.0.1:9/in"),
                                Optional.empty()),
                        new ExportConfig.Kinesis(new ExportSettings("to-kinesis", Optional.of(3), 0, false,
                                Optional.of(100), Optional.of(Duration.ofMillis(120_000))), "kds"),
                        new ExportConfig.S3TaskExecutor(ExportSettings.of("files"), Optional.empty(),
                                Optional.of(new ExportConfig.StatusConfig(Optional.of(StatusLevel.WARN),
                                        Optional.of(StreamName.of("status stream")))))))
                .build();
        store.update(updated);
        StreamDefinition other = definition("other name, with spaces.and-dots_", StrategyOnFull.REJECT_NEW_DATA)
                .build();
        store.create(other);

        reopen();

        assertThat(store.list()).containsExactly(updated.name(), other.name());
        assertThat(store.get(updated.name()).definition()).isEqualTo(updated);
        assertThat(updated.exports()).hasSize(3);
        assertThat(store.get(other.name()).definition()).isEqualTo(other);
    }

    // ------------------------------------------------------------------------------------------------ catalog rules

    @Test
    void aCatalogRuleSeesTheCatalogueAndItsRefusalChangesNothing() {
        store.create(definition("present", StrategyOnFull.REJECT_NEW_DATA).build());
        List<String> seen = new ArrayList<>();
        CatalogRule refuseUnlessOtherExists = (candidate, exists) -> {
            seen.add(candidate.name() + " present=" + exists.test(StreamName.of("present"))
                    + " self=" + exists.test(candidate.name()) + " other=" + exists.test(StreamName.of("other")));
            if (!exists.test(StreamName.of("other"))) {
                throw new IllegalStateException("no other");
            }
        };
        StreamDefinition fresh = definition("fresh", StrategyOnFull.REJECT_NEW_DATA).build();
        StreamDefinition longer = definition("present", StrategyOnFull.REJECT_NEW_DATA)
                .timeToLive(Duration.ofHours(1)).build();

        assertThatThrownBy(() -> store.create(fresh, refuseUnlessOtherExists)).hasMessage("no other");
        assertThatThrownBy(() -> store.update(longer, refuseUnlessOtherExists)).hasMessage("no other");

        assertThat(seen).containsExactly("fresh present=true self=false other=false",
                "present present=true self=true other=false");
        assertThat(store.list()).containsExactly(StreamName.of("present"));
        assertThat(store.get(StreamName.of("present")).definition().timeToLive()).isEmpty();
        assertThat(listener.catalogEvents()).containsExactly("created present REJECT_NEW_DATA");

        store.create(definition("other", StrategyOnFull.REJECT_NEW_DATA).build());
        store.create(fresh, refuseUnlessOtherExists);
        store.update(longer, refuseUnlessOtherExists);
        assertThat(store.list()).containsExactly(StreamName.of("fresh"), StreamName.of("other"),
                StreamName.of("present"));
        assertThat(store.get(StreamName.of("present")).definition()).isEqualTo(longer);
    }

    @Test
    void aCatalogRuleRunsBeforeTheNameIsChecked() {
        store.create(definition("taken", StrategyOnFull.REJECT_NEW_DATA).build());
        CatalogRule refuse = (candidate, exists) -> {
            throw new IllegalStateException("refused");
        };

        assertThatThrownBy(() -> store.create(definition("taken", StrategyOnFull.REJECT_NEW_DATA).build(), refuse))
                .hasMessage("refused");
        assertThatThrownBy(() -> store.update(definition("absent", StrategyOnFull.REJECT_NEW_DATA).build(), refuse))
                .hasMessage("refused");
    }

    // ------------------------------------------------------------------------------------------------ restart

    @Test
    void dataSurvivesARestartOnlyForFileStreamsAndNumbersContinue() {
        MessageStream stream = create(small("restart", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofKibibytes(64)));
        for (int i = 0; i < 10; i++) {
            stream.append(payload(200, i));
        }

        reopen();

        MessageStream reopened = store.get(StreamName.of("restart"));
        if (persistence() == Persistence.FILE) {
            assertThat(reopened.info().newestSequenceNumber()).isEqualTo(9);
            assertThat(reopened.info().totalSize().bytes()).isEqualTo(10L * 224);
            List<Message> messages = readAll(reopened, 0);
            assertThat(sequences(messages)).isEqualTo(range(0, 9));
            assertThat(messages.get(9).payload()).isEqualTo(payload(200, 9));
            assertThat(reopened.append(payload(200, 10))).isEqualTo(10);
        } else {
            assertThat(reopened.info().newestSequenceNumber()).isEqualTo(-1);
            assertThat(reopened.info().totalSize()).isEqualTo(DataSize.ZERO);
            assertThat(reopened.append(payload(200, 10))).isZero();
        }
    }

    @Test
    void ttlKeepsWorkingAfterARestart() {
        MessageStream stream = create(small("ttl-restart", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofKibibytes(64)).timeToLive(Duration.ofMinutes(1)));
        for (int i = 0; i < 6; i++) {
            stream.append(payload(200, i));
        }
        reopen();
        MessageStream reopened = store.get(StreamName.of("ttl-restart"));
        reopened.append(payload(200, 6));

        clock.advance(Duration.ofMinutes(2));

        assertThat(readAll(reopened, 0)).isEmpty();
        assertThat(reopened.append(payload(200, 7)))
                .isEqualTo(persistence() == Persistence.FILE ? 7 : 1);
    }

    // ------------------------------------------------------------------------------------------------ delete

    @Test
    void deleteRemovesEveryFileAndRecreatingStartsAtZero() throws Exception {
        MessageStream stream = create(small("gone", StrategyOnFull.OVERWRITE_OLDEST_DATA));
        for (int i = 0; i < 30; i++) {
            stream.append(payload(200, i));
        }

        store.delete(StreamName.of("gone"));

        try (Stream<Path> left = Files.list(root.resolve("streams"))) {
            assertThat(left).isEmpty();
        }
        assertThat(store.list()).isEmpty();
        assertThat(store.find(StreamName.of("gone"))).isEmpty();
        assertThatThrownBy(() -> stream.append(bytes("late"))).isInstanceOf(StreamNotFoundException.class);
        assertThatThrownBy(stream::info).isInstanceOf(StreamNotFoundException.class);

        MessageStream again = create(small("gone", StrategyOnFull.OVERWRITE_OLDEST_DATA));
        assertThat(again.info().newestSequenceNumber()).isEqualTo(-1);
        assertThat(again.append(bytes("new life"))).isZero();
        reopen();
        assertThat(sequences(readAll(store.get(StreamName.of("gone")), 0)))
                .isEqualTo(persistence() == Persistence.FILE ? List.of(0L) : List.of());
    }

    @Test
    void catalogueErrorsNameTheStream() {
        create(definition("exists", StrategyOnFull.REJECT_NEW_DATA));

        assertThatThrownBy(() -> create(definition("exists", StrategyOnFull.REJECT_NEW_DATA)))
                .isInstanceOf(StreamAlreadyExistsException.class).hasMessageContaining("\"exists\"");
        assertThatThrownBy(() -> store.delete(StreamName.of("missing")))
                .isInstanceOf(StreamNotFoundException.class).hasMessageContaining("\"missing\"");
        assertThatThrownBy(() -> store.update(definition("missing", StrategyOnFull.REJECT_NEW_DATA).build()))
                .isInstanceOf(StreamNotFoundException.class);
        assertThatThrownBy(() -> store.get(StreamName.of("missing"))).isInstanceOf(StreamNotFoundException.class);
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        store.close(); // idempotent

        assertThatThrownBy(() -> store.list()).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> create(definition("late", StrategyOnFull.REJECT_NEW_DATA)))
                .isInstanceOf(StoreClosedException.class);
        store = StreamStore.open(settings(), services());
    }
}
