package io.github.edgestream.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.SequenceHistoryChecker.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Conditional appends ({@code expectingNext}) from 8 threads racing for the tail, for each persistence: every thread
 * reads the tail, appends expecting it, and on a mismatch retries at the tail the exception names. The history of
 * every attempt (with invoke and completion ticks of one logical clock) is then checked against the stream read back
 * by {@link SequenceHistoryChecker}: each number won exactly once, nothing lost or extra, mismatches within what had
 * been invoked and acknowledged, batches never interleaved.
 */
class ConditionalAppendConcurrencyTest extends StoreTestFixture {

    private static final int THREADS = 8;
    private static final int SUCCESSES = 2_000; // a multiple of THREADS
    private static final int MAX_BATCH = 20;
    /** Bound on the whole race; a run takes well under a second per variant. */
    private static final long RACE_SECONDS = 15;

    enum Variant {
        FILE_FLUSH_ON_WRITE(Persistence.FILE, true),
        FILE(Persistence.FILE, false),
        MEMORY(Persistence.MEMORY, false);

        final Persistence persistence;
        final boolean flushOnWrite;

        Variant(Persistence persistence, boolean flushOnWrite) {
            this.persistence = persistence;
            this.flushOnWrite = flushOnWrite;
        }
    }

    /** Each test names its stream's persistence (see {@link Variant}); this one is not used. */
    @Override
    protected Persistence persistence() {
        return Persistence.FILE;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void everySequenceNumberIsWonByExactlyOneSingleRecordAppend(Variant variant) throws Exception {
        race(variant, 1);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void conditionalBatchesOfOneToTwentyRecordsNeverInterleave(Variant variant) throws Exception {
        race(variant, MAX_BATCH);
    }

    private void race(Variant variant, int maxBatch) throws Exception {
        // small segments, so that batches also meet roll-overs
        MessageStream stream = store.create(StreamDefinition.builder("race", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(variant.persistence).flushOnWrite(variant.flushOnWrite)
                .segmentSize(DataSize.ofKibibytes(16)).build());
        AtomicLong ticks = new AtomicLong();
        AtomicInteger successes = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong tailsRead = new AtomicLong();
        // every thread wins once per round, so the race stops at exactly SUCCESSES
        CyclicBarrier rounds = new CyclicBarrier(THREADS, () -> done.set(successes.get() >= SUCCESSES));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RACE_SECONDS);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Operation>>> histories = new ArrayList<>();
        List<Operation> history = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                histories.add(threads.submit(() -> appendRounds(stream, thread, maxBatch, ticks, successes, rounds,
                        done, tailsRead, deadline)));
            }
            for (Future<List<Operation>> thread : histories) {
                history.addAll(thread.get(RACE_SECONDS + 5, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("appending threads ended").isTrue();
        }

        SequenceHistoryChecker checker = new SequenceHistoryChecker(history);
        assertThat(checker.successCount()).as("successful appends").isEqualTo(SUCCESSES);
        assertThat(checker.mismatchCount()).as("mismatches: at least the seven losers of each round's first race")
                .isGreaterThanOrEqualTo((THREADS - 1) * (SUCCESSES / THREADS));
        assertThat(checker.problems(readAll(stream, 0))).isEmpty();
        assertThat(stream.info().newestSequenceNumber() + 1).isEqualTo(checker.successfulRecords());
    }

    /**
     * One thread's rounds; returns its history. A round starts when every thread has finished the previous one (the
     * barrier); no thread appends until all have read the tail, so all eight first expect the same number and seven
     * of them are refused; a thread's round ends with its success, after as many mismatches as it takes. Without the
     * rounds, memory and unsynced file streams append so fast that one thread wins hundreds of numbers in one time
     * slice and the threads hardly ever meet. Fails (by exception) on anything but success or mismatch.
     */
    private static List<Operation> appendRounds(MessageStream stream, int thread, int maxBatch, AtomicLong ticks,
            AtomicInteger successes, CyclicBarrier rounds, AtomicBoolean done, AtomicLong tailsRead, long deadline)
            throws Exception {
        List<Operation> history = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(thread);
        int attempt = 0;
        for (long round = 1; ; round++) {
            rounds.await(RACE_SECONDS, TimeUnit.SECONDS);
            if (done.get()) {
                return history;
            }
            long tail = stream.info().newestSequenceNumber() + 1;
            tailsRead.incrementAndGet();
            while (tailsRead.get() < round * THREADS) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("thread " + thread + ": the others did not read the tail in time");
                }
                Thread.yield();
            }
            boolean won = false;
            while (!won) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("thread " + thread + ": fewer than " + SUCCESSES + " successes in "
                            + RACE_SECONDS + " s (" + successes.get() + ")");
                }
                attempt++;
                int count = maxBatch == 1 ? 1 : random.nextInt(1, maxBatch + 1);
                List<String> payloads = new ArrayList<>(count);
                List<AppendRecord> records = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String payload = SequenceHistoryChecker.payload(thread, attempt, i, count);
                    payloads.add(payload);
                    records.add(AppendRecord.of(payload.getBytes(StandardCharsets.UTF_8)));
                }
                long invoked = ticks.incrementAndGet();
                try {
                    AppendResult result = await(stream.appendBatchAsync(AppendBatch.of(records).expectingNext(tail)));
                    long completed = ticks.incrementAndGet();
                    history.add(Operation.success(thread, attempt, tail, payloads, result.firstSequence(), invoked,
                            completed));
                    successes.incrementAndGet();
                    won = true;
                } catch (SequenceMismatchException mismatch) {
                    long completed = ticks.incrementAndGet();
                    history.add(Operation.mismatch(thread, attempt, tail, payloads, mismatch.actual(), invoked,
                            completed));
                    tail = mismatch.actual();
                }
            }
        }
    }
}
