package io.github.edgestream.exporter.kinesis;

import static io.github.edgestream.exporter.kinesis.KinesisExporterConfig.MAX_CALL_BYTES;
import static io.github.edgestream.exporter.kinesis.KinesisExporterConfig.MAX_RECORDS;
import static io.github.edgestream.exporter.kinesis.KinesisExporterConfig.MAX_RECORD_BYTES;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.ExportResult.Rejection;
import io.github.edgestream.core.model.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Turns a batch into one PutRecords request: one record per message, in order, the payload as the record's data
 * (not copied) and a fresh partition key per record, so that Kinesis spreads the records over the stream's shards
 * as Greengrass's stream manager does (see {@link #randomUuids()}). A resend gets new keys, so it may land on other
 * shards; Kinesis orders records per shard only, so the order across a batch is not kept by Kinesis either way.
 *
 * <p>Size accounting follows Kinesis: a record's size is its data plus its partition key (UTF-8), at most 1 MiB; a
 * call's is the sum over its records, at most 5 MiB; at most 500 records. The runtime never hands over a batch
 * beyond {@link KinesisExporterConfig#LIMITS}, which guarantees all three. If it ever does:
 * <ul>
 *   <li>a message too large for a record is refused for good (a non-retryable rejection naming its size and the
 *       limit): it can never be delivered;</li>
 *   <li>messages that do not fit into this call (beyond 500 records or 5 MiB) are left out with a retryable
 *       rejection, so that the runtime sends them in a later call.</li>
 * </ul>
 *
 * <p>Not thread-safe if the partition-key supplier is not; the production one is. Called by {@link KinesisExporter}
 * on the export's worker thread.
 */
final class KinesisRequestBuilder {

    /** The request for one batch, and what became of each message. */
    record Request(Optional<PutRecordsRequest> call, List<Long> sequenceNumbers, Map<Long, Rejection> refused) {

        /**
         * @param call            absent if no message could be sent
         * @param sequenceNumbers of the messages in the call: entry {@code i} carries message
         *                        {@code sequenceNumbers.get(i)}, and so does result {@code i} of the answer
         * @param refused         messages left out of the call, with why
         */
        Request {
            Objects.requireNonNull(call, "call");
            sequenceNumbers = List.copyOf(sequenceNumbers);
            refused = Map.copyOf(refused);
        }
    }

    private final String streamName;
    private final Supplier<String> partitionKeys;

    /**
     * @param streamName    the Kinesis data stream
     * @param partitionKeys one key per call of {@link Supplier#get()}; 1 to 256 characters
     */
    KinesisRequestBuilder(String streamName, Supplier<String> partitionKeys) {
        this.streamName = Objects.requireNonNull(streamName, "streamName");
        this.partitionKeys = Objects.requireNonNull(partitionKeys, "partitionKeys");
    }

    /**
     * The production partition keys: {@code UUID.randomUUID().toString()}, a fresh random (version 4) UUID per
     * record, as Greengrass does. This is the one randomness exporters use outside a parameter (STYLE point 8 asks
     * for a {@code RandomGenerator}): nothing depends on the value, only on keys being spread evenly, and the JDK's
     * secure generator is thread-safe. Tests that need fixed keys pass their own supplier.
     */
    static Supplier<String> randomUuids() {
        return () -> UUID.randomUUID().toString();
    }

    Request build(Batch batch) {
        var entries = new ArrayList<PutRecordsRequestEntry>();
        var sequenceNumbers = new ArrayList<Long>();
        var refused = new LinkedHashMap<Long, Rejection>();
        long callBytes = 0;
        for (Message message : batch.messages()) {
            String key = partitionKeys.get();
            long keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
            long recordBytes = message.payload().length + keyBytes;
            if (recordBytes > MAX_RECORD_BYTES) {
                refused.put(message.sequenceNumber(), new Rejection("message " + message.sequenceNumber() + " is "
                        + message.payload().length + " bytes; with its " + keyBytes + "-byte partition key that is "
                        + recordBytes + " bytes, over Kinesis's limit of " + MAX_RECORD_BYTES
                        + " bytes per record (at most " + (MAX_RECORD_BYTES - keyBytes) + " payload bytes)", false));
                continue;
            }
            if (entries.size() == MAX_RECORDS || callBytes + recordBytes > MAX_CALL_BYTES) {
                refused.put(message.sequenceNumber(), new Rejection("message " + message.sequenceNumber()
                        + " was not sent: the batch exceeds PutRecords' limit of " + MAX_RECORDS + " records or "
                        + MAX_CALL_BYTES + " bytes (data and partition keys) per call; it goes in a later call",
                        true));
                continue;
            }
            entries.add(PutRecordsRequestEntry.builder()
                    .data(SdkBytes.fromByteArrayUnsafe(message.payload()))
                    .partitionKey(key)
                    .build());
            sequenceNumbers.add(message.sequenceNumber());
            callBytes += recordBytes;
        }
        Optional<PutRecordsRequest> call = entries.isEmpty() ? Optional.empty()
                : Optional.of(PutRecordsRequest.builder().streamName(streamName).records(entries).build());
        return new Request(call, sequenceNumbers, refused);
    }
}
