package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

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
 *             partitions/1/segments/   partition 1 (and up) of a partitioned stream, with its own checkpoints/;
 *                                      partition 0 is the stream directory itself
 *         old_stream-77aa01bc9e2f.deleting/    being deleted; removed at the next open
 *     namespaces/                      namespaces other than the default (S2 basins, ReductStore buckets)
 *         s2.plant-a-5d1c0e9a7b21/     readable prefix + hash of the exact name
 *             namespace.properties     format=1, name=s2.plant-a
 *             streams/                 laid out as the store's own streams/ above
 * </pre>
 *
 * <p>Stream names may contain spaces, commas and dots, and differ only in case, so a directory name is a
 * lower-cased, sanitised prefix plus 12 hex digits of the SHA-256 of the exact name; the exact name lives in the
 * definition.
 *
 * <p><b>Definition file, format 2</b>: a {@link Properties} file (ISO 8859-1 with backslash-u escapes, keys
 * escaped as {@code Properties} does), written from the core model ({@link StreamDefinition},
 * {@link ExportConfig}, {@link ExportSettings}) with its field names. Enums are stored by their Java constant
 * names, sizes in bytes and durations in milliseconds, with the unit in the key. Keys are written in this order:
 *
 * <pre>
 * format=2
 * name=Line 1, sensors                 exact stream name
 * namespace=default                    reserved: written as "default"; read (absent: default) and not used yet
 * partitions=1                         1 to 256: the stream's logs (absent: 1)
 * persistence=FILE                     Persistence: FILE or MEMORY
 * strategyOnFull=REJECT_NEW_DATA       StrategyOnFull: REJECT_NEW_DATA or OVERWRITE_OLDEST_DATA
 * maxSizeBytes=10485760                maxSize
 * segmentSizeBytes=1048576             segmentSize
 * timeToLiveMillis=3600000             timeToLive; absent: no TTL
 * flushOnWrite=true                    true or false
 * export.0.kind=IOT_ANALYTICS          ExportKind; one group per export, export.0 up, in the definition's order
 * export.0.identifier=to-analytics     ExportSettings, every kind:
 * export.0.priority=2                    absent: none given (the runtime uses 10)
 * export.0.startSequenceNumber=0
 * export.0.disabled=false
 * export.0.batchSize=50                  absent: the kind's maximum
 * export.0.batchIntervalMillis=120000    absent: no interval
 * export.0.iotChannel=line1_channel    then the fields of the kind's ExportConfig record:
 * export.0.iotMsgIdPrefix=line1-         IOT_ANALYTICS: iotChannel, iotMsgIdPrefix (optional)
 * export.1.kind=S3_TASK_EXECUTOR         KINESIS: kinesisStreamName
 * export.1.identifier=uploads            HTTP: uri, exportFormat (optional; RAW_NOT_BATCHED or JSON_BATCHED)
 * ...                                    IOT_SITEWISE: none
 * export.1.sizeThresholdForMultipartUploadBytes=8388608     S3_TASK_EXECUTOR: this (optional) and statusConfig:
 * export.1.statusConfig=present                             present when there is a statusConfig, then its
 * export.1.statusConfig.statusLevel=INFO                    optional fields (StatusLevel ERROR..TRACE)
 * export.1.statusConfig.statusStreamName=scratch
 * </pre>
 *
 * Worked example: the lines {@code format=2}, {@code name=scratch}, {@code persistence=MEMORY},
 * {@code strategyOnFull=REJECT_NEW_DATA}, {@code maxSizeBytes=2097152}, {@code segmentSizeBytes=65536},
 * {@code flushOnWrite=false} read as {@code StreamDefinition.builder("scratch", REJECT_NEW_DATA)
 * .maxSize(2 MiB).segmentSize(64 KiB).persistence(MEMORY).build()} ({@code StreamDirectoriesTest} reads the same
 * lines).
 *
 * <p><b>Why these names.</b> Export settings are not a protocol-shaped map in the model but typed records
 * ({@link ExportSettings} plus one {@link ExportConfig} record per kind), so the keys are those records' component
 * names, with {@code Millis}/{@code Bytes} added where the component is a {@code Duration} or a {@code DataSize}
 * ({@code batchInterval} becomes {@code batchIntervalMillis}, {@code sizeThresholdForMultipartUpload} becomes
 * {@code sizeThresholdForMultipartUploadBytes}). Most of them are also the protocol's names: the model took them
 * from the protocol. What differs from format 1 is what the protocol encodes as integer codes or wire keys (kind,
 * strategy, persistence, export format, status level: constant names now) and the stream's sizes, whose keys are
 * the model's ({@code segmentSizeBytes}, not the protocol's {@code streamSegmentSize}). A constant renamed in the
 * model therefore needs a new format, or a reader that accepts the old name.
 *
 * <p><b>Reading.</b> Format 2 is read strictly: a required key that is missing, a value that does not parse and a
 * key nobody reads are each reported, all of them in one {@link IllegalArgumentException} that names the file, the
 * key and the value; the definition is then checked by the same rules as a client's ({@link StreamDefinition}'s
 * constructor). Format 1 (the first
 * release's: protocol names and integer codes, see {@link DefinitionFormat1}) is still read; the store then
 * rewrites the file as format 2 with {@link #writeDefinition} (atomically, see {@link AtomicFiles}) and logs once
 * per store how many it rewrote. If that write fails (a full disk) the stream opens anyway and the rewrite is tried
 * again at the next open. Any other format fails, naming the file, the format found and the formats supported
 * (the store then sets that stream's directory aside, as for any definition it cannot read).
 *
 * <p>Stateless; callers serialise writes of one stream's directory (the store's catalogue lock).
 */
final class StreamDirectories {

    static final String STREAMS = "streams";
    static final String DEFINITION_FILE = "stream.properties";
    static final String SEGMENTS = "segments";
    static final String DELETED_MARKER = "DELETED";
    static final String FORMAT = "2";
    static final String DEFAULT_NAMESPACE = "default";
    private static final List<String> FORMATS_READ = List.of(DefinitionFormat1.FORMAT, FORMAT);
    private static final int PREFIX_LENGTH = 40;

    /**
     * A definition as read from its file.
     *
     * @param format the file's format: {@link #FORMAT}, or an older one that {@link #writeDefinition} should replace
     */
    record Loaded(StreamDefinition definition, String format) {
        boolean isOutdated() {
            return !FORMAT.equals(format);
        }
    }

    private StreamDirectories() {
    }

    static final String PARTITIONS = "partitions";
    static final String NAMESPACES = "namespaces";
    static final String NAMESPACE_FILE = "namespace.properties";

    /** The directory of a namespace other than the default: {@code namespaces/<safe name>/}. */
    static Path namespaceDirectory(Path storeRoot, Namespace namespace) {
        return storeRoot.resolve(NAMESPACES).resolve(safeFileName(namespace.value()));
    }

    /**
     * Creates (or rewrites) a namespace's directory with its exact name and attributes in
     * {@code namespace.properties}, durably: {@code format=1}, {@code name=<exact name>}, and one
     * {@code attribute.<key>=<value>} per attribute.
     */
    static void writeNamespace(Path directory, Namespace namespace, Map<String, String> attributes)
            throws IOException {
        Files.createDirectories(directory.resolve(STREAMS));
        Properties p = new Properties();
        p.setProperty("format", "1");
        p.setProperty("name", namespace.value());
        attributes.forEach((key, value) -> p.setProperty(ATTRIBUTE + key, value));
        AtomicFiles.writeProperties(directory.resolve(NAMESPACE_FILE), p, "edgestream namespace", true);
        AtomicFiles.syncDirectory(directory.getParent());
    }

    /** What a namespace's directory records: its exact name and attributes. */
    record NamespaceFile(Namespace namespace, Map<String, String> attributes) {
    }

    /** The namespace whose directory this is. */
    static NamespaceFile readNamespace(Path directory) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(NAMESPACE_FILE))) {
            p.load(in);
        }
        if (!"1".equals(p.getProperty("format"))) {
            throw new IOException(directory.resolve(NAMESPACE_FILE) + " has format " + p.getProperty("format")
                    + "; this version reads format 1");
        }
        Map<String, String> attributes = new java.util.TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(ATTRIBUTE)) {
                attributes.put(key.substring(ATTRIBUTE.length()), p.getProperty(key));
            }
        }
        return new NamespaceFile(Namespace.of(p.getProperty("name")), Map.copyOf(attributes));
    }

    private static final String ATTRIBUTE = "attribute.";

    /** Where partition {@code i} of the stream in {@code streamDirectory} lives: 0 in it, others below it. */
    static Path partitionDirectory(Path streamDirectory, int partition) {
        return partition == 0 ? streamDirectory : streamDirectory.resolve(PARTITIONS).resolve(Integer.toString(partition));
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

    /** Replaces the definition file of {@code streamDirectory} with {@code definition} in format 2, durably. */
    static void writeDefinition(Path streamDirectory, StreamDefinition definition) throws IOException {
        AtomicFiles.writeProperties(streamDirectory.resolve(DEFINITION_FILE), toProperties(definition),
                "edgestream stream definition", true);
    }

    /**
     * Reads the definition file of {@code streamDirectory}, in the current format or an older one; the caller
     * rewrites an {@link Loaded#isOutdated() outdated} one with {@link #writeDefinition} (and copes if it cannot:
     * the old file stays readable).
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if the format is unknown, a value is malformed or the definition is invalid;
     *                                  the message names the file
     */
    static Loaded readDefinition(Path streamDirectory) throws IOException {
        Path file = streamDirectory.resolve(DEFINITION_FILE);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        String format = p.getProperty("format");
        if (FORMAT.equals(format)) {
            return new Loaded(fromProperties(p, file), format);
        }
        if (DefinitionFormat1.FORMAT.equals(format)) {
            try {
                return new Loaded(DefinitionFormat1.read(p), format);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " (format 1): " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException(file + " has definition format "
                + (format == null ? "(none: no \"format\" key)" : "\"" + format + "\"")
                + "; this version reads formats " + String.join(" and ", FORMATS_READ));
    }

    static Properties toProperties(StreamDefinition definition) {
        Properties p = new OrderedProperties();
        p.setProperty("format", FORMAT);
        p.setProperty("name", definition.name().value());
        p.setProperty("namespace", DEFAULT_NAMESPACE);
        p.setProperty("partitions", Integer.toString(definition.partitions()));
        p.setProperty("persistence", definition.persistence().name());
        p.setProperty("strategyOnFull", definition.strategyOnFull().name());
        p.setProperty("maxSizeBytes", Long.toString(definition.maxSize().bytes()));
        p.setProperty("segmentSizeBytes", Long.toString(definition.segmentSize().bytes()));
        definition.timeToLive().ifPresent(ttl -> p.setProperty("timeToLiveMillis", Long.toString(ttl.toMillis())));
        p.setProperty("flushOnWrite", Boolean.toString(definition.flushOnWrite()));
        definition.createdAt().ifPresent(at -> p.setProperty("createdAtMillis", Long.toString(at.toEpochMilli())));
        int tag = 0;
        for (var entry : definition.tags().entrySet()) {
            p.setProperty("tag." + tag + ".key", entry.getKey());
            p.setProperty("tag." + tag + ".value", entry.getValue());
            tag++;
        }
        List<ExportConfig> exports = definition.exports();
        for (int i = 0; i < exports.size(); i++) {
            writeExport(p, "export." + i + ".", exports.get(i));
        }
        return p;
    }

    private static void writeExport(Properties p, String prefix, ExportConfig config) {
        ExportSettings s = config.settings();
        p.setProperty(prefix + "kind", config.kind().name());
        p.setProperty(prefix + "identifier", s.identifier());
        s.priority().ifPresent(v -> p.setProperty(prefix + "priority", v.toString()));
        p.setProperty(prefix + "startSequenceNumber", Long.toString(s.startSequenceNumber()));
        p.setProperty(prefix + "disabled", Boolean.toString(s.disabled()));
        s.batchSize().ifPresent(v -> p.setProperty(prefix + "batchSize", v.toString()));
        s.batchInterval().ifPresent(v -> p.setProperty(prefix + "batchIntervalMillis", Long.toString(v.toMillis())));
        if (config instanceof ExportConfig.Kinesis k) {
            p.setProperty(prefix + "kinesisStreamName", k.kinesisStreamName());
        } else if (config instanceof ExportConfig.IotAnalytics a) {
            p.setProperty(prefix + "iotChannel", a.iotChannel());
            a.iotMsgIdPrefix().ifPresent(v -> p.setProperty(prefix + "iotMsgIdPrefix", v));
        } else if (config instanceof ExportConfig.Http h) {
            p.setProperty(prefix + "uri", h.uri().toString());
            h.exportFormat().ifPresent(v -> p.setProperty(prefix + "exportFormat", v.name()));
        } else if (config instanceof ExportConfig.S3TaskExecutor t) {
            t.sizeThresholdForMultipartUpload().ifPresent(v ->
                    p.setProperty(prefix + "sizeThresholdForMultipartUploadBytes", Long.toString(v.bytes())));
            t.statusConfig().ifPresent(status -> {
                p.setProperty(prefix + "statusConfig", STATUS_CONFIG_PRESENT);
                status.statusLevel().ifPresent(v -> p.setProperty(prefix + "statusConfig.statusLevel", v.name()));
                status.statusStreamName().ifPresent(v ->
                        p.setProperty(prefix + "statusConfig.statusStreamName", v.value()));
            });
        }
        // IotSiteWise: nothing beyond the settings
    }

    private static final String STATUS_CONFIG_PRESENT = "present";

    /** Format 2 to a definition: every problem collected, then one exception naming the file. */
    static StreamDefinition fromProperties(Properties p, Path file) {
        DefinitionKeys keys = new DefinitionKeys(p);
        keys.required("format", v -> v);
        StreamName name = keys.required("name", DefinitionKeys::streamName);
        keys.optional("namespace", DefinitionKeys::nonEmpty);
        int partitions = keys.optional("partitions", DefinitionKeys::integer).orElse(1);
        Persistence persistence = keys.required("persistence", v -> DefinitionKeys.constant(Persistence.class, v));
        StrategyOnFull strategy = keys.required("strategyOnFull",
                v -> DefinitionKeys.constant(StrategyOnFull.class, v));
        DataSize maxSize = keys.required("maxSizeBytes", DefinitionKeys::bytes);
        DataSize segmentSize = keys.required("segmentSizeBytes", DefinitionKeys::bytes);
        Optional<Duration> ttl = keys.optional("timeToLiveMillis", DefinitionKeys::millis);
        Boolean flushOnWrite = keys.required("flushOnWrite", DefinitionKeys::bool);
        Optional<java.time.Instant> createdAt = keys.optional("createdAtMillis", DefinitionKeys::number)
                .map(java.time.Instant::ofEpochMilli);
        java.util.TreeMap<String, String> tags = new java.util.TreeMap<>();
        for (int i = 0; p.getProperty("tag." + i + ".key") != null; i++) {
            String key = keys.required("tag." + i + ".key", v -> v);
            String value = keys.required("tag." + i + ".value", v -> v);
            if (key != null && value != null) {
                tags.put(key, value);
            }
        }
        List<ExportConfig> exports = new ArrayList<>();
        for (int i = 0; p.getProperty("export." + i + ".kind") != null; i++) {
            readExport(keys, "export." + i + ".").ifPresent(exports::add);
        }
        keys.unread().forEach(key -> keys.problem("unknown key " + key));
        if (!keys.problems().isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", keys.problems()));
        }
        try {
            return new StreamDefinition(name, maxSize, segmentSize, ttl, strategy, persistence,
                    flushOnWrite, exports, partitions, tags, createdAt);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(file + ": " + invalid.getMessage(), invalid);
        }
    }

    /** One export group; empty if a value was malformed (the problem is recorded). */
    private static Optional<ExportConfig> readExport(DefinitionKeys keys, String prefix) {
        ExportKind kind = keys.required(prefix + "kind", v -> DefinitionKeys.constant(ExportKind.class, v));
        String identifier = keys.required(prefix + "identifier", v -> v);
        Optional<Integer> priority = keys.optional(prefix + "priority", DefinitionKeys::integer);
        Long start = keys.required(prefix + "startSequenceNumber", DefinitionKeys::number);
        Boolean disabled = keys.required(prefix + "disabled", DefinitionKeys::bool);
        Optional<Integer> batchSize = keys.optional(prefix + "batchSize", DefinitionKeys::integer);
        Optional<Duration> interval = keys.optional(prefix + "batchIntervalMillis", DefinitionKeys::millis);
        if (kind == null || identifier == null || start == null || disabled == null) {
            return Optional.empty();
        }
        ExportSettings settings = new ExportSettings(identifier, priority, start, disabled, batchSize, interval);
        ExportConfig config = switch (kind) {
            case KINESIS -> {
                String stream = keys.required(prefix + "kinesisStreamName", v -> v);
                yield stream == null ? null : new ExportConfig.Kinesis(settings, stream);
            }
            case IOT_ANALYTICS -> {
                String channel = keys.required(prefix + "iotChannel", v -> v);
                Optional<String> idPrefix = keys.optional(prefix + "iotMsgIdPrefix", v -> v);
                yield channel == null ? null : new ExportConfig.IotAnalytics(settings, channel, idPrefix);
            }
            case HTTP -> {
                URI uri = keys.required(prefix + "uri", DefinitionKeys::uri);
                Optional<ExportFormat> format = keys.optional(prefix + "exportFormat",
                        v -> DefinitionKeys.constant(ExportFormat.class, v));
                yield uri == null ? null : new ExportConfig.Http(settings, uri, format);
            }
            case IOT_SITEWISE -> new ExportConfig.IotSiteWise(settings);
            case S3_TASK_EXECUTOR -> new ExportConfig.S3TaskExecutor(settings,
                    keys.optional(prefix + "sizeThresholdForMultipartUploadBytes", DefinitionKeys::bytes),
                    readStatusConfig(keys, prefix));
        };
        return Optional.ofNullable(config);
    }

    private static Optional<ExportConfig.StatusConfig> readStatusConfig(DefinitionKeys keys, String prefix) {
        Optional<String> marker = keys.optional(prefix + "statusConfig", v -> {
            if (!v.equals(STATUS_CONFIG_PRESENT)) {
                throw new IllegalArgumentException("expected \"" + STATUS_CONFIG_PRESENT + "\"");
            }
            return v;
        });
        Optional<StatusLevel> level = keys.optional(prefix + "statusConfig.statusLevel",
                v -> DefinitionKeys.constant(StatusLevel.class, v));
        Optional<StreamName> stream = keys.optional(prefix + "statusConfig.statusStreamName",
                DefinitionKeys::streamName);
        if (marker.isEmpty() && (level.isPresent() || stream.isPresent())) {
            keys.problem(prefix + "statusConfig is missing, but " + prefix + "statusConfig.* keys are there");
        }
        return marker.map(present -> new ExportConfig.StatusConfig(level, stream));
    }

    /** Properties that {@link Properties#store} writes in insertion order (it iterates {@link #entrySet()}). */
    private static final class OrderedProperties extends Properties {
        private static final long serialVersionUID = 1L;
        private final LinkedHashMap<Object, Object> order = new LinkedHashMap<>();

        @Override
        public synchronized Object put(Object key, Object value) {
            order.put(key, value);
            return super.put(key, value);
        }

        @Override
        public Set<Map.Entry<Object, Object>> entrySet() {
            return Collections.synchronizedSet(new LinkedHashSet<>(order.entrySet()));
        }
    }
}
