package io.github.edgestream.core.model;

import java.time.Duration;
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
 */
public record ExportSettings(
        String identifier,
        Optional<Integer> priority,
        long startSequenceNumber,
        boolean disabled,
        Optional<Integer> batchSize,
        Optional<Duration> batchInterval) {

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
}
