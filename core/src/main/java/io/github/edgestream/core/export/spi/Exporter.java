package io.github.edgestream.core.export.spi;

/**
 * Ships batches of one export of one stream to its destination and says how that went. It classifies; the runtime
 * decides: it never sleeps, retries, skips messages, moves cursors or writes status messages itself.
 *
 * <p><b>Who calls it.</b> The export runtime, from one worker thread at a time per instance (calls never overlap),
 * possibly a different thread each time. {@link #close()} comes after the last {@link #export} has returned.
 *
 * <p><b>Repeats.</b> {@link #export} must tolerate the same messages again: after a retry, a crash or a restart the
 * runtime resends what it has not recorded as delivered (at most the batch that was in flight). Destinations that
 * can use ids should derive them from the stream and sequence number, so that a resend carries the same ids.
 *
 * <p><b>Errors.</b> Everything the destination answers is an {@link ExportResult}, including "no network" and
 * "throttled". An unchecked exception from {@link #export} is a bug in the exporter; the runtime logs it and treats
 * it as {@link ExportResult.Retry}. {@link InterruptedException} means the export is being stopped.
 */
public interface Exporter extends AutoCloseable {

    /** The destination's limits; the runtime never sends a batch beyond them. Constant for the instance. */
    BatchLimits limits();

    /**
     * Sends every message of the batch, in order, and classifies the outcome. The batch is within {@link #limits()}
     * and never empty.
     *
     * @throws InterruptedException if the thread is interrupted while waiting for the destination
     */
    ExportResult export(Batch batch) throws InterruptedException;

    /** Releases clients and connections. Idempotent; must not throw. */
    @Override
    void close();
}
