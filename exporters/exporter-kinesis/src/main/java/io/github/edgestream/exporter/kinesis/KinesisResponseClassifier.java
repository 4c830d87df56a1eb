package io.github.edgestream.exporter.kinesis;

import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.ExportResult.Rejection;
import io.github.edgestream.exporter.common.AwsErrorClassifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Classifies the outcome of one PutRecords call.
 *
 * <p><b>An answer.</b> PutRecords succeeds as a whole and reports per record: result {@code i} belongs to request
 * entry {@code i}; a failed record has an {@code ErrorCode} and no sequence number, and {@code FailedRecordCount}
 * counts them. Every failed record becomes a <em>retryable</em> rejection of its message, the rest are delivered:
 * <table>
 *   <caption>per-record error codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>ProvisionedThroughputExceededException, KMSThrottlingException</td><td>throttled</td></tr>
 *   <tr><td>InternalFailure</td><td>Kinesis's own error</td></tr>
 *   <tr><td>KMSAccessDeniedException, KMSDisabledException, KMSNotFoundException, KMSInvalidStateException,
 *       KMSOptInRequired</td><td>the stream's encryption key cannot be used: configuration, fixed outside the
 *       daemon; retried so that nothing is lost meanwhile</td></tr>
 *   <tr><td>any other code</td><td>unknown; retried, with the code in the reason</td></tr>
 * </table>
 * Kinesis refuses content problems (size, partition key) for the whole call, never per record, so no per-record code
 * makes a message undeliverable. If the answer cannot be matched to the request (a different number of results, or
 * {@code FailedRecordCount} above zero with no failed result), nothing is known to have arrived: {@link
 * ExportResult.Retry} of the whole batch (a resend of delivered records is a duplicate, never a loss).
 *
 * <p><b>An exception</b> of the whole call goes through {@link AwsErrorClassifier} (throttling, 5xx, credentials,
 * network: retry; ValidationException and the like: rejected), except ResourceNotFoundException, whose reason says to
 * create the stream or fix its name (it is retried: once the stream exists, the messages go out).
 *
 * <p>Messages the {@link KinesisRequestBuilder} left out of the call keep its rejections in every outcome but
 * {@link ExportResult.Retry} and {@link ExportResult.Rejected}, which cover the whole batch.
 *
 * <p>Thread-safe: immutable.
 */
final class KinesisResponseClassifier {

    private static final Set<String> THROTTLED = Set.of(
            "ProvisionedThroughputExceededException", "KMSThrottlingException");
    private static final Set<String> KMS_CONFIGURATION = Set.of(
            "KMSAccessDeniedException", "KMSDisabledException", "KMSNotFoundException", "KMSInvalidStateException",
            "KMSOptInRequired");

    private final String call;
    private final String streamName;

    /**
     * @param call       names the call in reasons, e.g. {@code PutRecords to Kinesis stream "telemetry"}
     * @param streamName the stream, for the missing-stream hint
     */
    KinesisResponseClassifier(String call, String streamName) {
        this.call = Objects.requireNonNull(call, "call");
        this.streamName = Objects.requireNonNull(streamName, "streamName");
    }

    /** The outcome when the builder left every message out and nothing was sent. */
    ExportResult nothingSent(KinesisRequestBuilder.Request request) {
        return new ExportResult.Partial(request.refused());
    }

    /** The outcome of a call Kinesis answered. */
    ExportResult classify(KinesisRequestBuilder.Request request, PutRecordsResponse response) {
        List<Long> sent = request.sequenceNumbers();
        List<PutRecordsResultEntry> results = response.records();
        int failedCount = response.failedRecordCount() == null ? 0 : response.failedRecordCount();
        if (results.size() != sent.size()) {
            return new ExportResult.Retry(call + " answered " + results.size() + " record results for "
                    + sent.size() + " records (FailedRecordCount " + failedCount
                    + "); which records arrived is unknown, resending the batch");
        }
        var rejected = new HashMap<Long, Rejection>(request.refused());
        int failed = 0;
        for (int i = 0; i < results.size(); i++) {
            PutRecordsResultEntry result = results.get(i);
            if (result.errorCode() != null) {
                failed++;
                rejected.put(sent.get(i), rejection(i, sent.get(i), result));
            }
        }
        if (failed == 0 && failedCount > 0) {
            return new ExportResult.Retry(call + " answered FailedRecordCount " + failedCount
                    + " but no record with an error code; which records arrived is unknown, resending the batch");
        }
        return rejected.isEmpty() ? ExportResult.DELIVERED : new ExportResult.Partial(rejected);
    }

    /** The outcome of a call that failed as a whole. */
    ExportResult classify(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && "ResourceNotFoundException".equals(service.awsErrorDetails().errorCode())) {
            return new ExportResult.Retry(call + " failed: ResourceNotFoundException (HTTP " + service.statusCode()
                    + "): " + service.awsErrorDetails().errorMessage() + " (create the Kinesis stream \"" + streamName
                    + "\", or fix kinesisStreamName or the region; retrying)");
        }
        return AwsErrorClassifier.classify(call, e);
    }

    private Rejection rejection(int index, long sequenceNumber, PutRecordsResultEntry result) {
        String code = result.errorCode();
        String hint;
        if (THROTTLED.contains(code)) {
            hint = "throttled; retrying (if it persists, add shards or lower the export's rate)";
        } else if ("InternalFailure".equals(code)) {
            hint = "an internal error of Kinesis; retrying";
        } else if (KMS_CONFIGURATION.contains(code)) {
            hint = "the stream's KMS key cannot be used: check that it exists, is enabled and that the device's"
                    + " role may use it; retrying";
        } else {
            hint = "an error code this exporter does not know; retrying";
        }
        return new Rejection(call + ": record " + index + " (message " + sequenceNumber + ") failed: " + code
                + (result.errorMessage() == null ? "" : ": " + result.errorMessage()) + " (" + hint + ")", true);
    }
}
