package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.ExportDraft;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamDefinitionDraft;
import io.github.edgestream.core.model.StreamDefinitions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Reads stream definitions of format 1, which the first release wrote: the Greengrass protocol's field names and
 * integer codes, read back through {@link StreamDefinitions#toDefinition} like a client's request. Nothing writes
 * this format any more; {@link StreamDirectories} rewrites such a file as format 2 when it first reads it.
 *
 * <pre>
 * format=1
 * name=Sensor readings, line 1
 * maxSize=268435456               bytes
 * streamSegmentSize=16777216      bytes
 * timeToLiveMillis=3600000        (absent: no TTL)
 * strategyOnFull=0                0 RejectNewData, 1 OverwriteOldestData
 * persistence=0                   0 File, 1 Memory
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
 * Stateless; the code path is the first release's, unchanged.
 */
final class DefinitionFormat1 {

    static final String FORMAT = "1";

    private DefinitionFormat1() {
    }

    /**
     * @throws IllegalArgumentException if a value is malformed or the definition is invalid
     */
    static StreamDefinition read(Properties p) {
        return StreamDefinitions.toDefinition(new StreamDefinitionDraft(
                p.getProperty("name"),
                parseLong(p, "maxSize"),
                parseLong(p, "streamSegmentSize"),
                parseLong(p, "timeToLiveMillis"),
                parseLong(p, "strategyOnFull"),
                parseLong(p, "persistence"),
                parseBoolean(p, "flushOnWrite"),
                readExports(p)));
    }

    private static List<ExportDraft> readExports(Properties p) {
        List<ExportDraft> exports = new ArrayList<>();
        for (int i = 0; p.getProperty("export." + i + ".kind") != null; i++) {
            String prefix = "export." + i + ".";
            String kind = p.getProperty(prefix + "kind");
            ExportKind exportKind = Arrays.stream(ExportKind.values()).filter(k -> k.wireKey().equals(kind))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown export kind " + kind));
            ExportDraft.StatusConfigDraft status = p.getProperty(prefix + "statusConfig") == null ? null
                    : new ExportDraft.StatusConfigDraft(parseLong(p, prefix + "statusConfig.statusLevel"),
                            p.getProperty(prefix + "statusConfig.statusStreamName"));
            exports.add(new ExportDraft(exportKind,
                    p.getProperty(prefix + "identifier"),
                    parseLong(p, prefix + "batchSize"),
                    parseLong(p, prefix + "batchIntervalMillis"),
                    parseLong(p, prefix + "priority"),
                    parseLong(p, prefix + "startSequenceNumber"),
                    parseBoolean(p, prefix + "disabled"),
                    p.getProperty(prefix + "kinesisStreamName"),
                    p.getProperty(prefix + "iotChannel"),
                    p.getProperty(prefix + "iotMsgIdPrefix"),
                    p.getProperty(prefix + "uri"),
                    parseLong(p, prefix + "exportFormat"),
                    parseLong(p, prefix + "sizeThresholdForMultipartUploadBytes"),
                    status));
        }
        return exports.isEmpty() ? null : exports;
    }

    private static Boolean parseBoolean(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null ? null : Boolean.parseBoolean(value.trim());
    }

    private static Long parseLong(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is \"" + value + "\"; expected a whole number", e);
        }
    }
}
