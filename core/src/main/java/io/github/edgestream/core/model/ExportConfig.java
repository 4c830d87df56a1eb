package io.github.edgestream.core.model;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One export of a stream: where its messages go and how. The records check only that their fields are present;
 * the rules on their values ({@link #problems}) are checked by {@link StreamDefinition}'s constructor with every
 * other problem of the definition, so a definition holds only valid exports. Immutable and thread-safe.
 */
public sealed interface ExportConfig {

    ExportKind kind();

    ExportSettings settings();

    default String identifier() {
        return settings().identifier();
    }

    /**
     * Every problem with this export, each field named under {@code path} by the model's names (e.g.
     * {@code exports[1].kinesisStreamName}); empty when it is valid. Pure.
     */
    default List<ValidationProblem> problems(String path) {
        List<ValidationProblem> problems = new ArrayList<>(settings().problems(path, kind()));
        if (this instanceof Kinesis k) {
            notEmpty(problems, path + ".kinesisStreamName", k.kinesisStreamName());
        } else if (this instanceof IotAnalytics a) {
            notEmpty(problems, path + ".iotChannel", a.iotChannel());
            a.iotMsgIdPrefix().filter(prefix -> prefix.length() > IotAnalytics.MAX_MESSAGE_ID_PREFIX)
                    .ifPresent(prefix -> problems.add(ValidationProblem.of(path + ".iotMsgIdPrefix", prefix,
                            "be at most " + IotAnalytics.MAX_MESSAGE_ID_PREFIX + " characters")));
        } else if (this instanceof Http h) {
            if (!Http.isHttpUrl(h.uri())) {
                problems.add(ValidationProblem.of(path + ".uri", h.uri().toString(),
                        "be an absolute http:// or https:// URL"));
            }
        } else if (this instanceof S3TaskExecutor t) {
            t.sizeThresholdForMultipartUpload()
                    .filter(size -> size.compareTo(S3TaskExecutor.MIN_MULTIPART_THRESHOLD) < 0)
                    .ifPresent(size -> problems.add(ValidationProblem.of(path + ".sizeThresholdForMultipartUpload",
                            size.bytes(), "be at least " + S3TaskExecutor.MIN_MULTIPART_THRESHOLD.bytes()
                                    + " bytes")));
        }
        return problems;
    }

    private static void notEmpty(List<ValidationProblem> problems, String field, String value) {
        if (value.isEmpty()) {
            problems.add(ValidationProblem.of(field, value, "not be empty"));
        }
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

        /** The longest {@code iotMsgIdPrefix}, in characters. */
        public static final int MAX_MESSAGE_ID_PREFIX = 32;

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

        /** Whether {@code uri} is what an HTTP export may post to: absolute, http or https, with a host. */
        public static boolean isHttpUrl(URI uri) {
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null;
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

        /** The smallest {@code sizeThresholdForMultipartUpload}: S3's minimum part size, 5 MiB. */
        public static final DataSize MIN_MULTIPART_THRESHOLD = DataSize.ofMebibytes(5);

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
