package io.github.edgestream.core.export;

import static io.github.edgestream.core.export.ScriptedExporterProvider.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.fixture.StoreFixtures;
import io.github.edgestream.core.model.StreamName;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An export over a store written by the first release (see {@code StoreMigrationTest}) goes on from the cursor that
 * release saved: "to-cloud" of "telemetry" had delivered 0..24 (batches of 25, or 60 s after the oldest message).
 */
class StoreMigrationExportTest extends ExportRuntimeTestBase {

    private void openFixture(String variant) {
        stop();
        StoreFixtures.unpack(StoreFixtures.RELEASE_0, variant, root);
        open(ExportRuntimeSettings.defaults());
    }

    @Test
    void theExportContinuesFromItsSavedCursor() throws Exception {
        openFixture(StoreFixtures.CLEAN);

        assertThat(exporter.awaitCalls(1).get(0).sequenceNumbers()).containsExactlyElementsOf(range(25, 49));
        // 50..59 are fewer than a batch: they go 60 s after 50 was written (00:00:51; this clock starts at 00:00)
        clock.advance(Duration.ofMinutes(2));
        await("50..59 delivered", () -> status("telemetry", "to-cloud").lastExportedSequenceNumber() == 59);
        assertThat(exporter.sent("to-cloud")).containsExactlyElementsOf(range(25, 59));
        // counted from the release's figures: 25 exported before, 35 now
        await("the cursor saved at 60", () -> store.find(StreamName.of("telemetry")).orElseThrow().checkpoints()
                .load("export.to-cloud").map(saved -> "60".equals(saved.get("next"))
                        && "60".equals(saved.get("exportedMessages"))).orElse(false));
    }

    @Test
    void afterAnUncleanStopTheExportContinuesFromItsSavedCursorThroughTheRecoveredMessages() throws Exception {
        openFixture(StoreFixtures.UNCLEAN);

        assertThat(exporter.awaitCalls(1).get(0).sequenceNumbers()).containsExactlyElementsOf(range(25, 49));
        clock.advance(Duration.ofMinutes(2));
        await("50..69 delivered", () -> status("telemetry", "to-cloud").lastExportedSequenceNumber() == 69);
        assertThat(exporter.sent("to-cloud")).containsExactlyElementsOf(range(25, 69));
    }
}
