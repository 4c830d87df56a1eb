package io.github.edgestream.core.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The record layout drawn in {@link CursorRecord}'s Javadoc, with the same two examples. */
class CursorRecordTest {

    private static final Instant AT = Instant.ofEpochMilli(1767225600000L);

    private static final Map<String, String> CONSUMER = Map.of(
            "kind", "CONSUMER", "position", "1500", "generation", "7", "updatedAt", "1767225600000");
    private static final Map<String, String> GROUP = Map.of(
            "kind", "GROUP", "partitions", "3", "position.0", "1500", "position.1", "0", "position.2", "980",
            "generation", "12", "updatedAt", "1767225600000");

    @Test
    void theConsumerExampleReadsAndWritesBack() {
        CursorRecord parsed = CursorRecord.parse("reader-1", CONSUMER);

        assertThat(parsed).isEqualTo(CursorRecord.consumer("reader-1", 7, AT, 1500));
        assertThat(parsed.cursor()).isEqualTo(new Cursor("reader-1", CursorKind.CONSUMER, 1500, 7, AT));
        assertThat(parsed.toValues()).isEqualTo(CONSUMER);
    }

    @Test
    void theGroupExampleReadsAndWritesBackAndItsPositionIsTheLowest() {
        CursorRecord parsed = CursorRecord.parse("orders-app", GROUP);

        assertThat(parsed).isEqualTo(new CursorRecord("orders-app", CursorKind.GROUP, 12, AT,
                List.of(1500L, 0L, 980L)));
        assertThat(parsed.cursor().position()).isZero();
        assertThat(parsed.toValues()).isEqualTo(GROUP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kind", "position", "generation", "updatedAt"})
    void aRecordMissingAKeyIsDamaged(String key) {
        var values = new java.util.HashMap<>(CONSUMER);
        values.remove(key);

        assertThatThrownBy(() -> CursorRecord.parse("reader-1", values))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("checkpoint cursor.reader-1 is damaged");
    }

    @Test
    void negativeOrUnknownValuesAreDamage() {
        var negative = new java.util.HashMap<>(CONSUMER);
        negative.put("position", "-1");
        var export = new java.util.HashMap<>(CONSUMER);
        export.put("kind", "EXPORT");
        var groupMissingAPartition = new java.util.HashMap<>(GROUP);
        groupMissingAPartition.remove("position.2");

        for (Map<String, String> values : List.of(negative, export, groupMissingAPartition)) {
            assertThatThrownBy(() -> CursorRecord.parse("x", values)).isInstanceOf(IllegalStateException.class);
        }
    }
}
