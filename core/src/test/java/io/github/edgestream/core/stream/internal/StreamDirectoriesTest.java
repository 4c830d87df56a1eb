package io.github.edgestream.core.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.fixture.StoreFixtures;
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
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.time.ManualClock;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Definition files: format 2 written from the model and read back strictly; format 1 still read. */
class StreamDirectoriesTest {

    @TempDir
    Path dir;

    /** The worked example of StreamDirectories' Javadoc, plus the two reserved keys. */
    private static final String SCRATCH = String.join("\n",
            "format=2",
            "name=scratch",
            "namespace=default",
            "partitions=1",
            "persistence=MEMORY",
            "strategyOnFull=REJECT_NEW_DATA",
            "maxSizeBytes=2097152",
            "segmentSizeBytes=65536",
            "flushOnWrite=false");

    private static final StreamDefinition SCRATCH_DEFINITION =
            StreamDefinition.builder("scratch", StrategyOnFull.REJECT_NEW_DATA)
                    .maxSize(DataSize.ofMebibytes(2)).segmentSize(DataSize.ofKibibytes(64))
                    .persistence(Persistence.MEMORY).build();

    /** One export of every kind, every optional field given. */
    private static List<ExportConfig> everyKindWithEveryField() {
        return List.of(
                new ExportConfig.Http(new ExportSettings("http", Optional.of(1), 5, true, Optional.of(500),
                        Optional.of(Duration.ofMillis(60_001))), URI.create("https://example.com:8443/in?x=1,2"),
                        Optional.of(ExportFormat.RAW_NOT_BATCHED)),
                new ExportConfig.IotAnalytics(new ExportSettings("analytics", Optional.of(2), 0, false,
                        Optional.of(100), Optional.of(Duration.ofHours(1))), "channel_1", Optional.of("msg-")),
                new ExportConfig.Kinesis(new ExportSettings("kinesis", Optional.of(10), Long.MAX_VALUE, false,
                        Optional.of(1), Optional.of(Duration.ofMinutes(5))), "stream=with:odd#chars, é and ✓"),
                new ExportConfig.IotSiteWise(new ExportSettings("sitewise", Optional.of(4), 7, false,
                        Optional.of(10), Optional.of(Duration.ofMinutes(1)))),
                new ExportConfig.S3TaskExecutor(new ExportSettings("s3", Optional.of(3), 0, false,
                        Optional.empty(), Optional.empty()), Optional.of(DataSize.ofMebibytes(5)),
                        Optional.of(new ExportConfig.StatusConfig(Optional.of(StatusLevel.TRACE),
                                Optional.of(StreamName.of("status, line 1"))))));
    }

    /** One export of every kind, every optional field absent. */
    private static List<ExportConfig> everyKindWithNoOptionalField() {
        return List.of(
                new ExportConfig.Http(ExportSettings.of("http"), URI.create("http://h/"), Optional.empty()),
                new ExportConfig.IotAnalytics(ExportSettings.of("analytics"), "c", Optional.empty()),
                new ExportConfig.Kinesis(ExportSettings.of("kinesis"), "k"),
                new ExportConfig.IotSiteWise(ExportSettings.of("sitewise")),
                new ExportConfig.S3TaskExecutor(ExportSettings.of("s3"), Optional.empty(), Optional.empty()),
                // a status config whose fields are all absent is not the same as none
                new ExportConfig.S3TaskExecutor(ExportSettings.of("s3-b"), Optional.empty(),
                        Optional.of(new ExportConfig.StatusConfig(Optional.empty(), Optional.empty()))));
    }

    @ParameterizedTest
    @EnumSource(Persistence.class)
    void everyFieldOfEveryExportKindRoundTrips(Persistence persistence) throws IOException {
        StreamDefinition full = StreamDefinition.builder("Line 1, sensors.v2", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .maxSize(DataSize.ofBytes(Long.MAX_VALUE)).segmentSize(DataSize.ofBytes(Integer.MAX_VALUE))
                .timeToLive(StreamDefinition.MAX_TIME_TO_LIVE).persistence(persistence)
                .flushOnWrite(persistence == Persistence.FILE).exports(everyKindWithEveryField())
                .tags(Map.of("owner", "line 1 = press", "k=\\:#!", "", "ünïcode", "tab\u00a0ok"))
                .createdAt(java.time.Instant.ofEpochMilli(1_796_429_597_799L)).build();
        StreamDefinition bare = StreamDefinition.builder("bare", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(StreamDefinition.MIN_MAX_SIZE).segmentSize(StreamDefinition.MIN_SEGMENT_SIZE)
                .timeToLive(StreamDefinition.MIN_TIME_TO_LIVE).persistence(persistence)
                .exports(everyKindWithNoOptionalField()).build();

        for (StreamDefinition definition : List.of(full, bare)) {
            StreamDirectories.writeDefinition(dir, definition);
            StreamDirectories.Loaded loaded = StreamDirectories.readDefinition(dir);

            assertThat(loaded.definition()).isEqualTo(definition);
            assertThat(loaded.isOutdated()).isFalse();
        }
    }

    @Test
    void theKindsAreWrittenByTheirModelNames() throws IOException {
        StreamDirectories.writeDefinition(dir, StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA)
                .exports(everyKindWithEveryField()).build());

        Map<String, String> file = read(dir);
        assertThat(Stream.of(0, 1, 2, 3, 4).map(i -> file.get("export." + i + ".kind")))
                .containsExactly("HTTP", "IOT_ANALYTICS", "KINESIS", "IOT_SITEWISE", "S3_TASK_EXECUTOR");
        assertThat(file).containsEntry("export.0.exportFormat", "RAW_NOT_BATCHED")
                .containsEntry("export.0.batchIntervalMillis", "60001")
                .containsEntry("export.4.statusConfig", "present")
                .containsEntry("export.4.statusConfig.statusLevel", "TRACE")
                .containsEntry("export.4.sizeThresholdForMultipartUploadBytes", "5242880")
                .containsEntry("strategyOnFull", "REJECT_NEW_DATA").containsEntry("persistence", "FILE");
    }

    @Test
    void theWorkedExampleIsWhatIsWrittenInThatOrder() throws IOException {
        StreamDirectories.writeDefinition(dir, SCRATCH_DEFINITION);

        List<String> lines = Files.readAllLines(dir.resolve(StreamDirectories.DEFINITION_FILE)).stream()
                .filter(line -> !line.startsWith("#")).toList();
        assertThat(lines).containsExactlyElementsOf(Arrays.asList(SCRATCH.split("\n")));
        write("format=2\nname=scratch\npersistence=MEMORY\nstrategyOnFull=REJECT_NEW_DATA\nmaxSizeBytes=2097152\n"
                + "segmentSizeBytes=65536\nflushOnWrite=false\n"); // namespace and partitions have defaults
        assertThat(StreamDirectories.readDefinition(dir).definition()).isEqualTo(SCRATCH_DEFINITION);
    }

    @Test
    void aFormat1FileIsReadAsTheReleaseWroteIt() throws IOException {
        StoreFixtures.unpack(StoreFixtures.RELEASE_0, StoreFixtures.CLEAN, dir);
        Path sensors = dir.resolve("streams").resolve(StreamDirectories.safeFileName("Line 1, sensors"));

        StreamDirectories.Loaded loaded = StreamDirectories.readDefinition(sensors);

        assertThat(loaded.isOutdated()).isTrue();
        assertThat(loaded.format()).isEqualTo("1");
        assertThat(loaded.definition().exports()).extracting(ExportConfig::kind)
                .containsExactly(ExportKind.IOT_ANALYTICS, ExportKind.IOT_SITEWISE, ExportKind.S3_TASK_EXECUTOR);
        assertThat(read(sensors)).containsEntry("format", "1"); // reading alone changes nothing
    }

    @Test
    void openingAReleaseStoreRewritesEveryDefinitionAsFormat2Once() throws IOException {
        StoreFixtures.unpack(StoreFixtures.RELEASE_0, StoreFixtures.CLEAN, dir);
        Map<Path, StreamDefinition> before = new TreeMap<>();
        for (Path stream : streamDirectories()) {
            before.put(stream, StreamDirectories.readDefinition(stream).definition());
        }
        assertThat(before).hasSize(3);

        assertThat(openAndClose(dir)).as("rewritten, and logged in one line")
                .containsExactlyInAnyOrder(StreamName.of("telemetry"), StreamName.of("scratch"),
                        StreamName.of("Line 1, sensors"));
        for (Path stream : streamDirectories()) {
            StreamDirectories.Loaded loaded = StreamDirectories.readDefinition(stream);
            assertThat(loaded.format()).isEqualTo("2");
            assertThat(loaded.definition()).isEqualTo(before.get(stream));
            assertThat(read(stream)).containsEntry("namespace", "default").containsEntry("partitions", "1");
            assertThat(Files.exists(stream.resolve(StreamDirectories.DEFINITION_FILE + ".tmp"))).isFalse();
        }
        assertThat(openAndClose(dir)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "format=3     | \"3\"",
        "format=2.0   | \"2.0\"",
        "name=x       | (none: no \"format\" key)",
    })
    void anUnknownFormatFailsNamingTheFileTheFormatAndTheFormatsSupported(String line, String found)
            throws IOException {
        write(line + "\nname=x\n");

        assertThatThrownBy(() -> StreamDirectories.readDefinition(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("stream.properties") + " has definition format " + found
                        + "; this version reads formats 1 and 2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "maxSizeBytes         | 12x              | expected a number of bytes, 0 or more",
        "maxSizeBytes         | -1               | expected a number of bytes, 0 or more",
        "segmentSizeBytes     | 16MiB            | expected a number of bytes, 0 or more",
        "timeToLiveMillis     | 1h               | expected a number of milliseconds, 0 or more",
        "strategyOnFull       | 1                | expected one of REJECT_NEW_DATA, OVERWRITE_OLDEST_DATA",
        "strategyOnFull       | RejectNewData    | expected one of REJECT_NEW_DATA, OVERWRITE_OLDEST_DATA",
        "persistence          | file             | expected one of FILE, MEMORY",
        "flushOnWrite         | yes              | expected true or false",
        "partitions           | two              | expected a whole number",
        "namespace            | ''               | expected a non-empty name",
        "export.0.kind        | kinesis          | expected one of KINESIS, IOT_ANALYTICS, HTTP, IOT_SITEWISE, S3_TASK_EXECUTOR",
        "export.0.priority    | high             | expected a whole number",
        "export.0.batchSize   | 4294967296       | expected a whole number",
        "export.0.startSequenceNumber | 0x10     | expected a whole number",
        "export.0.disabled    | 1                | expected true or false",
        "export.0.exportFormat | 1               | expected one of RAW_NOT_BATCHED, JSON_BATCHED",
        "export.0.uri         | http://a b/      | expected a URI",
    })
    void aMalformedValueIsReportedWithItsKeyAndValue(String key, String value, String expected) throws IOException {
        Map<String, String> valid = validWithHttpExport();
        valid.put(key, value);
        writeMap(valid);

        assertThatThrownBy(() -> StreamDirectories.readDefinition(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(dir.resolve("stream.properties") + ": ")
                .hasMessageContaining(key + " is \"" + value + "\"; " + expected);
    }

    @Test
    void aPartitionedStreamRoundTripsAndOneWithExportsIsRefused() throws IOException {
        Map<String, String> file = validWithHttpExport();
        file.put("partitions", "4");
        writeMap(file);

        assertThatThrownBy(() -> StreamDirectories.readDefinition(dir))
                .hasMessageContaining("partitions is 4 but must be 1 while the stream has exports (it has 1): exports of"
                        + " partitioned streams are not supported");

        StreamDefinition partitioned = StreamDefinition.builder("shards", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .partitions(4).build();
        StreamDirectories.writeDefinition(dir, partitioned);
        assertThat(read(dir)).containsEntry("partitions", "4");
        assertThat(StreamDirectories.readDefinition(dir).definition()).isEqualTo(partitioned);
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Map<String, String> file = validWithHttpExport();
        file.remove("strategyOnFull");
        file.put("maxSizeBytes", "lots");
        file.put("export.0.priority", "first");
        file.remove("export.0.uri");
        file.put("ttl", "3600000");
        file.put("export.2.kind", "HTTP"); // a gap: export.1 is missing, so export.2 is never read
        writeMap(file);

        assertThatThrownBy(() -> StreamDirectories.readDefinition(dir)).hasMessage(dir.resolve("stream.properties")
                + ": strategyOnFull is missing; maxSizeBytes is \"lots\"; expected a number of bytes, 0 or more;"
                + " export.0.priority is \"first\"; expected a whole number from -2147483648 to 2147483647;"
                + " export.0.uri is missing; unknown key export.2.kind; unknown key ttl");
    }

    @Test
    void aWellFormedButInvalidDefinitionIsRefusedByTheModelsRules() throws IOException {
        Map<String, String> file = validWithHttpExport();
        file.put("segmentSizeBytes", "10");
        file.put("export.0.uri", "ftp://host/");
        writeMap(file);

        assertThatThrownBy(() -> StreamDirectories.readDefinition(dir))
                .hasMessageStartingWith(dir.resolve("stream.properties") + ": invalid stream definition")
                .hasMessageContaining("segmentSize is 10 but must be between 1024")
                .hasMessageContaining("exports[0].uri is \"ftp://host/\"");
    }

    @Test
    void aMalformedFormat1ValueNamesTheFileKeyAndValue() throws IOException {
        write("format=1\nname=old\nstrategyOnFull=0\nmaxSize=big\n");

        assertThatThrownBy(() -> StreamDirectories.readDefinition(dir))
                .hasMessage(dir.resolve("stream.properties") + " (format 1): maxSize is \"big\"; expected a whole"
                        + " number");
    }

    private static Map<String, String> validWithHttpExport() {
        Map<String, String> file = new TreeMap<>();
        for (String line : SCRATCH.split("\n")) {
            String[] pair = line.split("=", 2);
            file.put(pair[0], pair[1]);
        }
        file.put("export.0.kind", "HTTP");
        file.put("export.0.identifier", "h");
        file.put("export.0.startSequenceNumber", "0");
        file.put("export.0.disabled", "false");
        file.put("export.0.uri", "http://h/");
        return file;
    }

    private void writeMap(Map<String, String> values) throws IOException {
        java.util.Properties p = new java.util.Properties();
        p.putAll(values);
        try (var out = Files.newOutputStream(dir.resolve(StreamDirectories.DEFINITION_FILE))) {
            p.store(out, null);
        }
    }

    private void write(String text) throws IOException {
        Files.writeString(dir.resolve(StreamDirectories.DEFINITION_FILE), text, StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> read(Path streamDirectory) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(streamDirectory.resolve(StreamDirectories.DEFINITION_FILE))) {
            p.load(in);
        }
        return p.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, p::getProperty));
    }

    private List<Path> streamDirectories() throws IOException {
        try (Stream<Path> list = Files.list(dir.resolve(StreamDirectories.STREAMS))) {
            return new ArrayList<>(list.sorted().toList());
        }
    }

    /** Opens and closes a store; returns the streams whose definitions the open rewrote. */
    private static List<StreamName> openAndClose(Path root) {
        ManualClock clock = ManualClock.startingAt2026();
        SegmentedStreamStore store = SegmentedStreamStore.open(
                StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, StoreListener.NONE));
        try {
            assertThat(store.list()).hasSize(3);
            return store.upgradedDefinitions();
        } finally {
            store.close();
        }
    }
}
