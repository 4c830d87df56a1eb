package io.github.edgestream.exporter.iotanalytics;

import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.exporter.common.AwsErrorClassifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iotanalytics.model.BatchPutMessageErrorEntry;
import software.amazon.awssdk.services.iotanalytics.model.BatchPutMessageResponse;
import software.amazon.awssdk.services.iotanalytics.model.ResourceNotFoundException;

/**
 * Classifies the outcome of a {@code BatchPutMessage} call.
 *
 * <table>
 *   <caption>outcomes</caption>
 *   <tr><th>answer</th><th>result</th></tr>
 *   <tr><td>no error entries</td><td>{@link ExportResult.Delivered}</td></tr>
 *   <tr><td>error entries</td><td>{@link ExportResult.Partial}: {@code ThrottlingException},
 *       {@code InternalFailureException}, {@code ServiceUnavailableException}, {@code LimitExceededException} and
 *       codes not known here are retryable; {@code InvalidRequestException} and other known content errors are
 *       not</td></tr>
 *   <tr><td>an error entry for an id that was not sent</td><td>{@link ExportResult.Retry} of the batch: the answer
 *       cannot be trusted</td></tr>
 *   <tr><td>{@code ResourceNotFoundException} for the call</td><td>{@link ExportResult.Retry}, saying to create the
 *       channel: nothing is lost while it is missing</td></tr>
 *   <tr><td>other exceptions</td><td>{@link io.github.edgestream.exporter.common.AwsErrorClassifier}</td></tr>
 * </table>
 *
 * Thread-safe: immutable.
 */
final class IotAnalyticsResponseClassifier {

    /** Per-message codes about the message itself; every other code (throttling, failures, new codes) retries. */
    private static final Set<String> CONTENT_ERRORS = Set.of("InvalidRequestException", "ValidationException",
            "InvalidParameterException");

    private final String call;

    IotAnalyticsResponseClassifier(String call) {
        this.call = call;
    }

    ExportResult classify(IotAnalyticsRequestBuilder.Built built, BatchPutMessageResponse response) {
        if (!response.hasBatchPutMessageErrorEntries() || response.batchPutMessageErrorEntries().isEmpty()) {
            return ExportResult.DELIVERED;
        }
        Map<Long, ExportResult.Rejection> rejected = new HashMap<>();
        for (BatchPutMessageErrorEntry entry : response.batchPutMessageErrorEntries()) {
            Long sequenceNumber = built.sequenceNumbersById().get(entry.messageId());
            if (sequenceNumber == null) {
                return new ExportResult.Retry(call + " answered with an error for message id \"" + entry.messageId()
                        + "\", which was not sent; sending the batch again");
            }
            String code = entry.errorCode() == null ? "an unknown error" : entry.errorCode();
            String reason = call + " refused message " + entry.messageId() + ": " + code
                    + (entry.errorMessage() == null ? "" : ": " + entry.errorMessage());
            rejected.put(sequenceNumber, new ExportResult.Rejection(reason, !CONTENT_ERRORS.contains(code)));
        }
        return new ExportResult.Partial(rejected);
    }

    ExportResult classifyFailure(SdkException e) {
        if (e instanceof ResourceNotFoundException notFound) {
            return new ExportResult.Retry(call + " failed: ResourceNotFoundException: "
                    + notFound.awsErrorDetails().errorMessage()
                    + " (create the channel, or fix its name or the region; retrying)");
        }
        return AwsErrorClassifier.classify(call, e);
    }
}
