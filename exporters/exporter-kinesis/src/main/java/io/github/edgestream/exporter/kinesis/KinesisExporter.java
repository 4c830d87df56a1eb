package io.github.edgestream.exporter.kinesis;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Exports a batch as one PutRecords call to the export's Kinesis data stream: builds the request
 * ({@link KinesisRequestBuilder}), makes the call (one attempt, bounded by the destination's call timeout; the
 * client comes from {@code AwsClients}), and classifies the outcome ({@link KinesisResponseClassifier}).
 *
 * <p>Called by the export runtime from one worker thread at a time. Errors are results, never exceptions, except
 * {@link InterruptedException} when the worker is interrupted during the call. Resending the same batch is safe but
 * not idempotent: Kinesis stores every resent record again (PutRecords has no deduplication).
 *
 * <p>Thread-safe: it keeps no state between calls, and the SDK client is thread-safe.
 */
final class KinesisExporter implements Exporter {

    private final KinesisExporterConfig config;
    private final KinesisClient client;
    private final KinesisRequestBuilder requests;
    private final KinesisResponseClassifier classifier;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param client        owned by the exporter from now on: {@link #close()} closes it
     * @param partitionKeys {@link KinesisRequestBuilder#randomUuids()} except in tests
     */
    KinesisExporter(KinesisExporterConfig config, KinesisClient client, Supplier<String> partitionKeys) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
        this.requests = new KinesisRequestBuilder(config.streamName(), partitionKeys);
        this.classifier = new KinesisResponseClassifier(config.call(), config.streamName());
    }

    @Override
    public BatchLimits limits() {
        return config.limits();
    }

    @Override
    public ExportResult export(Batch batch) throws InterruptedException {
        if (closed.get()) {
            throw new IllegalStateException("the Kinesis exporter of export \"" + config.exportIdentifier()
                    + "\" is closed");
        }
        var request = requests.build(batch);
        if (request.call().isEmpty()) {
            return classifier.nothingSent(request);
        }
        PutRecordsResponse response;
        try {
            response = client.putRecords(request.call().get());
        } catch (SdkException e) {
            if (interrupted(e)) {
                var interrupted = new InterruptedException(config.call() + " was interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            return classifier.classify(e);
        }
        return classifier.classify(request, response);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    /** True if the call ended because this thread was interrupted; clears the thread's interrupt flag. */
    private static boolean interrupted(SdkException e) {
        boolean flagged = Thread.interrupted();
        if (flagged || e instanceof AbortedException) {
            return true;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
