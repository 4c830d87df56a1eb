package io.github.edgestream.ipc.wire;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.model.ValidationProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The protocol's rules for export configs (section 7.6), as used by {@link DefinitionDrafts}: core's limits
 * ({@link ExportSettings}, {@link ExportConfig}) checked on drafts, with the protocol's field paths. Pure functions.
 */
final class ExportDraftRules {

    static final long MIN_BATCH_INTERVAL_MILLIS = ExportSettings.MIN_BATCH_INTERVAL.toMillis();
    static final long MAX_BATCH_INTERVAL_MILLIS = ExportSettings.MAX_BATCH_INTERVAL.toMillis();
    static final long MIN_MULTIPART_THRESHOLD = ExportConfig.S3TaskExecutor.MIN_MULTIPART_THRESHOLD.bytes();
    static final int MAX_MESSAGE_ID_PREFIX = ExportConfig.IotAnalytics.MAX_MESSAGE_ID_PREFIX;

    private ExportDraftRules() {
    }

    /** The position of a kind in the protocol's {@code ExportDefinition}. */
    static int wireOrder(ExportKind kind) {
        return switch (kind) {
            case HTTP -> 0;
            case IOT_ANALYTICS -> 1;
            case KINESIS -> 2;
            case IOT_SITEWISE -> 3;
            case S3_TASK_EXECUTOR -> 4;
        };
    }

    /** The path of each draft in problems, e.g. {@code exportDefinition.kinesis[1]}. */
    static List<String> paths(List<ExportDraft> drafts) {
        Map<ExportKind, Integer> counters = new EnumMap<>(ExportKind.class);
        List<String> paths = new ArrayList<>(drafts.size());
        for (ExportDraft draft : drafts) {
            int index = counters.merge(draft.kind(), 1, Integer::sum) - 1;
            paths.add("exportDefinition." + draft.kind().wireKey() + "[" + index + "]");
        }
        return paths;
    }

    static void validate(List<ExportDraft> drafts, List<ValidationProblem> problems) {
        List<String> paths = paths(drafts);
        Set<String> identifiers = new HashSet<>();
        for (int i = 0; i < drafts.size(); i++) {
            ExportDraft draft = drafts.get(i);
            String path = paths.get(i);
            StreamName.check(path + ".identifier", draft.identifier()).ifPresent(problems::add);
            if (draft.identifier() != null && !identifiers.add(draft.identifier())) {
                problems.add(ValidationProblem.of(path + ".identifier", draft.identifier(),
                        "be unique among the stream's exports"));
            }
            ExportKind kind = draft.kind();
            if (kind.batches()) {
                range(problems, path + ".batchSize", draft.batchSize(), 1, kind.maxBatchSize());
                range(problems, path + ".batchIntervalMillis", draft.batchIntervalMillis(),
                        MIN_BATCH_INTERVAL_MILLIS, MAX_BATCH_INTERVAL_MILLIS);
                range(problems, path + ".startSequenceNumber", draft.startSequenceNumber(), 0, Long.MAX_VALUE);
            }
            range(problems, path + ".priority", draft.priority(), ExportSettings.MIN_PRIORITY,
                    ExportSettings.MAX_PRIORITY);
            switch (kind) {
                case KINESIS -> required(problems, path + ".kinesisStreamName", draft.kinesisStreamName());
                case IOT_ANALYTICS -> {
                    required(problems, path + ".iotChannel", draft.iotChannel());
                    if (draft.iotMsgIdPrefix() != null && draft.iotMsgIdPrefix().length() > MAX_MESSAGE_ID_PREFIX) {
                        problems.add(ValidationProblem.of(path + ".iotMsgIdPrefix", draft.iotMsgIdPrefix(),
                                "be at most " + MAX_MESSAGE_ID_PREFIX + " characters"));
                    }
                }
                case HTTP -> {
                    if (required(problems, path + ".uri", draft.uri()) && parseHttpUri(draft.uri()).isEmpty()) {
                        problems.add(ValidationProblem.of(path + ".uri", draft.uri(),
                                "be an absolute http:// or https:// URL"));
                    }
                    range(problems, path + ".exportFormat", draft.exportFormat(), 0, ProtocolCodes.EXPORT_FORMAT_COUNT - 1);
                }
                case S3_TASK_EXECUTOR -> {
                    range(problems, path + ".sizeThresholdForMultipartUploadBytes",
                            draft.sizeThresholdForMultipartUploadBytes(), MIN_MULTIPART_THRESHOLD, Long.MAX_VALUE);
                    if (draft.statusConfig() != null) {
                        range(problems, path + ".statusConfig.statusLevel", draft.statusConfig().statusLevel(), 0,
                                ProtocolCodes.STATUS_LEVEL_COUNT - 1);
                        if (draft.statusConfig().statusStreamName() != null) {
                            StreamName.check(path + ".statusConfig.statusStreamName",
                                    draft.statusConfig().statusStreamName()).ifPresent(problems::add);
                        }
                    }
                }
                case IOT_SITEWISE -> {
                    // nothing beyond the common fields
                }
            }
        }
    }

    /** A validated draft as a typed config. */
    static ExportConfig toConfig(ExportDraft draft) {
        ExportSettings settings = new ExportSettings(
                draft.identifier(),
                Optional.ofNullable(draft.priority()).map(Long::intValue),
                draft.startSequenceNumber() == null ? 0 : draft.startSequenceNumber(),
                Boolean.TRUE.equals(draft.disabled()),
                Optional.ofNullable(draft.batchSize()).map(Long::intValue),
                Optional.ofNullable(draft.batchIntervalMillis()).map(Duration::ofMillis));
        return switch (draft.kind()) {
            case KINESIS -> new ExportConfig.Kinesis(settings, draft.kinesisStreamName());
            case IOT_ANALYTICS -> new ExportConfig.IotAnalytics(settings, draft.iotChannel(),
                    Optional.ofNullable(draft.iotMsgIdPrefix()));
            case HTTP -> new ExportConfig.Http(settings, parseHttpUri(draft.uri()).orElseThrow(),
                    Optional.ofNullable(draft.exportFormat())
                            .map(ProtocolCodes::exportFormat));
            case IOT_SITEWISE -> new ExportConfig.IotSiteWise(settings);
            case S3_TASK_EXECUTOR -> new ExportConfig.S3TaskExecutor(settings,
                    Optional.ofNullable(draft.sizeThresholdForMultipartUploadBytes()).map(DataSize::ofBytes),
                    Optional.ofNullable(draft.statusConfig()).map(status -> new ExportConfig.StatusConfig(
                            Optional.ofNullable(status.statusLevel())
                                    .map(ProtocolCodes::statusLevel),
                            Optional.ofNullable(status.statusStreamName()).map(StreamName::of))));
        };
    }

    /** The draft that describes a config exactly. */
    static ExportDraft toDraft(ExportConfig config) {
        ExportSettings s = config.settings();
        Long priority = s.priority().map(Integer::longValue).orElse(null);
        Long batchSize = s.batchSize().map(Integer::longValue).orElse(null);
        Long interval = s.batchInterval().map(Duration::toMillis).orElse(null);
        Long start = config.kind().batches() ? s.startSequenceNumber() : null;
        Boolean disabled = s.disabled();
        if (config instanceof ExportConfig.Kinesis k) {
            return new ExportDraft(k.kind(), s.identifier(), batchSize, interval, priority, start, disabled,
                    k.kinesisStreamName(), null, null, null, null, null, null);
        } else if (config instanceof ExportConfig.IotAnalytics a) {
            return new ExportDraft(a.kind(), s.identifier(), batchSize, interval, priority, start, disabled, null,
                    a.iotChannel(), a.iotMsgIdPrefix().orElse(null), null, null, null, null);
        } else if (config instanceof ExportConfig.Http h) {
            return new ExportDraft(h.kind(), s.identifier(), batchSize, interval, priority, start, disabled, null,
                    null, null, h.uri().toString(), h.exportFormat().map(f -> (long) ProtocolCodes.code(f)).orElse(null), null,
                    null);
        } else if (config instanceof ExportConfig.IotSiteWise w) {
            return new ExportDraft(w.kind(), s.identifier(), batchSize, interval, priority, start, disabled, null,
                    null, null, null, null, null, null);
        } else {
            ExportConfig.S3TaskExecutor t = (ExportConfig.S3TaskExecutor) config;
            return new ExportDraft(t.kind(), s.identifier(), null, null, priority, null, disabled, null, null, null,
                    null, null, t.sizeThresholdForMultipartUpload().map(DataSize::bytes).orElse(null),
                    t.statusConfig().map(c -> new ExportDraft.StatusConfigDraft(
                            c.statusLevel().map(l -> (long) ProtocolCodes.code(l)).orElse(null),
                            c.statusStreamName().map(StreamName::value).orElse(null))).orElse(null));
        }
    }

    private static Optional<URI> parseHttpUri(String text) {
        try {
            URI uri = new URI(text);
            return ExportConfig.Http.isHttpUrl(uri) ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static boolean required(List<ValidationProblem> problems, String field, String value) {
        if (value == null) {
            problems.add(ValidationProblem.missing(field));
            return false;
        }
        if (value.isEmpty()) {
            problems.add(ValidationProblem.of(field, value, "not be empty"));
            return false;
        }
        return true;
    }

    static void range(List<ValidationProblem> problems, String field, Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            problems.add(ValidationProblem.of(field, value, "be between " + min + " and " + max));
        }
    }
}
