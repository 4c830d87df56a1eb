package io.github.edgestream.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.core.export.ExportEvent;
import io.github.edgestream.core.export.ExportEvent.Type;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusStreamWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK = "{\"inputUrl\":\"file:/data/a.bin\",\"bucket\":\"plant-files\","
            + "\"key\":\"!{timestamp:yyyy}/a.bin\",\"userMetadata\":{\"line\":\"3\"},\"unknown\":1}";

    @TempDir
    Path root;
    private final ManualClock clock = ManualClock.startingAt2026();
    private StreamStore store;
    private StatusStreamWriter writer;

    @BeforeEach
    void open() {
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, StoreListener.NONE));
        store.create(StreamDefinition.builder("status", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .persistence(Persistence.MEMORY).build());
        writer = new StatusStreamWriter(store, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ExportConfig executor(Optional<StatusLevel> level, Optional<String> statusStream) {
        return new ExportConfig.S3TaskExecutor(ExportSettings.of("to-s3"), Optional.empty(),
                Optional.of(new ExportConfig.StatusConfig(level, statusStream.map(StreamName::of))));
    }

    private ExportEvent event(Type type, ExportConfig export, String detail, Map<Long, ExportResult.Note> notes) {
        var task = new Message(7, clock.millis(), TASK.getBytes(StandardCharsets.UTF_8));
        return new ExportEvent(type, StreamName.of("uploads"), export, List.of(task), detail, notes, clock.instant());
    }

    private List<JsonNode> statuses() throws Exception {
        var stream = store.get(StreamName.of("status"));
        if (stream.info().newestSequenceNumber() < 0) {
            return List.of();
        }
        var messages = stream.read(ReadRequest.upTo(0, 100)).toCompletableFuture().get();
        var parsed = new ArrayList<JsonNode>();
        for (var message : messages) {
            parsed.add(JSON.readTree(message.payload()));
        }
        return parsed;
    }

    private static List<String> keys(JsonNode node) {
        var keys = new ArrayList<String>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            keys.add(names.next());
        }
        return keys;
    }

    @Test
    void eachEventOfATaskBecomesOneStatusMessageWithIntegerEnumsInTheSdksKeyOrder() throws Exception {
        var export = executor(Optional.empty(), Optional.of("status"));
        var note = new ExportResult.Note("uploaded 1024 bytes from file:/data/a.bin to s3://plant-files/2026/a.bin",
                Map.of("bucket", "plant-files", "key", "2026/a.bin"));
        writer.onEvent(event(Type.STARTED, export, "", Map.of()));
        writer.onEvent(event(Type.DELIVERED, export, "", Map.of(7L, note)));
        writer.onEvent(event(Type.WARNING, export, "could not abort upload u-1", Map.of()));
        writer.onEvent(event(Type.FAILED, export, "file:/data/a.bin does not exist", Map.of()));
        writer.onEvent(event(Type.CANCELED, export, "the stream was deleted", Map.of()));

        var statuses = statuses();
        assertThat(statuses).extracting(s -> s.get("status").asInt()).containsExactly(2, 0, 3, 1, 4);
        assertThat(statuses).extracting(s -> s.get("statusLevel").asInt()).containsExactly(2, 2, 1, 0, 2);
        var started = statuses.get(0);
        assertThat(keys(started)).containsExactly("eventType", "statusLevel", "status", "statusContext", "message",
                "timestampEpochMs");
        assertThat(started.get("eventType").asInt()).isZero();
        assertThat(started.get("timestampEpochMs").asLong()).isEqualTo(clock.millis());
        assertThat(started.get("message").asText()).isEqualTo(
                "uploading file:/data/a.bin to s3://plant-files/!{timestamp:yyyy}/a.bin");
        var context = started.get("statusContext");
        assertThat(keys(context)).containsExactly("s3ExportTaskDefinition", "exportIdentifier", "streamName",
                "sequenceNumber");
        assertThat(context.get("exportIdentifier").asText()).isEqualTo("to-s3");
        assertThat(context.get("streamName").asText()).isEqualTo("uploads");
        assertThat(context.get("sequenceNumber").asLong()).isEqualTo(7);
        assertThat(keys(context.get("s3ExportTaskDefinition")))
                .containsExactly("inputUrl", "bucket", "key", "userMetadata");
        assertThat(context.get("s3ExportTaskDefinition").get("userMetadata").get("line").asText()).isEqualTo("3");

        // a success names the final key, placeholders resolved
        var success = statuses.get(1);
        assertThat(success.get("statusContext").get("s3ExportTaskDefinition").get("key").asText())
                .isEqualTo("2026/a.bin");
        assertThat(success.get("message").asText()).isEqualTo(note.message());
        assertThat(statuses.get(3).get("message").asText()).isEqualTo("file:/data/a.bin does not exist");
    }

    @Test
    void theStatusLevelFiltersWhatIsWritten() throws Exception {
        var export = executor(Optional.of(StatusLevel.ERROR), Optional.of("status"));
        for (Type type : Type.values()) {
            writer.onEvent(event(type, export, "why", Map.of()));   // RETRY is never reported
        }

        assertThat(statuses()).extracting(s -> s.get("status").asInt()).containsExactly(1);
    }

    @Test
    void exportsWithoutAStatusStreamAndOtherKindsWriteNothing() throws Exception {
        writer.onEvent(event(Type.STARTED, executor(Optional.empty(), Optional.empty()), "", Map.of()));
        writer.onEvent(event(Type.STARTED, new ExportConfig.Kinesis(ExportSettings.of("k"), "s"), "", Map.of()));

        assertThat(statuses()).isEmpty();
    }

    // the status stream is only a report: losing it must never stop or break exporting
    @Test
    void aMissingOrFullStatusStreamIsLoggedNeverThrown() {
        store.create(StreamDefinition.builder("tiny", StrategyOnFull.REJECT_NEW_DATA).persistence(Persistence.MEMORY)
                .maxSize(DataSize.ofBytes(1024)).segmentSize(DataSize.ofBytes(1024)).build());
        var full = executor(Optional.empty(), Optional.of("tiny"));
        var missing = executor(Optional.empty(), Optional.of("gone"));

        assertThatCode(() -> {
            for (int i = 0; i < 10; i++) {
                writer.onEvent(event(Type.STARTED, full, "", Map.of()));
                writer.onEvent(event(Type.STARTED, missing, "", Map.of()));
            }
        }).doesNotThrowAnyException();
        assertThat(store.get(StreamName.of("tiny")).info().newestSequenceNumber()).isBetween(0L, 9L);
    }

    @Test
    void aTaskThatIsNotJsonIsReportedWithoutADefinition() throws Exception {
        var task = new Message(3, clock.millis(), "not json".getBytes(StandardCharsets.UTF_8));
        writer.onEvent(new ExportEvent(Type.FAILED, StreamName.of("uploads"),
                executor(Optional.empty(), Optional.of("status")), List.of(task), "not a JSON object", Map.of(),
                clock.instant()));

        var context = statuses().get(0).get("statusContext");
        assertThat(keys(context)).containsExactly("exportIdentifier", "streamName", "sequenceNumber");
    }
}
