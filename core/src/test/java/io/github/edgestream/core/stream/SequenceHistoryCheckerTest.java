package io.github.edgestream.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.SequenceHistoryChecker.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker finds what it is meant to find, so that a passing concurrency test means something. */
class SequenceHistoryCheckerTest {

    private static List<String> batch(int thread, int attempt, int count) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add(SequenceHistoryChecker.payload(thread, attempt, i, count));
        }
        return payloads;
    }

    private static List<Message> stored(List<String> payloads) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            messages.add(new Message(i, 0, payloads.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        return messages;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    // thread 0 wins 0..1, thread 1 is refused at 0 (tail 2) and wins 2
    private final List<String> a = batch(0, 1, 2);
    private final List<String> b = batch(1, 1, 1);
    private final List<String> c = batch(1, 2, 1);
    private final List<Operation> valid = List.of(
            Operation.success(0, 1, 0, a, 0, 1, 3),
            Operation.mismatch(1, 1, 0, b, 2, 2, 4),
            Operation.success(1, 2, 2, c, 2, 5, 6));

    @Test
    void acceptsAValidHistory() {
        assertThat(new SequenceHistoryChecker(valid).problems(stored(concat(a, c)))).isEmpty();
    }

    @Test
    void findsALostSuccess() {
        assertThat(new SequenceHistoryChecker(valid).problems(stored(a)))
                .anySatisfy(p -> assertThat(p).contains("holds 2 records, the successes add up to 3"));
    }

    @Test
    void findsARefusedRecordInTheWinnersPlace() {
        assertThat(new SequenceHistoryChecker(valid).problems(stored(concat(a, b))))
                .anySatisfy(p -> assertThat(p).contains("holds \"t1-a1-r0of1\", not \"t1-a2-r0of1\""));
    }

    @Test
    void findsAnExtraRecord() {
        assertThat(new SequenceHistoryChecker(valid).problems(stored(concat(concat(a, c), b))))
                .anySatisfy(p -> assertThat(p).contains("holds 4 records, the successes add up to 3"));
    }

    @Test
    void findsTwoSuccessesAtOneNumber() {
        List<Operation> history = List.of(Operation.success(0, 1, 0, b, 0, 1, 2),
                Operation.success(1, 1, 0, c, 0, 3, 4));
        assertThat(new SequenceHistoryChecker(history).problems(stored(b)))
                .anySatisfy(p -> assertThat(p).contains("overlaps"));
    }

    @Test
    void findsAMismatchNamingATailNobodyHadInvoked() {
        // the mismatch completed (tick 2) before the only success was invoked (tick 3)
        List<Operation> history = List.of(Operation.mismatch(1, 1, 0, b, 1, 1, 2),
                Operation.success(0, 1, 0, c, 0, 3, 4));
        assertThat(new SequenceHistoryChecker(history).problems(stored(c)))
                .anySatisfy(p -> assertThat(p).contains("actual tail 1 but only 0 records had been invoked"));
    }

    @Test
    void findsAMismatchNamingATailBelowWhatWasAcknowledged() {
        List<Operation> history = List.of(Operation.success(0, 1, 0, a, 0, 1, 2),
                Operation.mismatch(1, 1, 0, b, 1, 3, 4));
        assertThat(new SequenceHistoryChecker(history).problems(stored(a)))
                .anySatisfy(p -> assertThat(p).contains("actual tail 1 but 2 records had been acknowledged"));
    }

    @Test
    void findsInterleavedBatches() {
        List<String> d = batch(1, 3, 2);
        List<String> interleaved = List.of(a.get(0), d.get(0), a.get(1), d.get(1));
        assertThat(new SequenceHistoryChecker(List.of()).problems(stored(interleaved)))
                .anySatisfy(p -> assertThat(p).contains("batch t0-a1: record 1 of 2 is at sequence 2"));
    }
}
