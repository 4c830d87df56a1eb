package io.github.edgestream.core.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every export config has. Absent optional values stay absent (a describe returns what was defined); the
 * export runtime applies the defaults.
 *
 * @param identifier          unique within the stream; names the export's cursor and status
 * @param priority            1 (first) to 10 (last); absent means lowest
 * @param startSequenceNumber the first message to export
 * @param disabled            paused
 * @param batchSize           messages per batch; absent means the kind's maximum (not for S3 tasks)
 * @param batchInterval       ship a batch this long after its oldest message even if not full (not for S3 tasks)
 *
 * <p>The rules ({@link #problems}) are checked by {@link StreamDefinition}'s constructor, with every other problem
 * of the definition. Immutable and thread-safe.
 */
public record ExportSettings(
        String identifier,
        Optional<Integer> priority,
        long startSequenceNumber,
        boolean disabled,
        Optional<Integer> batchSize,
        Optional<Duration> batchInterval) {

    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 10;
    public static final Duration MIN_BATCH_INTERVAL = Duration.ofMillis(60_000);
    public static final Duration MAX_BATCH_INTERVAL = Duration.ofMillis(9_223_372_036_854L);

    public ExportSettings {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(batchSize, "batchSize");
        Objects.requireNonNull(batchInterval, "batchInterval");
    }

    /** Settings with only an identifier; everything else absent or default. */
    public static ExportSettings of(String identifier) {
        return new ExportSettings(identifier, Optional.empty(), 0, false, Optional.empty(), Optional.empty());
    }

    /** Priority with the default applied: 10 when absent. */
    public int effectivePriority() {
        return priority.orElse(10);
    }

    /**
     * Every problem with these settings for an export of {@code kind}, each field named under {@code path} (e.g.
     * {@code exports[0].batchSize}); empty when they are valid. Batch fields are checked only for kinds that batch.
     */
    public List<ValidationProblem> problems(String path, ExportKind kind) {
        List<ValidationProblem> problems = new ArrayList<>();
        StreamName.check(path + ".identifier", identifier).ifPresent(problems::add);
        if (kind.batches()) {
            batchSize.filter(size -> size < 1 || size > kind.maxBatchSize()).ifPresent(size -> problems.add(
                    ValidationProblem.of(path + ".batchSize", size, "be between 1 and " + kind.maxBatchSize())));
            batchInterval.map(ExportSettings::millisOrOverflow)
                    .filter(ms -> ms < MIN_BATCH_INTERVAL.toMillis() || ms > MAX_BATCH_INTERVAL.toMillis())
                    .ifPresent(ms -> problems.add(ValidationProblem.of(path + ".batchInterval", ms,
                            "be between " + MIN_BATCH_INTERVAL.toMillis() + " and " + MAX_BATCH_INTERVAL.toMillis()
                                    + " milliseconds")));
            if (startSequenceNumber < 0) {
                problems.add(ValidationProblem.of(path + ".startSequenceNumber", startSequenceNumber,
                        "be 0 or more"));
            }
        }
        priority.filter(p -> p < MIN_PRIORITY || p > MAX_PRIORITY).ifPresent(p -> problems.add(
                ValidationProblem.of(path + ".priority", p, "be between " + MIN_PRIORITY + " and " + MAX_PRIORITY)));
        return problems;
    }

    /** {@code duration} in milliseconds, or {@link Long#MAX_VALUE} if that does not fit in a long. */
    static long millisOrOverflow(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
