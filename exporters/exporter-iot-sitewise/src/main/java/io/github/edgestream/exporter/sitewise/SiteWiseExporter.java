package io.github.edgestream.exporter.sitewise;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iotsitewise.IoTSiteWiseClient;
import software.amazon.awssdk.services.iotsitewise.model.BatchPutAssetPropertyValueResponse;

/**
 * Exports one stream to IoT SiteWise: one {@code BatchPutAssetPropertyValue} call per batch, one entry per message
 * ({@link SiteWiseRequestBuilder}), the outcome classified by {@link SiteWiseResponseClassifier}. Messages that are not
 * valid entries are left out of the call and rejected without retry; the rest of the batch is still sent.
 *
 * <p>Called by the export runtime from one worker thread at a time ({@link Exporter}). Errors are results, never
 * exceptions; an interrupt during the call surfaces as {@link InterruptedException}. Thread-safe: the SDK client is,
 * and everything else is immutable.
 */
final class SiteWiseExporter implements Exporter {

    private final SiteWiseExporterConfig config;
    private final IoTSiteWiseClient client;
    private final SiteWiseRequestBuilder requests;
    private final SiteWiseResponseClassifier responses;
    private final AtomicBoolean closed = new AtomicBoolean();

    SiteWiseExporter(SiteWiseExporterConfig config, IoTSiteWiseClient client) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
        this.requests = new SiteWiseRequestBuilder(config.limits());
        this.responses = new SiteWiseResponseClassifier(config.call());
    }

    @Override
    public BatchLimits limits() {
        return config.limits();
    }

    @Override
    public ExportResult export(Batch batch) throws InterruptedException {
        SiteWiseRequestBuilder.Built built = requests.build(batch);
        if (built.request().isEmpty()) {
            return responses.nothingToSend(built);
        }
        BatchPutAssetPropertyValueResponse response;
        try {
            response = client.batchPutAssetPropertyValue(built.request().get());
        } catch (SdkException e) {
            if (isInterruption(e)) {
                var interrupted = new InterruptedException(config.call() + " was interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            return responses.classifyFailure(built, e);
        }
        return responses.classify(built, response);
    }

    /** The SDK reports an interrupt as {@link AbortedException}, or as a client error caused by one. */
    private static boolean isInterruption(Throwable e) {
        if (Thread.interrupted()) {
            return true;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AbortedException || cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                client.close();
            } catch (RuntimeException e) {
                // nothing to do about it: the connections go with the process
            }
        }
    }
}
