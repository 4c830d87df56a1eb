package io.github.edgestream.core.model;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One export of a stream: where its messages go and how. Validated; built from an {@link ExportDraft} by
 * {@link StreamDefinitions#toDefinition}. Immutable and thread-safe.
 */
public sealed interface ExportConfig {

    ExportKind kind();

    ExportSettings settings();

    default String identifier() {
        return settings().identifier();
    }

    /** PutRecords to a Kinesis data stream. */
    record Kinesis(ExportSettings settings, String kinesisStreamName) implements ExportConfig {
        public Kinesis {
            Objects.requireNonNull(kinesisStreamName, "kinesisStreamName");
        }

        @Override
        public ExportKind kind() {
            return ExportKind.KINESIS;
        }
    }

    /** BatchPutMessage to an IoT Analytics channel; message ids start with the prefix. */
    record IotAnalytics(ExportSettings settings, String iotChannel, Optional<String> iotMsgIdPrefix)
            implements ExportConfig {
        public IotAnalytics {
            Objects.requireNonNull(iotChannel, "iotChannel");
            Objects.requireNonNull(iotMsgIdPrefix, "iotMsgIdPrefix");
        }

        @Override
        public ExportKind kind() {
            return ExportKind.IOT_ANALYTICS;
        }
    }

    /** POSTs to an HTTP endpoint. */
    record Http(ExportSettings settings, URI uri, Optional<ExportFormat> exportFormat) implements ExportConfig {
        public Http {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(exportFormat, "exportFormat");
        }

        @Override
        public ExportKind kind() {
            return ExportKind.HTTP;
        }
    }

    /** BatchPutAssetPropertyValue to IoT SiteWise; each message is one JSON PutAssetPropertyValueEntry. */
    record IotSiteWise(ExportSettings settings) implements ExportConfig {
        @Override
        public ExportKind kind() {
            return ExportKind.IOT_SITEWISE;
        }
    }

    /** Runs the S3 upload tasks the stream's messages describe, reporting to a status stream. */
    record S3TaskExecutor(ExportSettings settings, Optional<DataSize> sizeThresholdForMultipartUpload,
            Optional<StatusConfig> statusConfig) implements ExportConfig {
        public S3TaskExecutor {
            Objects.requireNonNull(sizeThresholdForMultipartUpload, "sizeThresholdForMultipartUpload");
            Objects.requireNonNull(statusConfig, "statusConfig");
        }

        @Override
        public ExportKind kind() {
            return ExportKind.S3_TASK_EXECUTOR;
        }
    }

    /** Where and how verbosely an S3 task executor reports. */
    record StatusConfig(Optional<StatusLevel> statusLevel, Optional<StreamName> statusStreamName) {
        public StatusConfig {
            Objects.requireNonNull(statusLevel, "statusLevel");
            Objects.requireNonNull(statusStreamName, "statusStreamName");
        }
    }
}
