package io.github.edgestream.exporter.sitewise;

import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.ExportResult.Rejection;
import io.github.edgestream.exporter.common.AwsErrorClassifier;
import io.github.edgestream.exporter.sitewise.SiteWiseRequestBuilder.Built;
import io.github.edgestream.exporter.sitewise.SiteWiseRequestBuilder.SentEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iotsitewise.model.BatchPutAssetPropertyError;
import software.amazon.awssdk.services.iotsitewise.model.BatchPutAssetPropertyErrorEntry;
import software.amazon.awssdk.services.iotsitewise.model.BatchPutAssetPropertyValueResponse;

/**
 * Turns the outcome of one {@code BatchPutAssetPropertyValue} call, together with the messages the
 * {@link SiteWiseRequestBuilder} left out, into an {@link ExportResult}.
 *
 * <table>
 *   <caption>outcomes</caption>
 *   <tr><th>what happened</th><th>result</th></tr>
 *   <tr><td>no error entries, nothing left out</td><td>{@link ExportResult.Delivered}</td></tr>
 *   <tr><td>error entries or messages left out</td><td>{@link ExportResult.Partial}: each failed entry by its
 *       sequence number, retryable only if every error of the entry is; each left-out message non-retryable</td></tr>
 *   <tr><td>every message left out (no call made)</td><td>{@link ExportResult.Partial}, all non-retryable</td></tr>
 *   <tr><td>an error entry with an id that was not sent</td><td>{@link ExportResult.Retry}: the answer cannot be
 *       mapped, and resending is harmless (SiteWise overwrites a value with the same timestamp and quality)</td></tr>
 *   <tr><td>the whole call failed, nothing left out</td><td>as {@link AwsErrorClassifier} says</td></tr>
 *   <tr><td>the whole call failed, some left out</td><td>{@link ExportResult.Partial}: the left-out ones
 *       non-retryable, the sent ones retryable with the call's reason, so the runtime resends only those (and, if
 *       the call's error was about content, splits them when {@link AwsErrorClassifier} rejects them then)</td></tr>
 * </table>
 *
 * <p>Per-entry error codes: throttling, quotas, internal failures, unavailability, conflicting operations and
 * denied access are retryable (about the call or the account: fixing the IAM policy must not lose data);
 * {@code InvalidRequestException}, {@code TimestampOutOfRangeException} and {@code ResourceNotFoundException} (the
 * alias or asset does not exist) are about the message and are not. A code this SDK does not know is retryable, so
 * that a new kind of outage never loses data. An entry has one error per code, each listing its timestamps; an entry
 * with one retryable and one non-retryable error is not retryable, since resending it would fail the same way.
 *
 * <p>Thread-safe: immutable.
 */
final class SiteWiseResponseClassifier {

    /**
     * The per-entry codes about the message. The others (ThrottlingException, LimitExceededException,
     * InternalFailureException, ServiceUnavailableException, ConflictingOperationException, AccessDeniedException,
     * and any code yet unknown) are retryable.
     */
    private static final Set<String> CONTENT_CODES = Set.of(
            "InvalidRequestException", "TimestampOutOfRangeException", "ResourceNotFoundException");

    private final String call;

    /** @param call the call as reasons name it ({@code BatchPutAssetPropertyValue to IoT SiteWise in us-east-1}) */
    SiteWiseResponseClassifier(String call) {
        this.call = Objects.requireNonNull(call, "call");
    }

    /** True if an entry that failed with this code may succeed when sent again. */
    static boolean isRetryable(String errorCode) {
        return errorCode == null || !CONTENT_CODES.contains(errorCode);
    }

    /** No call was made: every message of the batch was left out. */
    ExportResult nothingToSend(Built built) {
        return new ExportResult.Partial(built.invalid());
    }

    /** The call returned; its error entries name the entries that failed. */
    ExportResult classify(Built built, BatchPutAssetPropertyValueResponse response) {
        Map<Long, Rejection> rejected = new LinkedHashMap<>(built.invalid());
        Map<String, List<BatchPutAssetPropertyError>> errorsById = new LinkedHashMap<>();
        for (BatchPutAssetPropertyErrorEntry errorEntry : response.errorEntries()) {
            if (!built.sent().containsKey(errorEntry.entryId())) {
                return new ExportResult.Retry(call + " answered with an error for entryId "
                        + SiteWiseEntryParser.quote(String.valueOf(errorEntry.entryId()))
                        + ", which was not sent (sent " + built.sent().keySet() + "); sending the batch again");
            }
            errorsById.computeIfAbsent(errorEntry.entryId(), id -> new ArrayList<>()).addAll(errorEntry.errors());
        }
        errorsById.forEach((entryId, errors) -> {
            SentEntry sent = built.sent().get(entryId);
            rejected.put(sent.sequenceNumber(), rejection(sent, errors));
        });
        return rejected.isEmpty() ? ExportResult.DELIVERED : new ExportResult.Partial(rejected);
    }

    /** The whole call failed. */
    ExportResult classifyFailure(Built built, SdkException e) {
        ExportResult whole = AwsErrorClassifier.classify(call, e);
        if (built.invalid().isEmpty()) {
            return whole;
        }
        String reason = whole instanceof ExportResult.Retry retry ? retry.reason()
                : whole instanceof ExportResult.Rejected rejected ? rejected.reason() : whole.toString();
        int invalid = built.invalid().size();
        Map<Long, Rejection> rejected = new LinkedHashMap<>(built.invalid());
        for (SentEntry sent : built.sent().values()) {
            rejected.put(sent.sequenceNumber(), new Rejection(reason + " (" + sent.describe() + " was in that call;"
                    + " to be sent again without the " + invalid + (invalid == 1 ? " invalid message)"
                    : " invalid messages)"), true));
        }
        return new ExportResult.Partial(rejected);
    }

    private Rejection rejection(SentEntry sent, List<BatchPutAssetPropertyError> errors) {
        int values = sent.entry().propertyValues().size();
        var reason = new StringBuilder(call).append(": ").append(sent.describe()).append(" failed: ");
        if (errors.isEmpty()) {
            return new Rejection(reason.append("no error given").toString(), true);
        }
        boolean retryable = true;
        for (int i = 0; i < errors.size(); i++) {
            BatchPutAssetPropertyError error = errors.get(i);
            String code = error.errorCodeAsString();
            retryable &= isRetryable(code);
            reason.append(i == 0 ? "" : "; ").append(code == null ? "no error code" : code);
            if (error.errorMessage() != null) {
                reason.append(": ").append(error.errorMessage());
            }
            if (error.hasTimestamps()) {
                reason.append(" (").append(error.timestamps().size()).append(" of its ").append(values)
                        .append(values == 1 ? " value)" : " values)");
            }
        }
        return new Rejection(reason.toString(), retryable);
    }
}
