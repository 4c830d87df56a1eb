package io.github.edgestream.ipc.wire;

import io.github.edgestream.core.model.ExportKind;

/**
 * One export config as a client sent it, before validation: the union of the fields of every kind, by their
 * protocol names, each possibly absent ({@code null}) or out of range. Only the fields of {@code kind} are read.
 * Numbers are {@code Long} so that an out-of-range value is reported as it was sent, not overflowed.
 */
public record ExportDraft(
        ExportKind kind,
        String identifier,
        Long batchSize,
        Long batchIntervalMillis,
        Long priority,
        Long startSequenceNumber,
        Boolean disabled,
        String kinesisStreamName,
        String iotChannel,
        String iotMsgIdPrefix,
        String uri,
        Long exportFormat,
        Long sizeThresholdForMultipartUploadBytes,
        StatusConfigDraft statusConfig) {

    /** An S3 executor's {@code statusConfig} as sent. */
    public record StatusConfigDraft(Long statusLevel, String statusStreamName) {
    }

    /** A draft with only a kind and an identifier, for building in code and tests. */
    public static ExportDraft of(ExportKind kind, String identifier) {
        return new ExportDraft(kind, identifier, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    public ExportDraft withKinesisStreamName(String value) {
        return new ExportDraft(kind, identifier, batchSize, batchIntervalMillis, priority, startSequenceNumber,
                disabled, value, iotChannel, iotMsgIdPrefix, uri, exportFormat, sizeThresholdForMultipartUploadBytes,
                statusConfig);
    }

    public ExportDraft withUri(String value) {
        return new ExportDraft(kind, identifier, batchSize, batchIntervalMillis, priority, startSequenceNumber,
                disabled, kinesisStreamName, iotChannel, iotMsgIdPrefix, value, exportFormat,
                sizeThresholdForMultipartUploadBytes, statusConfig);
    }

    public ExportDraft withIotChannel(String value) {
        return new ExportDraft(kind, identifier, batchSize, batchIntervalMillis, priority, startSequenceNumber,
                disabled, kinesisStreamName, value, iotMsgIdPrefix, uri, exportFormat,
                sizeThresholdForMultipartUploadBytes, statusConfig);
    }

    public ExportDraft withBatching(Long size, Long intervalMillis) {
        return new ExportDraft(kind, identifier, size, intervalMillis, priority, startSequenceNumber, disabled,
                kinesisStreamName, iotChannel, iotMsgIdPrefix, uri, exportFormat,
                sizeThresholdForMultipartUploadBytes, statusConfig);
    }

    public ExportDraft withPriority(Long value) {
        return new ExportDraft(kind, identifier, batchSize, batchIntervalMillis, value, startSequenceNumber, disabled,
                kinesisStreamName, iotChannel, iotMsgIdPrefix, uri, exportFormat,
                sizeThresholdForMultipartUploadBytes, statusConfig);
    }

    public ExportDraft withStatusConfig(StatusConfigDraft value) {
        return new ExportDraft(kind, identifier, batchSize, batchIntervalMillis, priority, startSequenceNumber,
                disabled, kinesisStreamName, iotChannel, iotMsgIdPrefix, uri, exportFormat,
                sizeThresholdForMultipartUploadBytes, value);
    }
}
