package io.github.edgestream.core.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.Persistence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of {@link CursorStore}, run over the checkpoints of a FILE stream ({@link CursorStoreFileTest}) and a
 * MEMORY stream ({@link CursorStoreMemoryTest}).
 */
abstract class CursorStoreContractTest extends StreamCheckpointsFixture {

    private static final String VALID_128 = "a".repeat(128);

    protected CursorStore cursors;

    @Override
    protected void opened() {
        cursors = new CursorStore(checkpoints(), clock);
    }

    // ------------------------------------------------------------------------------------------ commit and get

    @Test
    void anAbsentCursorIsEmpty() {
        assertThat(cursors.get("reader")).isEmpty();
        assertThat(cursors.list()).isEmpty();
    }

    @Test
    void commitWithGenerationZeroCreatesTheCursorAtGenerationOne() {
        Cursor created = cursors.commit("reader", 10, 0);

        Cursor expected = new Cursor("reader", CursorKind.CONSUMER, 10, 1, clock.instant());
        assertThat(created).isEqualTo(expected);
        assertThat(cursors.get("reader")).contains(expected);
    }

    @Test
    void eachCommitIncrementsTheGenerationAndStampsTheClock() {
        cursors.commit("reader", 10, 0);
        clock.advance(Duration.ofSeconds(5));
        Cursor second = cursors.commit("reader", 20, 1);
        Cursor third = cursors.commit("reader", 20, 2); // staying put is allowed, and still a write

        assertThat(second.generation()).isEqualTo(2);
        assertThat(second.updatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(third.generation()).isEqualTo(3);
        assertThat(cursors.get("reader")).contains(third);
    }

    @Test
    void commitWithAStaleGenerationFailsNamingCursorGenerationsAndPosition() {
        cursors.commit("reader", 10, 0);
        cursors.commit("reader", 15, 1);

        assertThatThrownBy(() -> cursors.commit("reader", 20, 1))
                .isInstanceOfSatisfying(CursorConflictException.class, e -> {
                    assertThat(e.cursor()).isEqualTo("reader");
                    assertThat(e.expectedGeneration()).isEqualTo(1);
                    assertThat(e.actualGeneration()).isEqualTo(2);
                    assertThat(e.actualPosition()).hasValue(15);
                })
                .hasMessage("cursor \"reader\": expected generation 1 but it is at generation 2, position 15;"
                        + " re-read it and commit again");
        assertThat(cursors.get("reader").orElseThrow().position()).isEqualTo(15);
    }

    @Test
    void commitExpectingAGenerationOfAnAbsentCursorConflicts() {
        assertThatThrownBy(() -> cursors.commit("reader", 5, 3))
                .isInstanceOf(CursorConflictException.class)
                .hasMessageContaining("expected generation 3 but it is at generation 0")
                .hasMessageContaining("does not exist");
        assertThat(cursors.get("reader")).isEmpty();
    }

    @Test
    void creatingTwiceWithGenerationZeroConflicts() {
        cursors.commit("reader", 5, 0);

        assertThatThrownBy(() -> cursors.commit("reader", 5, 0)).isInstanceOf(CursorConflictException.class);
    }

    @Test
    void commitNeverMovesBackAndNamesBothPositions() {
        cursors.commit("reader", 100, 0);

        assertThatThrownBy(() -> cursors.commit("reader", 99, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 99")
                .hasMessageContaining("its position 100")
                .hasMessageContaining("reset");
        assertThat(cursors.get("reader").orElseThrow().generation()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ reset, delete

    @Test
    void resetMovesBackAndIncrementsTheGeneration() {
        cursors.commit("reader", 100, 0);
        Cursor reset = cursors.reset("reader", 3);

        assertThat(reset.position()).isEqualTo(3);
        assertThat(reset.generation()).isEqualTo(2);
        assertThatThrownBy(() -> cursors.commit("reader", 4, 1)).isInstanceOf(CursorConflictException.class);
        assertThat(cursors.commit("reader", 4, 2).generation()).isEqualTo(3);
    }

    @Test
    void resetCreatesAnAbsentCursor() {
        assertThat(cursors.reset("reader", 7)).isEqualTo(new Cursor("reader", CursorKind.CONSUMER, 7, 1,
                clock.instant()));
    }

    @Test
    void deleteRemovesTheCursorAndAFreshCommitStartsAtGenerationZero() {
        cursors.commit("reader", 100, 0);
        cursors.delete("reader");
        cursors.delete("reader"); // harmless when absent

        assertThat(cursors.get("reader")).isEmpty();
        assertThat(cursors.commit("reader", 1, 0).generation()).isEqualTo(1);
    }

    @Test
    void aDamagedRecordFailsGetIsLeftOutOfListAndCanBeDeleted() {
        checkpoints().save("cursor.broken", Map.of("kind", "CONSUMER", "position", "x"));
        cursors.commit("fine", 1, 0);

        assertThatThrownBy(() -> cursors.get("broken"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkpoint cursor.broken is damaged");
        assertThat(cursors.list()).extracting(Cursor::name).containsExactly("fine");
        cursors.delete("broken");
        assertThat(checkpoints().names()).containsExactly("cursor.fine");
    }

    // ------------------------------------------------------------------------------------------ validation

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "a b", "a/b", "..\\x", "caf\u00e9", "tab\t", "a:b"})
    void invalidNamesAreRejectedNamingFieldValueAndRule(String name) {
        assertThatThrownBy(() -> cursors.commit(name, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cursor name")
                .hasMessageContaining(name == null ? "missing" : "\"" + name + "\"")
                .hasMessageContaining("1 to 128 characters of A-Z a-z 0-9 _ . -");
        assertThatThrownBy(() -> cursors.get(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cursors.reset(name, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cursors.delete(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "_", ".", "-", "my-app_v1.2"})
    void validNamesFromOneTo128Characters(String name) {
        assertThat(cursors.commit(name, 0, 0).name()).isEqualTo(name);
        assertThat(checkpoints().names()).containsExactly("cursor." + name);
    }

    @Test
    void aNameOf128CharactersIsTheLongestAccepted() {
        assertThat(cursors.commit(VALID_128, 0, 0).name()).isEqualTo(VALID_128);
    }

    @Test
    void aNameOf129CharactersIsRejectedWithItsLength() {
        assertThatThrownBy(() -> cursors.commit(VALID_128 + "a", 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 128 characters")
                .hasMessageContaining("(it has 129)");
    }

    @Test
    void negativePositionsAndGenerationsAreRejected() {
        assertThatThrownBy(() -> cursors.commit("reader", -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("position -1 is negative (positions are >= 0)");
        assertThatThrownBy(() -> cursors.reset("reader", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position -1");
        assertThatThrownBy(() -> cursors.commit("reader", 0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedGeneration -1");
        assertThat(cursors.commit("reader", 0, 0).position()).isZero();
    }

    // ------------------------------------------------------------------------------------------ list

    @Test
    void recordsAreNamedCursorDotNameNeverWithTheExportsPrefix() {
        cursors.commit("export.x", 1, 0); // a legal cursor name that looks like an export record's

        assertThat(checkpoints().names()).containsExactly("cursor.export.x");
        assertThat(cursors.list()).containsExactly(new Cursor("export.x", CursorKind.CONSUMER, 1, 1,
                clock.instant()));
    }

    @Test
    void listShowsConsumersGroupsAndExportsSortedByName() {
        cursors.commit("zeta", 5, 0);
        cursors.commit("alpha", 9, 0);
        saveExportProgress("kinesis-1", 1500, Optional.of(Instant.parse("2025-12-31T23:00:00Z")));
        saveExportProgress("beta export", 3, Optional.empty());
        new ConsumerGroups(cursors, 2).reset("group-a", List.of(7L, 4L));
        checkpoints().save("unrelated", Map.of("next", "1"));

        assertThat(cursors.list()).containsExactly(
                new Cursor("alpha", CursorKind.CONSUMER, 9, 1, clock.instant()),
                new Cursor("beta export", CursorKind.EXPORT, 3, 0, Instant.EPOCH),
                new Cursor("group-a", CursorKind.GROUP, 4, 1, clock.instant()), // the lowest partition position
                new Cursor("kinesis-1", CursorKind.EXPORT, 1500, 0, Instant.parse("2025-12-31T23:00:00Z")),
                new Cursor("zeta", CursorKind.CONSUMER, 5, 1, clock.instant()));
    }

    @Test
    void anExportAndAConsumerMayShareANameAndGetFindsOnlyTheConsumer() {
        saveExportProgress("shared", 40, Optional.empty());
        assertThat(cursors.get("shared")).isEmpty();

        cursors.commit("shared", 2, 0);
        cursors.delete("shared");

        assertThat(cursors.list()).extracting(Cursor::kind).containsExactly(CursorKind.EXPORT);
    }

    @Test
    void aGroupsCursorIsNotMovedOrDeletedThroughTheCursorStore() {
        new ConsumerGroups(cursors, 1).reset("group-a", List.of(3L));

        assertThatThrownBy(() -> cursors.commit("group-a", 5, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cursor \"group-a\" is a GROUP cursor, not a CONSUMER; move it through ConsumerGroups");
        assertThatThrownBy(() -> cursors.reset("group-a", 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cursors.delete("group-a")).isInstanceOf(IllegalStateException.class);
        assertThat(cursors.get("group-a").orElseThrow().position()).isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------ durability

    @Test
    void cursorsLastAsLongAsTheStreamsCheckpoints() {
        cursors.commit("reader", 42, 0);
        cursors.commit("reader", 43, 1);
        reopen();

        if (persistence() == Persistence.FILE) {
            assertThat(cursors.get("reader")).contains(new Cursor("reader", CursorKind.CONSUMER, 43, 2,
                    clock.instant()));
            assertThatThrownBy(() -> cursors.commit("reader", 44, 1)).isInstanceOf(CursorConflictException.class);
            assertThat(cursors.commit("reader", 44, 2).generation()).isEqualTo(3);
        } else {
            assertThat(cursors.get("reader")).as("a memory stream restarts empty, cursors included").isEmpty();
        }
    }

    @Test
    void deletingTheStreamDeletesItsCursors() {
        cursors.commit("reader", 42, 0);
        store.delete(STREAM);
        reopen();

        assertThat(cursors.list()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ concurrency

    /** 8 threads x 1000 compare-and-set attempts on one cursor: every generation has exactly one winner. */
    @Test
    void concurrentCommitsWithTheSameGenerationHaveExactlyOneWinner() throws Exception {
        int threads = 8;
        int attempts = 1000;
        Map<Long, Integer> winnerOfGeneration = new ConcurrentHashMap<>();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong successes = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attempts; i++) {
                        long generation = cursors.get("shared").map(Cursor::generation).orElse(0L);
                        try {
                            // position = the new generation, so a winner never moves the cursor back
                            Cursor won = cursors.commit("shared", generation + 1, generation);
                            successes.incrementAndGet();
                            if (winnerOfGeneration.putIfAbsent(won.generation(), thread) != null) {
                                duplicates.incrementAndGet();
                            }
                        } catch (CursorConflictException lost) {
                            // another thread took this generation
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        Cursor last = cursors.get("shared").orElseThrow();
        assertThat(duplicates).hasValue(0);
        assertThat(successes.get()).isPositive();
        assertThat(last.generation()).isEqualTo(successes.get());
        assertThat(last.position()).isEqualTo(successes.get());
        assertThat(winnerOfGeneration.keySet())
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, successes.get()).boxed().toList());
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Writes an export's progress record key for key as ExportProgress.save does (see its Javadoc). */
    private void saveExportProgress(String identifier, long next, Optional<Instant> lastExportTime) {
        var values = new LinkedHashMap<String, String>();
        values.put("start", "0");
        values.put("next", Long.toString(next));
        values.put("exportedMessages", Long.toString(next));
        values.put("exportedBytes", Long.toString(next * 100));
        values.put("skippedMessages", "0");
        values.put("lostMessages", "0");
        if (next > 0) {
            values.put("issued", Long.toString(next));
        }
        lastExportTime.ifPresent(time -> values.put("lastExportTime", Long.toString(time.toEpochMilli())));
        checkpoints().save("export." + identifier, values);
    }
}
