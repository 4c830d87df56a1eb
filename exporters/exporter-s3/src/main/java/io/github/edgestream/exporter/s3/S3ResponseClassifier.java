package io.github.edgestream.exporter.s3;

import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.exporter.common.AwsErrorClassifier;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Classifies what S3 answered to an upload. A task differs from a stream of records: its data is a file that stays on
 * disk, and a program waits on the status stream for the outcome. So what the program must fix is a Failure it is
 * told about at once ({@link ExportResult.Rejected}), and only what may pass by itself is retried.
 *
 * <table>
 *   <caption>answers</caption>
 *   <tr><th>answer</th><th>result</th></tr>
 *   <tr><td>no answer (connection, timeout), 5xx, throttling ({@code SlowDown}, 429), {@code RequestTimeout},
 *       {@code InternalError}, {@code ExpiredToken}, {@code RequestTimeTooSkewed}</td><td>retry</td></tr>
 *   <tr><td>{@code NoSuchBucket}</td><td>failure: the bucket does not exist</td></tr>
 *   <tr><td>{@code AccessDenied}</td><td>failure: the credentials may not write there</td></tr>
 *   <tr><td>other 4xx ({@code InvalidBucketName}, {@code EntityTooLarge}, {@code KeyTooLongError},
 *       {@code MetadataTooLarge}, {@code InvalidArgument}, ...)</td><td>failure with S3's code and message</td></tr>
 * </table>
 *
 * Thread-safe: stateless.
 */
final class S3ResponseClassifier {

    private static final Set<String> RETRYABLE = Set.of("SlowDown", "RequestTimeout", "InternalError",
            "ExpiredToken", "RequestTimeTooSkewed", "ServiceUnavailable", "Throttling", "ThrottlingException",
            "OperationAborted");

    private S3ResponseClassifier() {
    }

    static ExportResult classify(String call, String bucket, String key, SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null ? service.getMessage()
                    : service.awsErrorDetails().errorMessage();
            String said = (code == null ? "HTTP " + status : code + " (HTTP " + status + ")")
                    + (message == null ? "" : ": " + message);
            if (service.isThrottlingException() || status >= 500 || status == 429 || status == 408
                    || (code != null && RETRYABLE.contains(code))) {
                return new ExportResult.Retry(call + " failed: " + said + "; retrying");
            }
            if (e instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
                return new ExportResult.Rejected("bucket \"" + bucket + "\" does not exist (" + said + ")");
            }
            if ("AccessDenied".equals(code) || status == 403) {
                return new ExportResult.Rejected("access denied to s3://" + bucket + "/" + key + ": the"
                        + " credentials' policy needs s3:PutObject on it (" + said + ")");
            }
            return new ExportResult.Rejected(call + " was refused: " + said);
        }
        if (e instanceof SdkClientException) {
            return new ExportResult.Retry(call + " failed before an answer: " + AwsErrorClassifier.withCauses(e));
        }
        return new ExportResult.Retry(call + " failed: " + AwsErrorClassifier.withCauses(e));
    }
}
