package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a history of conditional appends ({@code expectingNext}) against what the stream stored. Each operation
 * carries an invoke and a completion time from one logical clock shared by all threads, so real-time order between
 * operations is known where it exists. Rules:
 *
 * <ol>
 *   <li>The successful batches tile 0..N-1: each got the sequence number it expected, no two overlap, none is
 *       missing; the stream holds exactly 0..N-1 and the record at each number is that batch's record.</li>
 *   <li>Every record's batch is contiguous in the stream, in batch order (read from the stored payloads alone, which
 *       name their batch as {@code t<thread>-a<attempt>-r<index>of<count>}).</li>
 *   <li>A mismatch names a tail above what it expected, at most the records of the successes invoked before the
 *       mismatch completed (the tail cannot hold what nobody had asked for yet), and at least the records of the
 *       successes completed before it was invoked (nor lose what was acknowledged).</li>
 *   <li>The same bounds for a success: its first sequence number lies between the records of the successes completed
 *       before it was invoked and those invoked before it completed.</li>
 * </ol>
 *
 * Not thread-safe; build the history first, then check it once.
 */
final class SequenceHistoryChecker {

    private static final int MAX_REPORTED = 20;

    /** One conditional append as a thread saw it. */
    record Operation(int thread, int attempt, long expected, List<String> payloads, boolean succeeded, long result,
            long invokedAt, long completedAt) {

        Operation {
            payloads = List.copyOf(payloads);
        }

        /** Acknowledged with {@code firstSequence}. */
        static Operation success(int thread, int attempt, long expected, List<String> payloads, long firstSequence,
                long invokedAt, long completedAt) {
            return new Operation(thread, attempt, expected, payloads, true, firstSequence, invokedAt, completedAt);
        }

        /** Refused with SequenceMismatchException naming {@code actual}. */
        static Operation mismatch(int thread, int attempt, long expected, List<String> payloads, long actual,
                long invokedAt, long completedAt) {
            return new Operation(thread, attempt, expected, payloads, false, actual, invokedAt, completedAt);
        }

        int count() {
            return payloads.size();
        }

        @Override
        public String toString() {
            return (succeeded ? "success(first=" : "mismatch(actual=") + result + ", expected=" + expected
                    + ", thread " + thread + ", attempt " + attempt + ", " + count() + " records, clock "
                    + invokedAt + ".." + completedAt + ")";
        }
    }

    /** The payload a checked record must carry: names its batch, its place in it and the batch's size. */
    static String payload(int thread, int attempt, int index, int count) {
        return "t" + thread + "-a" + attempt + "-r" + index + "of" + count;
    }

    private final List<Operation> successes;
    private final List<Operation> mismatches;
    private final long[] successInvokes;
    private final long[] recordsInvokedBefore;
    private final long[] successCompletions;
    private final long[] recordsCompletedBefore;
    private final List<String> problems = new ArrayList<>();

    SequenceHistoryChecker(List<Operation> history) {
        successes = history.stream().filter(Operation::succeeded).sorted(Comparator.comparingLong(Operation::result))
                .toList();
        mismatches = history.stream().filter(o -> !o.succeeded()).toList();
        List<Operation> byInvoke = successes.stream().sorted(Comparator.comparingLong(Operation::invokedAt)).toList();
        successInvokes = byInvoke.stream().mapToLong(Operation::invokedAt).toArray();
        recordsInvokedBefore = prefixCounts(byInvoke);
        List<Operation> byCompletion = successes.stream().sorted(Comparator.comparingLong(Operation::completedAt))
                .toList();
        successCompletions = byCompletion.stream().mapToLong(Operation::completedAt).toArray();
        recordsCompletedBefore = prefixCounts(byCompletion);
    }

    int successCount() {
        return successes.size();
    }

    long successfulRecords() {
        return successes.stream().mapToLong(Operation::count).sum();
    }

    int mismatchCount() {
        return mismatches.size();
    }

    /** Every broken rule (the first {@value #MAX_REPORTED}), given the stream's records from 0; empty if none. */
    List<String> problems(List<Message> stored) {
        problems.clear();
        checkTiling();
        checkStored(stored);
        checkContiguity(stored);
        for (Operation success : successes) {
            checkBounds(success, success.result(), "first sequence");
        }
        for (Operation mismatch : mismatches) {
            if (mismatch.result() <= mismatch.expected()) {
                report(mismatch + ": the actual tail is not above the expected one");
            }
            checkBounds(mismatch, mismatch.result(), "actual tail");
        }
        return List.copyOf(problems);
    }

    private void checkTiling() {
        long next = 0;
        for (Operation success : successes) {
            if (success.result() != success.expected()) {
                report(success + ": acknowledged at another sequence number than it expected");
            }
            if (success.result() < next) {
                report(success + ": overlaps the success before it, which ends at " + (next - 1));
            } else if (success.result() > next) {
                report(success + ": nothing won " + next + ".." + (success.result() - 1));
            }
            next = Math.max(next, success.result() + success.count());
        }
    }

    private void checkStored(List<Message> stored) {
        long expected = successfulRecords();
        if (stored.size() != expected) {
            report("the stream holds " + stored.size() + " records, the successes add up to " + expected);
        }
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).sequenceNumber() != i) {
                report("record " + i + " read back has sequence number " + stored.get(i).sequenceNumber());
                return;
            }
        }
        for (Operation success : successes) {
            for (int i = 0; i < success.count(); i++) {
                long sequence = success.result() + i;
                if (sequence >= stored.size()) {
                    report(success + ": record " + i + " (sequence " + sequence + ") is not stored");
                    break;
                }
                String actual = text(stored.get((int) sequence));
                if (!actual.equals(success.payloads().get(i))) {
                    report(success + ": sequence " + sequence + " holds \"" + actual + "\", not \""
                            + success.payloads().get(i) + "\"");
                }
            }
        }
    }

    /** From the stored records alone: each batch's records are consecutive, in order, and all there. */
    private void checkContiguity(List<Message> stored) {
        Map<String, long[]> batches = new HashMap<>(); // batch -> {first sequence, records seen, count}
        for (Message message : stored) {
            String payload = text(message);
            int r = payload.lastIndexOf("-r");
            int of = payload.lastIndexOf("of");
            if (r < 0 || of < r) {
                report("sequence " + message.sequenceNumber() + " holds \"" + payload + "\", not a checked payload");
                continue;
            }
            String batch = payload.substring(0, r);
            int index = Integer.parseInt(payload.substring(r + 2, of));
            int count = Integer.parseInt(payload.substring(of + 2));
            long[] seen = batches.computeIfAbsent(batch, b -> new long[] {message.sequenceNumber() - index, 0, count});
            if (message.sequenceNumber() != seen[0] + index || seen[1] != index) {
                report("batch " + batch + ": record " + index + " of " + count + " is at sequence "
                        + message.sequenceNumber() + ", not right after the batch's record " + (seen[1] - 1)
                        + " (batch starts at " + seen[0] + ")");
            }
            seen[1]++;
        }
        batches.forEach((batch, seen) -> {
            if (seen[1] != seen[2]) {
                report("batch " + batch + ": " + seen[1] + " of its " + seen[2] + " records are stored");
            }
        });
    }

    private void checkBounds(Operation operation, long tail, String what) {
        long atMost = recordsBefore(successInvokes, recordsInvokedBefore, operation.completedAt());
        long atLeast = recordsBefore(successCompletions, recordsCompletedBefore, operation.invokedAt());
        if (tail > atMost) {
            report(operation + ": " + what + " " + tail + " but only " + atMost
                    + " records had been invoked when it completed");
        }
        if (tail < atLeast) {
            report(operation + ": " + what + " " + tail + " but " + atLeast
                    + " records had been acknowledged before it was invoked");
        }
    }

    /** Records of the successes whose time (invoke or completion, per {@code times}) is below {@code time}. */
    private static long recordsBefore(long[] times, long[] prefix, long time) {
        int found = Arrays.binarySearch(times, time);
        int below = found >= 0 ? found : -found - 1; // times are distinct ticks of one clock
        return prefix[below];
    }

    private static long[] prefixCounts(List<Operation> operations) {
        long[] prefix = new long[operations.size() + 1];
        for (int i = 0; i < operations.size(); i++) {
            prefix[i + 1] = prefix[i] + operations.get(i).count();
        }
        return prefix;
    }

    private void report(String problem) {
        if (problems.size() < MAX_REPORTED) {
            problems.add(Objects.requireNonNull(problem));
        }
    }

    private static String text(Message message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }
}
