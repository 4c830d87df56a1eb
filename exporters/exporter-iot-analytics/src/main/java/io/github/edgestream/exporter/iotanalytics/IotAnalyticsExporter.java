package io.github.edgestream.exporter.iotanalytics;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iotanalytics.IoTAnalyticsClient;
import software.amazon.awssdk.services.iotanalytics.model.BatchPutMessageResponse;

/**
 * Exports one stream to an IoT Analytics channel: one {@code BatchPutMessage} call per batch
 * ({@link IotAnalyticsRequestBuilder}), the outcome classified by {@link IotAnalyticsResponseClassifier}.
 *
 * <p>Called by the export runtime from one worker thread at a time ({@link Exporter}). Errors are results, never
 * exceptions; an interrupt during the call surfaces as {@link InterruptedException}. Thread-safe: the SDK client is,
 * and everything else is immutable.
 */
final class IotAnalyticsExporter implements Exporter {

    private final IotAnalyticsExporterConfig config;
    private final IoTAnalyticsClient client;
    private final IotAnalyticsRequestBuilder requests;
    private final IotAnalyticsResponseClassifier responses;
    private final AtomicBoolean closed = new AtomicBoolean();

    IotAnalyticsExporter(IotAnalyticsExporterConfig config, IoTAnalyticsClient client) {
        this.config = config;
        this.client = client;
        this.requests = new IotAnalyticsRequestBuilder(config);
        this.responses = new IotAnalyticsResponseClassifier(config.call());
    }

    @Override
    public BatchLimits limits() {
        return config.limits();
    }

    @Override
    public ExportResult export(Batch batch) throws InterruptedException {
        var built = requests.build(batch);
        BatchPutMessageResponse response;
        try {
            response = client.batchPutMessage(built.request());
        } catch (SdkException e) {
            if (Thread.interrupted() || e instanceof AbortedException || e.getCause() instanceof InterruptedException) {
                var interrupted = new InterruptedException(config.call() + " was interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            return responses.classifyFailure(e);
        }
        return responses.classify(built, response);
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
