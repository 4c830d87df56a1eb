package io.github.edgestream.core.stream.internal.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.internal.ReadBudget;
import io.github.edgestream.core.stream.internal.Segment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic batches on disk: a batch that a crash cut short is dropped by the recovery scan (it was never acknowledged),
 * whole batches before it stay; a batch that failed part-way in a running process is rolled back and its segment
 * sealed, and the metadata written then is what the next open trusts.
 */
class BatchRecoveryTest {

    private static final long T0 = 1_800_000_000_000_000L;

    @TempDir
    Path root;

    private final List<String> losses = new ArrayList<>();

    private ChronicleSegmentStorage storage() {
        return new ChronicleSegmentStorage(root, 1 << 20);
    }

    private static AppendRecord record(String text) {
        return AppendRecord.of(text.getBytes(StandardCharsets.UTF_8)).withKey("k".getBytes(StandardCharsets.UTF_8))
                .withHeaders(List.of(Header.of("h", text)));
    }

    /** Appends records from {@code first} as one batch of {@code count}; {@code finished} false leaves it open. */
    private static void batch(Segment segment, long first, int count, boolean finished) {
        for (int i = 0; i < count; i++) {
            boolean continues = i < count - 1 || !finished;
            segment.append(first + i, 1_800_000_000_000L, T0 + first + i, record("r" + (first + i)), continues);
        }
    }

    private static List<Message> read(Segment segment) {
        List<Message> out = new ArrayList<>();
        if (segment.readableEnd() > segment.baseSequence()) {
            segment.read(segment.baseSequence(), segment.readableEnd() - 1, ReadBudget.unlimited(), out);
        }
        return out;
    }

    @Test
    void aBatchCutShortByACrashIsDroppedAndTheWholeOnesBeforeItStay() {
        ChronicleSegmentStorage writing = storage();
        writing.recover((first, last, cause) -> losses.add(cause));
        Segment segment = writing.create(0);
        batch(segment, 0, 3, true);
        batch(segment, 3, 1, true);
        batch(segment, 4, 5, false); // the process dies here: no record of this batch says it is the last
        writing.release(); // a crash records nothing

        ChronicleSegmentStorage reopened = storage();
        List<Segment> recovered = reopened.recover((first, last, cause) -> losses.add(first + ".." + last));
        try {
            assertThat(recovered).singleElement().satisfies(s -> {
                assertThat(s.nextSequence()).isEqualTo(4);
                assertThat(s.readableEnd()).isEqualTo(4);
                assertThat(s.isSealed()).isTrue();
                assertThat(s.newestTimestampMicros()).isEqualTo(T0 + 3);
                assertThat(read(s)).extracting(Message::sequenceNumber).containsExactly(0L, 1L, 2L, 3L);
                assertThat(read(s).get(2).headers()).containsExactly(Header.of("h", "r2"));
            });
            assertThat(losses).as("an unacknowledged batch is not a loss").isEmpty();
        } finally {
            reopened.close();
        }
    }

    @Test
    void aBatchRolledBackInARunningProcessStaysInvisibleAfterACleanRestart() {
        ChronicleSegmentStorage writing = storage();
        writing.recover((first, last, cause) -> losses.add(cause));
        Segment segment = writing.create(0);
        batch(segment, 0, 2, true);
        Segment.Mark mark = segment.mark();
        batch(segment, 2, 3, false); // the fourth record of this batch fails to write
        segment.rollBack(mark);

        assertThat(segment.isSealed()).isTrue();
        assertThat(segment.nextSequence()).isEqualTo(2);
        assertThat(read(segment)).hasSize(2);
        Segment next = writing.create(2);
        batch(next, 2, 2, true);
        writing.close();

        ChronicleSegmentStorage reopened = storage();
        List<Segment> recovered = reopened.recover((first, last, cause) -> losses.add(cause));
        try {
            assertThat(recovered).hasSize(2);
            assertThat(read(recovered.get(0))).extracting(Message::sequenceNumber).containsExactly(0L, 1L);
            assertThat(read(recovered.get(1))).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                    .containsExactly("r2", "r3");
            assertThat(losses).isEmpty();
        } finally {
            reopened.close();
        }
    }

    @Test
    void seekByTimeFindsRecordsInARecoveredSegment() {
        ChronicleSegmentStorage writing = storage();
        writing.recover((first, last, cause) -> losses.add(cause));
        Segment segment = writing.create(0);
        batch(segment, 0, 200, true);
        writing.release();

        ChronicleSegmentStorage reopened = storage();
        try {
            Segment recovered = reopened.recover((first, last, cause) -> losses.add(cause)).get(0);
            assertThat(recovered.seekTime(T0 + 150, recovered.readableEnd())).isEqualTo(150);
            assertThat(recovered.seekTime(T0 + 1_000, recovered.readableEnd())).isEqualTo(200);
        } finally {
            reopened.close();
        }
    }

    /**
     * The time bounds a segment's metadata keeps (what seek by time uses to pick a segment) are rebuilt from the
     * records when the metadata is torn: the segment is scanned as after a crash.
     */
    @Test
    void tornTimeBoundsAreRebuiltFromTheRecords() throws Exception {
        ChronicleSegmentStorage writing = storage();
        writing.recover((first, last, cause) -> losses.add(cause));
        Segment segment = writing.create(0);
        batch(segment, 0, 50, true);
        writing.close();
        java.nio.file.Path meta;
        try (var files = java.nio.file.Files.walk(root)) {
            meta = files.filter(f -> f.getFileName().toString().equals(SegmentMeta.FILE_NAME)).findFirst()
                    .orElseThrow();
        }
        String text = java.nio.file.Files.readString(meta);
        assertThat(text).contains("newestTimestamp=" + (T0 + 49));
        java.nio.file.Files.writeString(meta, text.replace("newestTimestamp=" + (T0 + 49), "newestTimestamp=12x"));

        ChronicleSegmentStorage reopened = storage();
        try {
            Segment recovered = reopened.recover((first, last, cause) -> losses.add(cause)).get(0);
            assertThat(recovered.newestTimestampMicros()).isEqualTo(T0 + 49);
            assertThat(recovered.seekTime(T0 + 20, recovered.readableEnd())).isEqualTo(20);
            assertThat(losses).isEmpty();
        } finally {
            reopened.close();
        }
    }
}
