package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed ReductStore {@code when} condition: selects records of one entry by their labels and timestamp, as
 * ReductStore v1.21 does ({@code reductstore/src/storage/query/condition/} and {@code filters/when.rs}).
 *
 * <p>{@link #parse} checks the whole condition up front: every operator known with the right number of operands,
 * at most {@value ConditionParser#MAX_DEPTH} levels deep and {@value ConditionParser#MAX_NODES} JSON values in all.
 * The keys of one object are ANDed, in their JSON order, with short-circuit: a stateful operator ({@code $limit},
 * {@code $each_n}, {@code $each_t}, {@code $gate}) only counts the records that reach it, so
 * {@code {"&a": {"$eq": 1}, "$limit": 3}} gives the first three records with a=1, while
 * {@code {"$limit": 3, "&a": {"$eq": 1}}} looks at three records only.
 *
 * <p>The HTTP handler makes one {@link Evaluator} per scan of one entry (the counters of {@code $limit} and the
 * windows of {@code $each_t} belong to that scan; a query over several entries makes one evaluator per entry, as
 * ReductStore runs one filter per entry) and feeds it the records in timestamp order. A record that fails to
 * evaluate (a missing label, an operand of the wrong type) is skipped, or, in strict mode, ends the query with
 * {@link ConditionException}. Condition directives ({@code #ctx_before}, {@code #select_labels}, …) are rejected.
 *
 * <p>Immutable and thread-safe; an {@link Evaluator} is not.
 */
final class Condition {

    /** What the scan does with a record. */
    enum Verdict {
        /** The record matches: return it. */
        INCLUDE,
        /** The record does not match (or, outside strict mode, could not be evaluated): go on to the next. */
        SKIP,
        /** {@code $limit} is exhausted: this record is not returned and the scan ends; later calls say STOP too. */
        STOP
    }

    private final ConditionNode root;
    private final int stateSlots;
    private final boolean strict;

    private Condition(ConditionNode root, int stateSlots, boolean strict) {
        this.root = root;
        this.stateSlots = stateSlots;
        this.strict = strict;
    }

    /**
     * Parses {@code when} (the {@code when} member of a query body, an object in all practical cases; a bare
     * scalar such as {@code true} is accepted as ReductStore does).
     *
     * @param strict whether a record that cannot be evaluated fails the query instead of being skipped
     * @throws ConditionException naming the operator, value or limit when {@code when} is not a valid condition
     */
    static Condition parse(JsonNode when, boolean strict) {
        ConditionParser parser = new ConditionParser();
        ConditionNode root = parser.parseRoot(when);
        return new Condition(root, parser.slots(), strict);
    }

    boolean strict() {
        return strict;
    }

    /** A fresh evaluator, its counters at zero, for one scan of one entry. */
    Evaluator evaluator() {
        return new Evaluator(this);
    }

    /** Thrown by {@code $limit} to end the scan wherever it sits in the tree, like ReductStore's Interrupt. */
    static final class Stop extends RuntimeException {
        static final Stop INSTANCE = new Stop();

        private Stop() {
            super("$limit reached", null, false, false);
        }
    }

    /**
     * Evaluates the condition on the records of one scan, in timestamp order. Holds the state of {@code $limit},
     * {@code $each_n}, {@code $each_t} and {@code $gate}. Not thread-safe; confined to the thread that runs the scan.
     */
    static final class Evaluator {
        private final Condition condition;
        private final long[] counters;
        private final boolean[] started;
        private boolean stopped;

        long timestamp;
        Map<String, String> labels = Map.of();
        Map<String, String> computedLabels = Map.of();

        private Evaluator(Condition condition) {
            this.condition = condition;
            this.counters = new long[condition.stateSlots * 4];
            this.started = new boolean[condition.stateSlots];
        }

        /**
         * The verdict for one record.
         *
         * @param timestampMicros the record's timestamp, µs since the epoch
         * @param labels the record's labels
         * @throws ConditionException in strict mode, when the record cannot be evaluated (the message names the
         *     label or value)
         */
        Verdict test(long timestampMicros, Map<String, String> labels) {
            return test(timestampMicros, labels, Map.of());
        }

        /**
         * As {@link #test(long, Map)}, with computed labels for {@code @name} references (ReductStore's extensions
         * compute them; edgestream has none, so the two-argument form leaves every {@code @name} missing).
         */
        Verdict test(long timestampMicros, Map<String, String> labels, Map<String, String> computedLabels) {
            if (stopped) {
                return Verdict.STOP;
            }
            this.timestamp = timestampMicros;
            this.labels = Objects.requireNonNull(labels, "labels");
            this.computedLabels = Objects.requireNonNull(computedLabels, "computedLabels");
            try {
                return condition.root.apply(this).asBool() ? Verdict.INCLUDE : Verdict.SKIP;
            } catch (Stop stop) {
                stopped = true;
                return Verdict.STOP;
            } catch (ConditionException e) {
                if (condition.strict) {
                    throw e;
                }
                return Verdict.SKIP;
            }
        }

        /** Counter {@code index} (0..3) of state slot {@code slot}. */
        long counter(int slot, int index) {
            return counters[slot * 4 + index];
        }

        void counter(int slot, int index, long value) {
            counters[slot * 4 + index] = value;
        }

        boolean started(int slot) {
            return started[slot];
        }

        void started(int slot, boolean value) {
            started[slot] = value;
        }
    }
}
