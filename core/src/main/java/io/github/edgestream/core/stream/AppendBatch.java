package io.github.edgestream.core.stream;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Records to append all-or-nothing, with consecutive sequence numbers, and the conditions under which to do it.
 * Every condition is checked under the stream's append lock, before anything is written; if one fails nothing is
 * written.
 *
 * @param records              1 to {@link RecordLimits#MAX_BATCH_RECORDS} records
 * @param expectedNextSequence if present, the sequence number the first record must get (S2 {@code match_seq_num}):
 *                             otherwise the append fails with {@link SequenceMismatchException} naming the actual one
 * @param fencingToken         if present, must equal the stream's fencing token (see
 *                             {@link MessageStream#fence}); otherwise {@link FencingTokenMismatchException}
 * @param timestamps           how producer timestamps must relate to the stream's newest one
 */
public record AppendBatch(List<AppendRecord> records, OptionalLong expectedNextSequence, Optional<String> fencingToken,
        TimestampRule timestamps) {

    /** How a producer's timestamps must compare with the stream's newest record. */
    public enum TimestampRule {
        /** Equal to or later than the newest (the store's rule for every API). */
        NON_DECREASING,
        /** Strictly later than the newest (ReductStore: one record per timestamp). */
        INCREASING
    }

    public AppendBatch {
        records = List.copyOf(records);
        Objects.requireNonNull(expectedNextSequence, "expectedNextSequence");
        Objects.requireNonNull(fencingToken, "fencingToken");
        Objects.requireNonNull(timestamps, "timestamps");
    }

    /** An unconditional batch with the default timestamp rule. */
    public static AppendBatch of(List<AppendRecord> records) {
        return new AppendBatch(records, OptionalLong.empty(), Optional.empty(), TimestampRule.NON_DECREASING);
    }

    /** An unconditional batch of one record. */
    public static AppendBatch of(AppendRecord record) {
        return of(List.of(record));
    }

    public AppendBatch expectingNext(long sequence) {
        return new AppendBatch(records, OptionalLong.of(sequence), fencingToken, timestamps);
    }

    public AppendBatch withFencingToken(String token) {
        return new AppendBatch(records, expectedNextSequence, Optional.of(token), timestamps);
    }

    public AppendBatch withTimestampRule(TimestampRule rule) {
        return new AppendBatch(records, expectedNextSequence, fencingToken, rule);
    }
}
