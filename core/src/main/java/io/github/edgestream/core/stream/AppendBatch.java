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
 * @param fenceTo              if present, the stream's fencing token becomes this, atomically with the batch (S2's
 *                             {@code fence} command record): appends after this batch must carry the new token;
 *                             the batch itself is checked against the token before it
 */
public record AppendBatch(List<AppendRecord> records, OptionalLong expectedNextSequence, Optional<String> fencingToken,
        TimestampRule timestamps, Optional<String> fenceTo) {

    /** How a producer's timestamps must compare with the stream's newest record. */
    public enum TimestampRule {
        /** Equal to or later than the newest (the store's rule for every API). */
        NON_DECREASING,
        /** Strictly later than the newest (ReductStore: one record per timestamp). */
        INCREASING,
        /**
         * Never refused: a producer timestamp earlier than the newest is raised to it (S2, whose timestamps are
         * non-decreasing by adjustment, not by rejection).
         */
        RAISE
    }

    public AppendBatch {
        records = List.copyOf(records);
        Objects.requireNonNull(expectedNextSequence, "expectedNextSequence");
        Objects.requireNonNull(fencingToken, "fencingToken");
        Objects.requireNonNull(timestamps, "timestamps");
        Objects.requireNonNull(fenceTo, "fenceTo");
    }

    /** An unconditional batch with the default timestamp rule. */
    public static AppendBatch of(List<AppendRecord> records) {
        return new AppendBatch(records, OptionalLong.empty(), Optional.empty(), TimestampRule.NON_DECREASING,
                Optional.empty());
    }

    /** An unconditional batch of one record. */
    public static AppendBatch of(AppendRecord record) {
        return of(List.of(record));
    }

    public AppendBatch expectingNext(long sequence) {
        return new AppendBatch(records, OptionalLong.of(sequence), fencingToken, timestamps, fenceTo);
    }

    public AppendBatch withFencingToken(String token) {
        return new AppendBatch(records, expectedNextSequence, Optional.of(token), timestamps, fenceTo);
    }

    public AppendBatch withTimestampRule(TimestampRule rule) {
        return new AppendBatch(records, expectedNextSequence, fencingToken, rule, fenceTo);
    }

    /** The same batch, setting the stream's fencing token to {@code token} with it. */
    public AppendBatch fencingTo(String token) {
        return new AppendBatch(records, expectedNextSequence, fencingToken, timestamps, Optional.of(token));
    }
}
