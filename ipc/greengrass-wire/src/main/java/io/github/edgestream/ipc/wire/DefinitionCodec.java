package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.github.edgestream.core.model.ExportKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code MessageStreamDefinition} and its {@code ExportDefinition} on the wire (protocol sections 7.2 and 7.6), in both
 * directions: the server reads them from create and update requests and writes them in describe responses; the
 * client does the opposite.
 *
 * <p>Keys are written in the order the SDKs emit them, absent values are omitted (never null), enums are integers,
 * and an export kind with no configs is left out. Note the odd key {@code IotSitewise}.
 */
final class DefinitionCodec {

    private DefinitionCodec() {
    }

    // ------------------------------------------------------------------------------------------------ reading

    static StreamDefinitionDraft read(CborIn in, String path) throws IOException {
        String[] name = new String[1];
        Long[] numbers = new Long[5]; // maxSize, streamSegmentSize, timeToLiveMillis, strategyOnFull, persistence
        Boolean[] flush = new Boolean[1];
        List<ExportDraft> exports = new ArrayList<>();
        boolean[] hasExports = new boolean[1];
        boolean isMap = in.map(path, (field, fieldPath) -> {
            switch (field) {
                case "name" -> name[0] = in.text(fieldPath);
                case "maxSize" -> numbers[0] = in.integer(fieldPath);
                case "streamSegmentSize" -> numbers[1] = in.integer(fieldPath);
                case "timeToLiveMillis" -> numbers[2] = in.integer(fieldPath);
                case "strategyOnFull" -> numbers[3] = in.integer(fieldPath);
                case "persistence" -> numbers[4] = in.integer(fieldPath);
                case "flushOnWrite" -> flush[0] = in.bool(fieldPath);
                case "exportDefinition" -> {
                    hasExports[0] = true;
                    readExports(in, fieldPath, exports);
                }
                default -> in.skip();
            }
        });
        if (!isMap) {
            return null;
        }
        return new StreamDefinitionDraft(name[0], numbers[0], numbers[1], numbers[2], numbers[3], numbers[4],
                flush[0], hasExports[0] && !exports.isEmpty() ? List.copyOf(exports) : null);
    }

    private static void readExports(CborIn in, String path, List<ExportDraft> exports) throws IOException {
        in.map(path, (key, kindPath) -> {
            Optional<ExportKind> kind = Arrays.stream(ExportKind.values())
                    .filter(k -> k.wireKey().equals(key)).findFirst();
            if (kind.isEmpty()) {
                in.skip(); // a kind from a newer SDK: ignore, as the clients ignore unknown keys
                return;
            }
            in.array(kindPath, (index, elementPath) -> {
                ExportDraft draft = readExport(in, elementPath, kind.get());
                if (draft != null) {
                    exports.add(draft);
                }
            });
        });
    }

    private static ExportDraft readExport(CborIn in, String path, ExportKind kind) throws IOException {
        String[] texts = new String[5]; // identifier, kinesisStreamName, iotChannel, iotMsgIdPrefix, uri
        Long[] numbers = new Long[6]; // batchSize, batchIntervalMillis, priority, startSequenceNumber, exportFormat,
                                      // sizeThresholdForMultipartUploadBytes
        Boolean[] disabled = new Boolean[1];
        ExportDraft.StatusConfigDraft[] status = new ExportDraft.StatusConfigDraft[1];
        boolean isMap = in.map(path, (field, fieldPath) -> {
            switch (field) {
                case "identifier" -> texts[0] = in.text(fieldPath);
                case "kinesisStreamName" -> texts[1] = in.text(fieldPath);
                case "iotChannel" -> texts[2] = in.text(fieldPath);
                case "iotMsgIdPrefix" -> texts[3] = in.text(fieldPath);
                case "uri" -> texts[4] = in.text(fieldPath);
                case "batchSize" -> numbers[0] = in.integer(fieldPath);
                case "batchIntervalMillis" -> numbers[1] = in.integer(fieldPath);
                case "priority" -> numbers[2] = in.integer(fieldPath);
                case "startSequenceNumber" -> numbers[3] = in.integer(fieldPath);
                case "exportFormat" -> numbers[4] = in.integer(fieldPath);
                case "sizeThresholdForMultipartUploadBytes" -> numbers[5] = in.integer(fieldPath);
                case "disabled" -> disabled[0] = in.bool(fieldPath);
                case "statusConfig" -> status[0] = readStatusConfig(in, fieldPath);
                default -> in.skip();
            }
        });
        if (!isMap) {
            return null;
        }
        return new ExportDraft(kind, texts[0], numbers[0], numbers[1], numbers[2], numbers[3], disabled[0],
                texts[1], texts[2], texts[3], texts[4], numbers[4], numbers[5], status[0]);
    }

    private static ExportDraft.StatusConfigDraft readStatusConfig(CborIn in, String path) throws IOException {
        Long[] level = new Long[1];
        String[] stream = new String[1];
        boolean isMap = in.map(path, (field, fieldPath) -> {
            switch (field) {
                case "statusLevel" -> level[0] = in.integer(fieldPath);
                case "statusStreamName" -> stream[0] = in.text(fieldPath);
                default -> in.skip();
            }
        });
        return isMap ? new ExportDraft.StatusConfigDraft(level[0], stream[0]) : null;
    }

    // ------------------------------------------------------------------------------------------------ writing

    static void write(CBORGenerator out, StreamDefinitionDraft d) throws IOException {
        boolean exports = d.exports() != null && !d.exports().isEmpty();
        out.writeStartObject(d, count(d.name(), d.maxSize(), d.streamSegmentSize(), d.timeToLiveMillis(),
                d.strategyOnFull(), d.persistence(), d.flushOnWrite()) + (exports ? 1 : 0));
        field(out, "name", d.name());
        field(out, "maxSize", d.maxSize());
        field(out, "streamSegmentSize", d.streamSegmentSize());
        field(out, "timeToLiveMillis", d.timeToLiveMillis());
        field(out, "strategyOnFull", d.strategyOnFull());
        field(out, "persistence", d.persistence());
        field(out, "flushOnWrite", d.flushOnWrite());
        if (exports) {
            out.writeFieldName("exportDefinition");
            writeExports(out, d.exports());
        }
        out.writeEndObject();
    }

    /** The kinds in the order of the SDKs' {@code ExportDefinition}. */
    private static final ExportKind[] WIRE_ORDER = {ExportKind.HTTP, ExportKind.IOT_ANALYTICS, ExportKind.KINESIS,
            ExportKind.IOT_SITEWISE, ExportKind.S3_TASK_EXECUTOR};

    private static void writeExports(CBORGenerator out, List<ExportDraft> exports) throws IOException {
        List<ExportKind> present = Arrays.stream(WIRE_ORDER)
                .filter(kind -> exports.stream().anyMatch(e -> e.kind() == kind)).toList();
        out.writeStartObject(exports, present.size());
        for (ExportKind kind : present) {
            List<ExportDraft> ofKind = exports.stream().filter(e -> e.kind() == kind).toList();
            out.writeFieldName(kind.wireKey());
            out.writeStartArray(ofKind, ofKind.size());
            for (ExportDraft export : ofKind) {
                writeExport(out, export);
            }
            out.writeEndArray();
        }
        out.writeEndObject();
    }

    private static void writeExport(CBORGenerator out, ExportDraft e) throws IOException {
        boolean batches = e.kind().batches();
        Long batchSize = batches ? e.batchSize() : null;
        Long interval = batches ? e.batchIntervalMillis() : null;
        Long start = batches ? e.startSequenceNumber() : null;
        switch (e.kind()) {
            case KINESIS -> {
                out.writeStartObject(e, count(e.identifier(), e.kinesisStreamName(), batchSize, interval,
                        e.priority(), start, e.disabled()));
                field(out, "identifier", e.identifier());
                field(out, "kinesisStreamName", e.kinesisStreamName());
                common(out, batchSize, interval, e.priority(), start, e.disabled());
            }
            case IOT_ANALYTICS -> {
                out.writeStartObject(e, count(e.identifier(), e.iotChannel(), e.iotMsgIdPrefix(), batchSize,
                        interval, e.priority(), start, e.disabled()));
                field(out, "identifier", e.identifier());
                field(out, "iotChannel", e.iotChannel());
                field(out, "iotMsgIdPrefix", e.iotMsgIdPrefix());
                common(out, batchSize, interval, e.priority(), start, e.disabled());
            }
            case HTTP -> {
                out.writeStartObject(e, count(e.identifier(), e.uri(), batchSize, interval, e.priority(), start,
                        e.disabled(), e.exportFormat()));
                field(out, "identifier", e.identifier());
                field(out, "uri", e.uri());
                common(out, batchSize, interval, e.priority(), start, e.disabled());
                field(out, "exportFormat", e.exportFormat());
            }
            case IOT_SITEWISE -> {
                out.writeStartObject(e, count(e.identifier(), batchSize, interval, e.priority(), start,
                        e.disabled()));
                field(out, "identifier", e.identifier());
                common(out, batchSize, interval, e.priority(), start, e.disabled());
            }
            case S3_TASK_EXECUTOR -> {
                ExportDraft.StatusConfigDraft status = e.statusConfig();
                out.writeStartObject(e, count(e.identifier(), e.sizeThresholdForMultipartUploadBytes(),
                        e.priority(), e.disabled(), status));
                field(out, "identifier", e.identifier());
                field(out, "sizeThresholdForMultipartUploadBytes", e.sizeThresholdForMultipartUploadBytes());
                field(out, "priority", e.priority());
                field(out, "disabled", e.disabled());
                if (status != null) {
                    out.writeFieldName("statusConfig");
                    out.writeStartObject(status, count(status.statusLevel(), status.statusStreamName()));
                    field(out, "statusLevel", status.statusLevel());
                    field(out, "statusStreamName", status.statusStreamName());
                    out.writeEndObject();
                }
            }
        }
        out.writeEndObject();
    }

    private static void common(CBORGenerator out, Long batchSize, Long interval, Long priority, Long start,
            Boolean disabled) throws IOException {
        field(out, "batchSize", batchSize);
        field(out, "batchIntervalMillis", interval);
        field(out, "priority", priority);
        field(out, "startSequenceNumber", start);
        field(out, "disabled", disabled);
    }

    static int count(Object... values) {
        int present = 0;
        for (Object value : values) {
            if (value != null) {
                present++;
            }
        }
        return present;
    }

    static void field(CBORGenerator out, String name, String value) throws IOException {
        if (value != null) {
            out.writeStringField(name, value);
        }
    }

    static void field(CBORGenerator out, String name, Long value) throws IOException {
        if (value != null) {
            out.writeFieldName(name);
            out.writeNumber(value.longValue());
        }
    }

    static void field(CBORGenerator out, String name, Boolean value) throws IOException {
        if (value != null) {
            out.writeBooleanField(name, value);
        }
    }
}
