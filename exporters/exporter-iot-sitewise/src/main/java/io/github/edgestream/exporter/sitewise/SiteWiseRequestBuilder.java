package io.github.edgestream.exporter.sitewise;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult.Rejection;
import io.github.edgestream.core.model.Message;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.iotsitewise.model.BatchPutAssetPropertyValueRequest;
import software.amazon.awssdk.services.iotsitewise.model.PutAssetPropertyValueEntry;

/**
 * Turns a batch into one {@code BatchPutAssetPropertyValue} request: one entry per message, in order, each read by
 * {@link SiteWiseEntryParser}. A message that cannot be read or breaks a SiteWise rule is left out and named as a
 * non-retryable rejection ({@code "message <seq>: <what is wrong>"}); the others are still sent.
 *
 * <p><b>Entry ids.</b> Two messages may carry the same {@code entryId}, but ids must be unique within one call, and
 * the answer names failed entries only by id. So every entry is sent with the id {@code seq-<sequence number>}
 * (at most 23 characters of {@code [a-z0-9-]}): unique within a batch (sequence numbers are), the same on every
 * resend of the message, and never confused with a producer's id, since none is sent. The producer's id means
 * nothing beyond one call (SiteWise stores values, not entry ids); it is kept for reasons.
 *
 * <p><b>Sizes.</b> The request is JSON that the SDK writes afresh from the parsed entries, so its size follows the
 * payloads: at most about 60 bytes more per entry (the id, a default {@code offsetInNanos}, {@code .0} on doubles),
 * often less (the SDK writes text as UTF-8 where Python's {@code json.dumps} wrote six-byte escapes). The largest
 * entry an SDK helper can write is under 150 KiB: a 2048-character alias and ten 1024-character strings, all of
 * characters outside the BMP, which Python escapes as two six-byte escapes each. So {@link #LIMITS}
 * allows 256 KiB per message, which no valid entry reaches (a larger one is refused by its lengths anyway), and
 * 1 MiB per call, which ten ordinary entries (a few hundred bytes each) never approach: only exotic entries make a
 * call carry fewer than ten. SiteWise documents no request-size quota; 1 MiB keeps one call short on a slow link.
 *
 * <p>Thread-safe: stateless.
 */
final class SiteWiseRequestBuilder {

    /** Entries per call, the BatchPutAssetPropertyValue quota. */
    static final int MAX_ENTRIES = 10;
    static final long MAX_MESSAGE_BYTES = 256 * 1024;
    static final long MAX_BATCH_BYTES = 1024 * 1024;
    static final BatchLimits LIMITS = new BatchLimits(MAX_ENTRIES, MAX_MESSAGE_BYTES, MAX_BATCH_BYTES);

    private static final String ENTRY_ID_PREFIX = "seq-";

    private final SiteWiseEntryParser parser = new SiteWiseEntryParser();
    private final BatchLimits limits;

    SiteWiseRequestBuilder(BatchLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * One message that goes into the request.
     *
     * @param sequenceNumber the message's
     * @param entry          as the producer wrote it (its own entry id)
     */
    record SentEntry(long sequenceNumber, PutAssetPropertyValueEntry entry) {
        /** {@code message 12 (entryId "e1", propertyAlias "/a")}, for reasons. */
        String describe() {
            var text = new StringBuilder("message ").append(sequenceNumber)
                    .append(" (entryId ").append(SiteWiseEntryParser.quote(entry.entryId()));
            if (entry.propertyAlias() != null) {
                text.append(", propertyAlias ").append(SiteWiseEntryParser.quote(entry.propertyAlias()));
            } else {
                text.append(", assetId ").append(SiteWiseEntryParser.quote(entry.assetId()))
                        .append(", propertyId ").append(SiteWiseEntryParser.quote(entry.propertyId()));
            }
            return text.append(')').toString();
        }
    }

    /**
     * What {@link #build} made of a batch.
     *
     * @param request the call to make; empty when no message of the batch could be sent
     * @param sent    the messages in the request, by the entry id they were sent with, in batch order
     * @param invalid the messages left out, by sequence number, all non-retryable
     */
    record Built(Optional<BatchPutAssetPropertyValueRequest> request, Map<String, SentEntry> sent,
            Map<Long, Rejection> invalid) {
        Built {
            Objects.requireNonNull(request, "request");
            sent = Collections.unmodifiableMap(new LinkedHashMap<>(sent));
            invalid = Map.copyOf(invalid);
        }
    }

    /** The entry id a message is sent with. */
    static String entryIdFor(long sequenceNumber) {
        return ENTRY_ID_PREFIX + sequenceNumber;
    }

    Built build(Batch batch) {
        Map<String, SentEntry> sent = new LinkedHashMap<>();
        Map<Long, Rejection> invalid = new LinkedHashMap<>();
        List<PutAssetPropertyValueEntry> entries = new ArrayList<>();
        for (Message message : batch.messages()) {
            long sequenceNumber = message.sequenceNumber();
            if (message.payload().length > limits.maxMessageBytes()) {
                // the runtime skips these before they get here; a defence, not the rule
                invalid.put(sequenceNumber, new Rejection("message " + sequenceNumber + ": " + message.payload().length
                        + " bytes, larger than the " + limits.maxMessageBytes() + " bytes of any valid entry", false));
                continue;
            }
            PutAssetPropertyValueEntry entry;
            try {
                entry = parser.parse(message.payload());
            } catch (SiteWiseEntryParser.InvalidEntryException e) {
                invalid.put(sequenceNumber, new Rejection("message " + sequenceNumber + ": " + e.getMessage(), false));
                continue;
            }
            String entryId = entryIdFor(sequenceNumber);
            sent.put(entryId, new SentEntry(sequenceNumber, entry));
            entries.add(entry.toBuilder().entryId(entryId).build());
        }
        Optional<BatchPutAssetPropertyValueRequest> request = entries.isEmpty() ? Optional.empty()
                : Optional.of(BatchPutAssetPropertyValueRequest.builder().entries(entries).build());
        return new Built(request, sent, invalid);
    }
}
