package io.github.edgestream.exporter.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.ExportResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorClassifierTest {

    // Only content errors reject; outages, throttling, credentials and missing destinations must retry.
    @ParameterizedTest(name = "{0} HTTP {1} -> {2}")
    @CsvSource({
            "ProvisionedThroughputExceededException, 400, Retry",
            "ThrottlingException, 400, Retry",
            "InternalFailure, 500, Retry",
            "ServiceUnavailable, 503, Retry",
            "ResourceNotFoundException, 400, Retry",
            "AccessDeniedException, 403, Retry",
            "UnrecognizedClientException, 400, Retry",
            "ExpiredTokenException, 400, Retry",
            "ValidationException, 400, Rejected",
            "InvalidRequestException, 400, Rejected",
            "InvalidArgumentException, 400, Rejected",
            "RequestEntityTooLarge, 413, Rejected",
    })
    void classifiesServiceErrors(String code, int status, String expected) {
        var e = AwsServiceException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("said so").build())
                .build();

        var result = AwsErrorClassifier.classify("PutRecords to Kinesis stream \"s\"", e);

        assertThat(result.getClass().getSimpleName()).isEqualTo(expected);
        assertThat(reason(result)).contains("PutRecords to Kinesis stream \"s\"", code, "HTTP " + status, "said so");
    }

    @ParameterizedTest
    @CsvSource({"connection refused", "read timed out"})
    void clientSideFailuresRetry(String message) {
        assertThat(AwsErrorClassifier.classify("call", SdkClientException.create(message)))
                .isInstanceOf(ExportResult.Retry.class);
        assertThat(AwsErrorClassifier.classify("call", ApiCallTimeoutException.create(1000)))
                .isInstanceOf(ExportResult.Retry.class);
    }

    private static String reason(ExportResult result) {
        if (result instanceof ExportResult.Retry retry) {
            return retry.reason();
        }
        return result instanceof ExportResult.Rejected rejected ? rejected.reason() : result.toString();
    }
}
