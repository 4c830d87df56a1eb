package io.github.edgestream.exporter.sitewise;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iotsitewise.model.BatchPutAssetPropertyError;
import software.amazon.awssdk.services.iotsitewise.model.BatchPutAssetPropertyErrorEntry;
import software.amazon.awssdk.services.iotsitewise.model.BatchPutAssetPropertyValueResponse;
import software.amazon.awssdk.services.iotsitewise.model.IoTSiteWiseException;
import software.amazon.awssdk.services.iotsitewise.model.TimeInNanos;

class SiteWiseResponseClassifierTest {

    private static final String CALL = "BatchPutAssetPropertyValue to IoT SiteWise in us-east-1";

    private final SiteWiseRequestBuilder builder = new SiteWiseRequestBuilder(SiteWiseRequestBuilder.LIMITS);
    private final SiteWiseResponseClassifier classifier = new SiteWiseResponseClassifier(CALL);

    // Call and account problems retry (fixing a quota or an IAM policy must not lose data); content problems do not.
    @ParameterizedTest(name = "{0} -> retryable {1}")
    @CsvSource({
            "ThrottlingException, true",
            "LimitExceededException, true",
            "InternalFailureException, true",
            "ServiceUnavailableException, true",
            "ConflictingOperationException, true",
            "AccessDeniedException, true",
            "InvalidRequestException, false",
            "TimestampOutOfRangeException, false",
            "ResourceNotFoundException, false",
            "SomeFutureException, true",
    })
    void classifiesEachPerEntryErrorCode(String code, boolean retryable) {
        var built = builder.build(batch(7));

        var result = classifier.classify(built, answer(errorEntry("seq-7", error(code, "said so"))));

        var rejection = ((ExportResult.Partial) result).rejected().get(7L);
        assertThat(rejection.retryable()).isEqualTo(retryable);
        assertThat(rejection.reason()).isEqualTo(CALL + ": message 7 (entryId \"e7\", propertyAlias \"/p/7\") failed: "
                + code + ": said so (1 of its 1 value)");
    }

    @ParameterizedTest(name = "{0} and {1} -> retryable {2}")
    @CsvSource({
            "ThrottlingException, InternalFailureException, true",
            "ThrottlingException, TimestampOutOfRangeException, false",
            "TimestampOutOfRangeException, ThrottlingException, false",
            "InvalidRequestException, ResourceNotFoundException, false",
    })
    void anEntryIsRetryableOnlyIfEveryErrorIs(String first, String second, boolean retryable) {
        var built = builder.build(batch(0));

        var result = classifier.classify(built, answer(errorEntry("seq-0", error(first, "a"), error(second, "b"))));

        assertThat(((ExportResult.Partial) result).rejected().get(0L).retryable()).isEqualTo(retryable);
    }

    @Test
    void noErrorEntriesMeansDelivered() {
        var built = builder.build(batch(0, 1, 2));

        assertThat(classifier.classify(built, BatchPutAssetPropertyValueResponse.builder().build()))
                .isEqualTo(ExportResult.DELIVERED);
    }

    // In the answer but with no error named: it failed, and nothing says it would fail again.
    @Test
    void anErrorEntryWithoutErrorsIsRetryable() {
        var built = builder.build(batch(3));

        var result = classifier.classify(built, answer(BatchPutAssetPropertyErrorEntry.builder().entryId("seq-3")
                .errors(List.of()).build()));

        var rejection = ((ExportResult.Partial) result).rejected().get(3L);
        assertThat(rejection.retryable()).isTrue();
        assertThat(rejection.reason()).endsWith("failed: no error given");
    }

    @Test
    void aWholeCallFailureWithoutInvalidMessagesIsAwsErrorClassifiers() {
        var built = builder.build(batch(0, 1));
        var e = IoTSiteWiseException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("InvalidRequestException").errorMessage("bad").build()).build();

        assertThat(classifier.classifyFailure(built, e))
                .isEqualTo(new ExportResult.Rejected(CALL + " failed: InvalidRequestException (HTTP 400): bad"));
        assertThat(classifier.classifyFailure(built, SdkClientException.create("connection refused")))
                .isEqualTo(new ExportResult.Retry(CALL + " failed before an answer: connection refused"));
    }

    private static Batch batch(long... sequenceNumbers) {
        var messages = new ArrayList<Message>();
        for (long seq : sequenceNumbers) {
            messages.add(new Message(seq, 0, ("{\"entryId\":\"e" + seq + "\",\"propertyAlias\":\"/p/" + seq
                    + "\",\"propertyValues\":[{\"value\":{\"integerValue\":1},\"timestamp\":{\"timeInSeconds\":"
                    + "1767225600}}]}").getBytes(StandardCharsets.UTF_8)));
        }
        return new Batch(StreamName.of("s"), "x", messages, 1);
    }

    private static BatchPutAssetPropertyValueResponse answer(BatchPutAssetPropertyErrorEntry... entries) {
        return BatchPutAssetPropertyValueResponse.builder().errorEntries(entries).build();
    }

    private static BatchPutAssetPropertyErrorEntry errorEntry(String entryId, BatchPutAssetPropertyError... errors) {
        return BatchPutAssetPropertyErrorEntry.builder().entryId(entryId).errors(errors).build();
    }

    private static BatchPutAssetPropertyError error(String code, String message) {
        return BatchPutAssetPropertyError.builder().errorCode(code).errorMessage(message)
                .timestamps(TimeInNanos.builder().timeInSeconds(1767225600L).offsetInNanos(0).build()).build();
    }
}
