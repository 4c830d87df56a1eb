package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Reads stream definitions of format 1, which the first release wrote: the Greengrass protocol's field names, wire
 * keys and integer codes. Nothing writes this format any more; {@link StreamDirectories} rewrites such a file as
 * format 2 when it first reads it. The old names and codes are this reader's own (the tables below): core's model
 * no longer speaks the protocol, and the protocol layer may change without touching files on disk.
 *
 * <pre>
 * format=1
 * name=Sensor readings, line 1
 * maxSize=268435456               bytes (absent: 256 MiB)
 * streamSegmentSize=16777216      bytes (absent: 16 MiB)
 * timeToLiveMillis=3600000        (absent: no TTL)
 * strategyOnFull=0                0 RejectNewData, 1 OverwriteOldestData
 * persistence=0                   0 File, 1 Memory (absent: File)
 * flushOnWrite=false
 * export.0.kind=kinesis           the protocol's wire key; one group per export, in the protocol's kind order
 * export.0.identifier=to-cloud
 * export.0.kinesisStreamName=plant-telemetry
 * export.0.batchSize=200
 * export.1.kind=s3TaskExecutor
 * export.1.statusConfig=present   marks a statusConfig, whose fields follow
 * export.1.statusConfig.statusLevel=2
 * </pre>
 *
 * A malformed value fails at once, naming its key; the definition is then checked by {@link StreamDefinition}'s
 * constructor, which reports every broken rule. Stateless.
 */
final class DefinitionFormat1 {

    static final String FORMAT = "1";

    /** The export kinds by their wire keys, in the protocol's kind order (the order definitions list exports). */
    private static final Map<String, ExportKind> KINDS = Map.of(
            "http", ExportKind.HTTP,
            "iotAnalytics", ExportKind.IOT_ANALYTICS,
            "kinesis", ExportKind.KINESIS,
            "IotSitewise", ExportKind.IOT_SITEWISE,
            "s3TaskExecutor", ExportKind.S3_TASK_EXECUTOR);
    private static final List<ExportKind> KIND_ORDER = List.of(ExportKind.HTTP, ExportKind.IOT_ANALYTICS,
            ExportKind.KINESIS, ExportKind.IOT_SITEWISE, ExportKind.S3_TASK_EXECUTOR);

    /** The integer codes of the enums, index = code. */
    private static final List<StrategyOnFull> STRATEGIES =
            List.of(StrategyOnFull.REJECT_NEW_DATA, StrategyOnFull.OVERWRITE_OLDEST_DATA);
    private static final List<Persistence> PERSISTENCES = List.of(Persistence.FILE, Persistence.MEMORY);
    private static final List<ExportFormat> EXPORT_FORMATS =
            List.of(ExportFormat.RAW_NOT_BATCHED, ExportFormat.JSON_BATCHED);
    private static final List<StatusLevel> STATUS_LEVELS = List.of(StatusLevel.ERROR, StatusLevel.WARN,
            StatusLevel.INFO, StatusLevel.DEBUG, StatusLevel.TRACE);

    private DefinitionFormat1() {
    }

    /**
     * @throws IllegalArgumentException if a value is malformed or the definition is invalid (then an
     *                                  {@link io.github.edgestream.core.model.InvalidStreamDefinitionException})
     */
    static StreamDefinition read(Properties p) {
        return new StreamDefinition(
                StreamName.of(required(p, "name", Function.identity())),
                optional(p, "maxSize", DataSize::ofBytes).orElse(StreamDefinition.DEFAULT_MAX_SIZE),
                optional(p, "streamSegmentSize", DataSize::ofBytes).orElse(StreamDefinition.DEFAULT_SEGMENT_SIZE),
                optional(p, "timeToLiveMillis", Duration::ofMillis),
                code(p, "strategyOnFull", STRATEGIES).orElseThrow(() -> missing("strategyOnFull")),
                code(p, "persistence", PERSISTENCES).orElse(Persistence.FILE),
                flag(p, "flushOnWrite"),
                readExports(p));
    }

    private static List<ExportConfig> readExports(Properties p) {
        List<ExportConfig> exports = new ArrayList<>();
        for (int i = 0; p.getProperty("export." + i + ".kind") != null; i++) {
            String prefix = "export." + i + ".";
            String key = p.getProperty(prefix + "kind");
            ExportKind kind = KINDS.get(key);
            if (kind == null) {
                throw new IllegalArgumentException("unknown export kind " + key);
            }
            ExportSettings settings = new ExportSettings(
                    required(p, prefix + "identifier", Function.identity()),
                    optional(p, prefix + "priority", DefinitionFormat1::toInt),
                    optional(p, prefix + "startSequenceNumber", Function.identity()).orElse(0L),
                    flag(p, prefix + "disabled"),
                    optional(p, prefix + "batchSize", DefinitionFormat1::toInt),
                    optional(p, prefix + "batchIntervalMillis", Duration::ofMillis));
            exports.add(switch (kind) {
                case KINESIS -> new ExportConfig.Kinesis(settings,
                        required(p, prefix + "kinesisStreamName", Function.identity()));
                case IOT_ANALYTICS -> new ExportConfig.IotAnalytics(settings,
                        required(p, prefix + "iotChannel", Function.identity()),
                        Optional.ofNullable(p.getProperty(prefix + "iotMsgIdPrefix")));
                case HTTP -> new ExportConfig.Http(settings, required(p, prefix + "uri", DefinitionFormat1::uri),
                        code(p, prefix + "exportFormat", EXPORT_FORMATS));
                case IOT_SITEWISE -> new ExportConfig.IotSiteWise(settings);
                case S3_TASK_EXECUTOR -> new ExportConfig.S3TaskExecutor(settings,
                        optional(p, prefix + "sizeThresholdForMultipartUploadBytes", DataSize::ofBytes),
                        p.getProperty(prefix + "statusConfig") == null ? Optional.empty()
                                : Optional.of(new ExportConfig.StatusConfig(
                                        code(p, prefix + "statusConfig.statusLevel", STATUS_LEVELS),
                                        Optional.ofNullable(p.getProperty(prefix + "statusConfig.statusStreamName"))
                                                .map(StreamName::of))));
            });
        }
        exports.sort(Comparator.comparingInt(export -> KIND_ORDER.indexOf(export.kind())));
        return exports;
    }

    private static boolean flag(Properties p, String key) {
        String value = p.getProperty(key);
        return value != null && Boolean.parseBoolean(value.trim());
    }

    private static <T> Optional<T> code(Properties p, String key, List<T> byCode) {
        Optional<Long> code = optional(p, key, Function.identity());
        if (code.isPresent() && (code.get() < 0 || code.get() >= byCode.size())) {
            throw new IllegalArgumentException(key + " is " + code.get() + "; expected a code from 0 to "
                    + (byCode.size() - 1));
        }
        return code.map(c -> byCode.get(c.intValue()));
    }

    private static <T> T required(Properties p, String key, Function<String, T> parse) {
        String value = p.getProperty(key);
        if (value == null) {
            throw missing(key);
        }
        return parse.apply(value);
    }

    private static IllegalArgumentException missing(String key) {
        return new IllegalArgumentException(key + " is missing");
    }

    /** The whole number under {@code key}, parsed and then converted by {@code convert}; empty if absent. */
    private static <T> Optional<T> optional(Properties p, String key, Function<Long, T> convert) {
        String value = p.getProperty(key);
        if (value == null) {
            return Optional.empty();
        }
        long number;
        try {
            number = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is \"" + value + "\"; expected a whole number", e);
        }
        try {
            return Optional.of(convert.apply(number));
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " is " + number + ": " + e.getMessage(), e);
        }
    }

    private static int toInt(long value) {
        return Math.toIntExact(value);
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("uri is \"" + text + "\"; " + e.getMessage(), e);
        }
    }
}
