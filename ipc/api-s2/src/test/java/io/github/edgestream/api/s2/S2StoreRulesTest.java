package io.github.edgestream.api.s2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S2 rules this API applies on top of the store, against a real store on a manual clock: timestamping modes
 * and the arrival cap, command records, S2's read start and 416 rules, and delete_on_empty.
 */
class S2StoreRulesTest {

    @TempDir
    Path root;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final ExecutorService blocking = Executors.newSingleThreadExecutor();
    private StreamStore store;
    private Basins basins;

    @BeforeEach
    void open() {
        store = StreamStore.open(StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO),
                new StoreServices(clock, clock, Runnable::run, StoreListener.NONE));
        StreamService service = new StreamService(store, ExportStatusSource.NOT_STARTED, blocking, clock);
        basins = new Basins(service, S2Settings.from(Map.of("flushOnWrite", "false")), clock);
        assertThat(basins.create("rules-basin", BasinConfig.DEFAULT).toCompletableFuture().join()).isTrue();
    }

    @AfterEach
    void close() {
        store.close();
        blocking.shutdownNow();
    }

    private MessageStream stream(String name, String configJson) throws Exception {
        StreamConfig config = StreamConfig.parse(io.github.edgestream.http.BodyCodecs.json().readTree(configJson),
                "config");
        StreamService service = basins.basin("rules-basin");
        service.create(basins.definition("rules-basin", StreamName.anyOf(name), config)).toCompletableFuture()
                .join();
        return Basins.find(service, StreamName.anyOf(name)).orElseThrow();
    }

    private static AppendRecord record(String body) {
        return AppendRecord.of(body.getBytes(StandardCharsets.UTF_8));
    }

    private static AppendInput input(AppendRecord... records) {
        return new AppendInput(List.of(records), OptionalLong.empty(), Optional.empty(), 0);
    }

    private AppendResult append(MessageStream stream, AppendInput input) {
        return stream.appendBatch(Appends.prepare(input, stream, clock.millis()).batch());
    }

    private static List<Long> timestamps(MessageStream stream) {
        return stream.read(ReadRequest.upTo(0, 100)).toCompletableFuture().join().stream()
                .map(Message::timestampMillis).toList();
    }

    @Test
    void clientPreferKeepsClientTimestampsCapsFutureOnesAndRaisesEarlierOnes() throws Exception {
        MessageStream stream = stream("prefer", "{}");
        long now = clock.millis();
        append(stream, input(record("a").withTimestampMillis(now - 5000), record("b"),
                record("c").withTimestampMillis(now + 60_000), record("d").withTimestampMillis(now - 9000)));
        assertThat(timestamps(stream)).containsExactly(now - 5000, now, now, now);
    }

    @Test
    void uncappedKeepsFutureTimestamps() throws Exception {
        MessageStream stream = stream("uncapped", "{\"timestamping\":{\"uncapped\":true}}");
        long now = clock.millis();
        append(stream, input(record("a").withTimestampMillis(now + 60_000)));
        assertThat(timestamps(stream)).containsExactly(now + 60_000);
    }

    @Test
    void clientRequireRefusesARecordWithoutTimestampAndArrivalIgnoresThem() throws Exception {
        MessageStream require = stream("require", "{\"timestamping\":{\"mode\":\"client-require\"}}");
        assertThatThrownBy(() -> append(require, input(record("a").withTimestampMillis(1), record("b"))))
                .isInstanceOfSatisfying(S2Exception.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("records[1].timestamp").contains("client-require");
                });
        MessageStream arrival = stream("arrival", "{\"timestamping\":{\"mode\":\"arrival\"}}");
        append(arrival, input(record("a").withTimestampMillis(1000)));
        assertThat(timestamps(arrival)).containsExactly(clock.millis());
    }

    @Test
    void fenceAndTrimCommandsAreRecordsThatTakeEffect() throws Exception {
        MessageStream stream = stream("commands", "{}");
        append(stream, input(record("0"), record("1"), record("2")));
        AppendRecord fence = new AppendRecord(AppendRecord.INGEST_TIME, Message.NO_KEY,
                List.of(Header.of("", "fence")), ByteBuffer.wrap("epoch-2".getBytes(StandardCharsets.UTF_8)));
        append(stream, input(fence));
        assertThat(stream.fencingToken()).isEqualTo("epoch-2");

        AppendRecord trim = new AppendRecord(AppendRecord.INGEST_TIME, Message.NO_KEY,
                List.of(Header.of("", "trim")), ByteBuffer.allocate(8).putLong(0, 100));
        Appends.Prepared prepared = Appends.prepare(new AppendInput(List.of(trim), OptionalLong.empty(),
                Optional.of("epoch-2"), 0), stream, clock.millis());
        AppendResult result = stream.appendBatch(prepared.batch());
        assertThat(prepared.trimPoint(result)).as("never past the trim record itself").hasValue(5);
        assertThat(prepared.hasCommands()).isTrue();

        AppendRecord badTrim = new AppendRecord(AppendRecord.INGEST_TIME, Message.NO_KEY,
                List.of(Header.of("", "trim")), ByteBuffer.allocate(4));
        assertThatThrownBy(() -> append(stream, input(badTrim))).hasMessageContaining("must have 8");
        AppendRecord unknown = new AppendRecord(AppendRecord.INGEST_TIME, Message.NO_KEY,
                List.of(Header.of("", "explode")), ByteBuffer.allocate(0));
        assertThatThrownBy(() -> append(stream, input(unknown))).hasMessageContaining("\"explode\"");
        AppendRecord longFence = new AppendRecord(AppendRecord.INGEST_TIME, Message.NO_KEY,
                List.of(Header.of("", "fence")), ByteBuffer.wrap(new byte[37]));
        assertThatThrownBy(() -> append(stream, input(longFence))).hasMessageContaining("at most 36");
        AppendRecord mixed = new AppendRecord(AppendRecord.INGEST_TIME, Message.NO_KEY,
                List.of(Header.of("", "fence"), Header.of("k", "v")), ByteBuffer.allocate(0));
        assertThatThrownBy(() -> append(stream, input(mixed))).hasMessageContaining("empty name");
    }

    @Test
    void readStartsFollowS2sRules() throws Exception {
        MessageStream stream = stream("starts", "{}");
        long t0 = clock.millis();
        append(stream, input(record("0").withTimestampMillis(t0 - 3000), record("1").withTimestampMillis(t0 - 2000),
                record("2").withTimestampMillis(t0 - 1000)));
        assertThat(RecordOperations.start(stream, args(OptionalLong.of(1), OptionalLong.empty(), OptionalLong.empty(),
                false, OptionalLong.empty()), false)).isEqualTo(1);
        assertThat(RecordOperations.start(stream, args(OptionalLong.empty(), OptionalLong.of(t0 - 2000),
                OptionalLong.empty(), false, OptionalLong.empty()), false)).isEqualTo(1);
        assertThat(RecordOperations.start(stream, args(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(10),
                false, OptionalLong.empty()), false)).as("an offset past the start begins at 0").isZero();
        assertThatThrownBy(() -> RecordOperations.start(stream, args(OptionalLong.of(4), OptionalLong.empty(),
                OptionalLong.empty(), false, OptionalLong.empty()), false))
                .isInstanceOfSatisfying(S2Exception.class, e -> {
                    assertThat(e.status()).isEqualTo(416);
                    assertThat(e.json()).isEqualTo("{\"tail\":{\"seq_num\":3,\"timestamp\":" + (t0 - 1000) + "}}");
                });
        assertThat(RecordOperations.start(stream, args(OptionalLong.of(4), OptionalLong.empty(), OptionalLong.empty(),
                true, OptionalLong.empty()), true)).as("clamped to the tail, a session may follow").isEqualTo(3);
        assertThatThrownBy(() -> RecordOperations.start(stream, args(OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), false, OptionalLong.empty()), false)).as("a unary read at the tail, no wait")
                .isInstanceOf(S2Exception.class);
        assertThat(RecordOperations.start(stream, args(OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), false, OptionalLong.of(5)), false)).as("with wait it long-polls").isEqualTo(3);
    }

    private static RecordOperations.ReadArgs args(OptionalLong seq, OptionalLong ts, OptionalLong offset,
            boolean clamp, OptionalLong wait) {
        return new RecordOperations.ReadArgs(seq, ts, offset, clamp, OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), wait);
    }

    @Test
    void deleteOnEmptyDeletesAStreamEmptyAndUnwrittenForItsMinimumAge() throws Exception {
        MessageStream doomed = stream("doomed", "{\"delete_on_empty\":{\"min_age_secs\":600},"
                + "\"retention_policy\":{\"age\":60}}");
        stream("kept", "{\"retention_policy\":{\"age\":60}}");
        append(doomed, input(record("x")));
        EmptyStreamSweeper sweeper = new EmptyStreamSweeper(basins);

        clock.advance(Duration.ofSeconds(599));
        assertThat(sweeper.sweep()).as("still holds its record").isEmpty();
        doomed.trim(1);
        assertThat(sweeper.sweep()).as("empty, but written 599 s ago").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sweeper.sweep()).containsExactly("rules-basin/doomed");
        assertThat(basins.basin("rules-basin").list().toCompletableFuture().join())
                .containsExactly(StreamName.anyOf("kept"));
    }
}
