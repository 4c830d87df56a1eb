package io.github.edgestream.core.export;

import static io.github.edgestream.core.export.RecordingExportListener.seen;
import static io.github.edgestream.core.export.ScriptedExporterProvider.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.ExportEvent.Type;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StreamName;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Task exports (S3 upload tasks: one message per call, in order) and the events the runtime reports for them: what
 * the status module turns into status messages.
 */
class ExportEventsTest extends ExportRuntimeTestBase {

    @Override
    ScriptedExporterProvider newExporter() {
        return new ScriptedExporterProvider(ExportKind.S3_TASK_EXECUTOR).limits(new BatchLimits(1, 1024, 1024));
    }

    static ExportConfig tasks(String identifier) {
        return new ExportConfig.S3TaskExecutor(ExportSettings.of(identifier), Optional.empty(),
                Optional.of(new ExportConfig.StatusConfig(Optional.of(StatusLevel.INFO), Optional.empty())));
    }

    static ExportResult uploaded(long sequenceNumber) {
        return new ExportResult.Delivered(Map.of(sequenceNumber, new ExportResult.Note("uploaded",
                Map.of("key", "k" + sequenceNumber))));
    }

    @Test
    void tasksRunOneAtATimeInOrderEachStartedThenDeliveredWithItsNote() throws Exception {
        exporter.answer(batch -> uploaded(batch.firstSequenceNumber()));
        var stream = create("s", tasks("t"));
        append(stream, 3);

        assertThat(events.await(6)).containsExactly(seen(Type.STARTED, 0L), seen(Type.DELIVERED, 0L),
                seen(Type.STARTED, 1L), seen(Type.DELIVERED, 1L), seen(Type.STARTED, 2L), seen(Type.DELIVERED, 2L));
        assertThat(exporter.calls()).allSatisfy(call -> assertThat(call.sequenceNumbers()).hasSize(1));
        assertThat(events.events().get(1).notes().get(0L).fields()).containsEntry("key", "k0");
        assertThat(events.events().get(1).export().identifier()).isEqualTo("t");
    }

    @Test
    void aFailedTaskIsReportedWithItsReasonAndTheNextOneRuns() throws Exception {
        exporter.answer(batch -> batch.firstSequenceNumber() == 0
                ? new ExportResult.Rejected("file:/data/missing.bin does not exist") : uploaded(1));
        var stream = create("s", tasks("t"));
        append(stream, 2);

        assertThat(events.await(4)).containsExactly(seen(Type.STARTED, 0L), seen(Type.FAILED, 0L),
                seen(Type.STARTED, 1L), seen(Type.DELIVERED, 1L));
        assertThat(events.events().get(1).detail()).isEqualTo("file:/data/missing.bin does not exist");
    }

    @Test
    void anExportersNoticeBecomesAWarningAboutItsMessage() throws Exception {
        exporter.answer((batch, context) -> {
            context.notices().warning(batch.firstSequenceNumber(), "could not abort multipart upload u-1");
            return new ExportResult.Rejected("NoSuchBucket");
        });
        append(create("s", tasks("t")), 1);

        assertThat(events.await(3)).containsExactly(seen(Type.STARTED, 0L), seen(Type.WARNING, 0L),
                seen(Type.FAILED, 0L));
        assertThat(events.events().get(1).detail()).isEqualTo("could not abort multipart upload u-1");
    }

    // the cursor moves after every task, so a restart redoes the interrupted task and nothing before it
    @Test
    void aRestartRedoesOnlyTheTaskThatWasRunning() throws Exception {
        var stream = create("s");
        append(stream, 3);
        exporter.answer(batch -> {
            if (batch.firstSequenceNumber() == 0) {
                exporter.hold();   // task 1 will wait at the door, as if uploading
            }
            return uploaded(batch.firstSequenceNumber());
        });
        store.update(stream.definition().toBuilder().exports(List.of(tasks("t"))).build());
        await("task 1 is running", () -> exporter.entered() == 2);

        restart(ExportRuntimeSettings.defaults());
        exporter.release();

        await("all done", () -> status("s", "t").lastExportedSequenceNumber() == 2);
        assertThat(exporter.sent("t")).containsExactly(0L, 1L, 2L);
        assertThat(exporter.entered()).isEqualTo(4);   // task 1 twice: interrupted, then redone
    }

    @Test
    void removingTheStreamCancelsTheTasksWaitingBehindTheRunningOne() throws Exception {
        exporter.hold();
        var stream = create("s", tasks("t"));
        append(stream, 1);
        await("task 0 is running", () -> exporter.entered() == 1);
        append(stream, 2);   // appended while task 0 runs
        await("tasks 1 and 2 are known", () -> runtime.statuses(stream.definition()).size() == 1
                && pendingKnown(stream.definition().name(), 2));

        store.delete(StreamName.of("s"));
        await("the runtime has stopped the export", () -> runtime.pendingMessages(StreamName.of("s"), "t") == 0);
        exporter.answer(batch -> new ExportResult.Retry("interrupted"));
        exporter.release();   // the running task ends without a result: canceled too

        assertThat(events.await(3)).containsExactly(seen(Type.STARTED, 0L), seen(Type.CANCELED, 1L, 2L),
                seen(Type.CANCELED, 0L));
    }

    private boolean pendingKnown(StreamName stream, int count) {
        return runtime.pendingMessages(stream, "t") == count + 1;
    }
}
