package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.ExportDraft;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamDefinitionDraft;
import io.github.edgestream.core.model.StreamDefinitions;
import io.github.edgestream.core.model.StreamName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The on-disk layout of a store and the format of stream definitions.
 *
 * <pre>
 * &lt;root&gt;/
 *     store.lock                       held (fcntl lock) while a process has the store open
 *     streams/
 *         telemetry-3f9a2c11d0e4/      one directory per stream: readable prefix + hash of the exact name
 *             stream.properties        the definition (below)
 *             segments/                file streams only: see ChronicleSegmentStorage
 *             checkpoints/             file streams only: named records such as export cursors, see CheckpointFiles
 *         old_stream-77aa01bc9e2f.deleting/    being deleted; removed at the next open
 * </pre>
 *
 * <p>Stream names may contain spaces, commas and dots, and differ only in case, so a directory name is a
 * lower-cased, sanitised prefix plus 12 hex digits of the SHA-256 of the exact name; the exact name lives in the
 * definition. Definition file, a {@link Properties} file using the protocol's field names and integer codes:
 *
 * <pre>
 * format=1
 * name=Sensor readings, line 1
 * maxSize=268435456
 * streamSegmentSize=16777216
 * timeToLiveMillis=3600000        (absent: no TTL)
 * strategyOnFull=0
 * persistence=0
 * flushOnWrite=false
 * export.0.kind=kinesis           one group per export, in definition order, with the export's protocol fields
 * export.0.identifier=to-cloud
 * export.0.kinesisStreamName=plant-telemetry
 * export.0.batchSize=200
 * </pre>
 *
 * Reading it goes through {@link StreamDefinitions#toDefinition}, the same validation as a client's request.
 */
final class StreamDirectories {

    static final String STREAMS = "streams";
    static final String DEFINITION_FILE = "stream.properties";
    static final String SEGMENTS = "segments";
    static final String DELETED_MARKER = "DELETED";
    private static final String FORMAT = "1";
    private static final int PREFIX_LENGTH = 40;

    private StreamDirectories() {
    }

    static Path directoryFor(Path streamsRoot, StreamName name) {
        return streamsRoot.resolve(safeFileName(name.value()));
    }

    /** A file name for any text: lower-cased, sanitised prefix + 12 hex digits of the SHA-256 of the exact text. */
    static String safeFileName(String text) {
        StringBuilder prefix = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (prefix.length() == PREFIX_LENGTH) {
                break;
            }
            boolean safe = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            prefix.append(safe ? c : '_');
        }
        return prefix + "-" + hash(text);
    }

    private static String hash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static void writeDefinition(Path streamDirectory, StreamDefinition definition) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("name", definition.name().value());
        p.setProperty("maxSize", Long.toString(definition.maxSize().bytes()));
        p.setProperty("streamSegmentSize", Long.toString(definition.segmentSize().bytes()));
        definition.timeToLive().ifPresent(ttl -> p.setProperty("timeToLiveMillis", Long.toString(ttl.toMillis())));
        p.setProperty("strategyOnFull", Integer.toString(definition.strategyOnFull().code()));
        p.setProperty("persistence", Integer.toString(definition.persistence().code()));
        p.setProperty("flushOnWrite", Boolean.toString(definition.flushOnWrite()));
        List<ExportDraft> exports = StreamDefinitionDraft.of(definition).exports();
        if (exports != null) {
            for (int i = 0; i < exports.size(); i++) {
                writeExport(p, "export." + i + ".", exports.get(i));
            }
        }
        AtomicFiles.writeProperties(streamDirectory.resolve(DEFINITION_FILE), p, "edgestream stream definition", true);
    }

    /**
     * @throws IOException                     if the file cannot be read
     * @throws IllegalArgumentException        if it is malformed or describes an invalid definition
     */
    static StreamDefinition readDefinition(Path streamDirectory) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(streamDirectory.resolve(DEFINITION_FILE))) {
            p.load(in);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("unknown definition format " + p.getProperty("format"));
        }
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

    private static void writeExport(Properties p, String prefix, ExportDraft d) {
        put(p, prefix + "kind", d.kind().wireKey());
        put(p, prefix + "identifier", d.identifier());
        put(p, prefix + "batchSize", d.batchSize());
        put(p, prefix + "batchIntervalMillis", d.batchIntervalMillis());
        put(p, prefix + "priority", d.priority());
        put(p, prefix + "startSequenceNumber", d.startSequenceNumber());
        put(p, prefix + "disabled", d.disabled());
        put(p, prefix + "kinesisStreamName", d.kinesisStreamName());
        put(p, prefix + "iotChannel", d.iotChannel());
        put(p, prefix + "iotMsgIdPrefix", d.iotMsgIdPrefix());
        put(p, prefix + "uri", d.uri());
        put(p, prefix + "exportFormat", d.exportFormat());
        put(p, prefix + "sizeThresholdForMultipartUploadBytes", d.sizeThresholdForMultipartUploadBytes());
        if (d.statusConfig() != null) {
            put(p, prefix + "statusConfig", "present");
            put(p, prefix + "statusConfig.statusLevel", d.statusConfig().statusLevel());
            put(p, prefix + "statusConfig.statusStreamName", d.statusConfig().statusStreamName());
        }
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

    private static void put(Properties p, String key, Object value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }

    private static Boolean parseBoolean(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null ? null : Boolean.parseBoolean(value.trim());
    }

    private static Long parseLong(Properties p, String key) {
        String value = p.getProperty(key);
        return value == null ? null : Long.valueOf(value.trim());
    }

}
