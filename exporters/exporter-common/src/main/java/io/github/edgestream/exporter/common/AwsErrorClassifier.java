package io.github.edgestream.exporter.common;

import io.github.edgestream.core.export.spi.ExportResult;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an exception of an AWS SDK call into an {@link ExportResult}, by one rule: only an error about the messages
 * themselves is {@link ExportResult.Rejected}; everything about the call or the environment (no network, timeouts,
 * throttling, 5xx, credentials, permissions, a missing stream or channel) is {@link ExportResult.Retry}, so that an
 * outage or a misconfiguration, once fixed, loses nothing. The runtime splits a rejected batch to find the bad
 * messages, so a validation error costs the good messages of the batch nothing either.
 *
 * <p>Thread-safe: stateless.
 */
public final class AwsErrorClassifier {

    /** Error codes that mean "this request's content is invalid", across Kinesis, SiteWise and IoT Analytics. */
    private static final Set<String> CONTENT_ERRORS = Set.of(
            "ValidationException", "InvalidRequestException", "InvalidParameterException",
            "InvalidArgumentException", "SerializationException");

    private AwsErrorClassifier() {
    }

    /**
     * @param call what was called, for the reason ({@code "PutRecords to Kinesis stream \"s\""})
     * @param e    what the SDK threw
     */
    public static ExportResult classify(String call, SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null ? service.getMessage()
                    : service.awsErrorDetails().errorMessage();
            String reason = call + " failed: " + (code == null ? "HTTP " + status : code + " (HTTP " + status + ")")
                    + (message == null ? "" : ": " + message);
            if (service.isThrottlingException() || status >= 500 || status == 408 || status == 429) {
                return new ExportResult.Retry(reason);
            }
            if (status == 413 || (code != null && CONTENT_ERRORS.contains(code))) {
                return new ExportResult.Rejected(reason);
            }
            return new ExportResult.Retry(reason + hint(status));
        }
        if (e instanceof SdkClientException) {
            return new ExportResult.Retry(call + " failed before an answer: " + withCauses(e));
        }
        return new ExportResult.Retry(call + " failed: " + withCauses(e));
    }

    /**
     * The exception's message followed by its causes, which say what actually went wrong: the SDK's "Unable to
     * execute HTTP request: bucket.localhost" only becomes actionable with "caused by UnknownHostException".
     * Causes whose message the text already holds are left out; at most five are named.
     */
    public static String withCauses(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && cause != e && depth < 5; depth++, cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && text.indexOf(message) >= 0 && message.length() > 20) {
                continue; // already said, as SDK messages often repeat their cause's text
            }
            text.append(" (caused by ").append(cause.getClass().getSimpleName());
            if (message != null) {
                text.append(": ").append(message);
            }
            text.append(')');
        }
        return text.toString();
    }

    private static String hint(int status) {
        return switch (status) {
            case 400, 401, 403 -> " (check the credentials, the region and the IAM policy; retrying)";
            case 404 -> " (check that the destination exists in this region; retrying)";
            default -> " (retrying)";
        };
    }
}
