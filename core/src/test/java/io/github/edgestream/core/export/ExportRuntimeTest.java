package io.github.edgestream.core.export;

import static io.github.edgestream.core.export.ScriptedExporterProvider.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.ManualClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export runtime against a real store (file streams unless a test says otherwise) and a scripted exporter.
 * Time is a {@link ManualClock}: batch intervals and back-offs pass when the test advances it.
 */
class ExportRuntimeTest extends ExportRuntimeTestBase {

    @Test
    void exportsEveryMessageInOrderInBatchesWithinTheDestinationsLimits() throws Exception {
        exporter.limits(new BatchLimits(100, 1024, 64 * 1024));
        var stream = create("s", export("e"));
        append(stream, 250);

        await("all 250 delivered", () -> status("s", "e").lastExportedSequenceNumber() == 249);

        assertThat(exporter.sent("e")).containsExactlyElementsOf(range(0, 249));
        assertThat(exporter.calls()).allSatisfy(call -> assertThat(call.sequenceNumbers()).hasSizeLessThanOrEqualTo(100));
        var status = status("s", "e");
        assertThat(status.exportedMessages()).isEqualTo(250);
        assertThat(status.exportedBytes()).isEqualTo(750);
        assertThat(status.lastExportTime()).contains(clock.instant());
        assertThat(status.errorMessage()).isEmpty();
    }

    @Test
    void startsAtTheExportsStartSequenceNumber() throws Exception {
        var stream = create("s", export(settings("e", 10, 5, false, Optional.empty(), Optional.empty())));
        append(stream, 8);

        await("delivered to 7", () -> status("s", "e").lastExportedSequenceNumber() == 7);
        assertThat(exporter.sent("e")).containsExactlyElementsOf(range(5, 7));
    }

    @Test
    void aBatchWaitsForItsSizeOrItsIntervalSinceTheOldestMessage() throws Exception {
        var stream = create("s", export(settings("e", 10, 0, false, Optional.of(5), Optional.of(Duration.ofMinutes(2)))));
        append(stream, 3);
        await("the worker waits for the interval", () -> clock.pendingDelays().contains(Duration.ofMinutes(2)));
        clock.advance(Duration.ofSeconds(119));
        append(stream, 1);
        assertThat(exporter.calls()).isEmpty();
        clock.advance(Duration.ofSeconds(1));

        // the interval counts from the oldest message: all four go together, at 120 s
        assertThat(exporter.awaitCalls(1).get(0).sequenceNumbers()).containsExactlyElementsOf(range(0, 3));

        append(stream, 5);   // a full batch goes without waiting for the interval
        assertThat(exporter.awaitCalls(2).get(1).sequenceNumbers()).containsExactlyElementsOf(range(4, 8));
    }

    @Test
    void retriesOnlyTheRetryableRejectionsAndSkipsTheOthers() throws Exception {
        exporter.answer(batch -> batch.attempt() == 1
                ? new ExportResult.Partial(Map.of(
                        1L, new ExportResult.Rejection("throttled", true),
                        2L, new ExportResult.Rejection("not a valid entry", false)))
                : ExportResult.DELIVERED);
        var stream = create("s");
        append(stream, 4);   // before the export exists, so that the first batch holds all four
        store.update(stream.definition().toBuilder().exports(List.of(export("e"))).build());
        await("the failure is reported", () -> status("s", "e").nextAttempt().isPresent());
        assertThat(status("s", "e").errorMessage().orElseThrow()).contains("1 of 4 messages were refused: throttled");

        clock.advance(Duration.ofSeconds(1));   // the first back-off is 0.5 to 1 s

        var calls = exporter.awaitCalls(2);
        assertThat(calls.get(0).sequenceNumbers()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(calls.get(1).sequenceNumbers()).containsExactly(1L);
        assertThat(calls.get(1).attempt()).isEqualTo(2);
        await("batch complete", () -> status("s", "e").lastExportedSequenceNumber() == 3);
        var status = status("s", "e");
        assertThat(status.exportedMessages()).isEqualTo(3);
        assertThat(status.errorMessage().orElseThrow())
                .contains("message 2 was skipped", "not a valid entry");
    }

    @Test
    void aPartialResultsNotBeforeDelaysTheResendBeyondTheBackOff() throws Exception {
        exporter.answer(batch -> batch.attempt() == 1
                ? new ExportResult.Partial(Map.of(1L, new ExportResult.Rejection("429", true)),
                        Optional.of(Duration.ofSeconds(30)))
                : ExportResult.DELIVERED);
        var stream = create("s");
        append(stream, 2);
        store.update(stream.definition().toBuilder().exports(List.of(export("e"))).build());

        await("resend scheduled", () -> status("s", "e").nextAttempt().isPresent());
        assertThat(status("s", "e").nextAttempt()).contains(clock.instant().plusSeconds(30));
    }

    @Test
    void retriesForeverWithBackOffThatDoublesAndIsCappedAtFiveMinutes() throws Exception {
        exporter.answer(batch -> batch.attempt() <= 12 ? new ExportResult.Retry("503 from the destination")
                : ExportResult.DELIVERED);
        var stream = create("s", export("e"));
        append(stream, 1);

        long[] ceilings = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300};
        for (int failure = 1; failure <= 12; failure++) {
            int expected = failure;
            await("failure " + failure + " scheduled", () -> status("s", "e").consecutiveFailures() == expected
                    && status("s", "e").nextAttempt().isPresent());
            var status = status("s", "e");
            assertThat(status.errorMessage()).contains("503 from the destination");
            var delay = Duration.between(clock.instant(), status.nextAttempt().orElseThrow());
            // the jitter keeps each wait between half and all of its step
            assertThat(delay).isBetween(Duration.ofMillis(ceilings[failure - 1] * 500),
                    Duration.ofSeconds(ceilings[failure - 1]));
            clock.advance(delay);
            exporter.awaitCalls(failure + 1);
        }
        await("delivered", () -> status("s", "e").lastExportedSequenceNumber() == 0);
        assertThat(status("s", "e").errorMessage()).isEmpty();
        assertThat(status("s", "e").consecutiveFailures()).isZero();
    }

    @Test
    void aRejectedBatchIsHalvedUntilOnlyTheBadMessageIsSkipped() throws Exception {
        exporter.answer(batch -> batch.messages().stream().anyMatch(m -> m.sequenceNumber() == 5)
                ? new ExportResult.Rejected("message 5 is not JSON") : ExportResult.DELIVERED);
        var stream = create("s", export("e"));
        append(stream, 10);

        await("delivered to 9", () -> status("s", "e").lastExportedSequenceNumber() == 9);

        var delivered = new ArrayList<Long>();
        exporter.calls().stream().filter(call -> !call.sequenceNumbers().contains(5L))
                .forEach(call -> delivered.addAll(call.sequenceNumbers()));
        assertThat(delivered).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L);
        assertThat(status("s", "e").exportedMessages()).isEqualTo(9);
        assertThat(status("s", "e").errorMessage().orElseThrow()).contains("message 5 was skipped");
    }

    @Test
    void aMessageTooLargeForTheDestinationIsSkippedNotSent() throws Exception {
        exporter.limits(new BatchLimits(500, 8, 64));
        var stream = create("s", export("e"));
        stream.append(new byte[] {1});
        stream.append(new byte[100]);
        stream.append(new byte[] {3});

        await("delivered to 2", () -> status("s", "e").lastExportedSequenceNumber() == 2);
        assertThat(exporter.sent("e")).containsExactly(0L, 2L);
        assertThat(status("s", "e").errorMessage().orElseThrow())
                .contains("message 1 was skipped", "100 bytes", "8 bytes");
    }

    @Test
    void theCursorSurvivesARestartAndOnlyNewMessagesAreSent() throws Exception {
        var stream = create("s", export("e"));
        append(stream, 100);
        await("delivered to 99", () -> status("s", "e").lastExportedSequenceNumber() == 99);

        restart(ExportRuntimeSettings.defaults());
        await("progress loaded", () -> status("s", "e").exportedMessages() == 100);
        append(store.get(StreamName.of("s")), 50);

        await("delivered to 149", () -> status("s", "e").lastExportedSequenceNumber() == 149);
        assertThat(exporter.sent("e")).containsExactlyElementsOf(range(0, 149));
        assertThat(status("s", "e").exportedMessages()).isEqualTo(150);
    }

    @Test
    void aDisabledExportWaitsAndResumesWhenTheStreamIsUpdated() throws Exception {
        var stream = create("s", export(settings("e", 10, 0, true, Optional.empty(), Optional.empty())));
        append(stream, 3);
        var other = create("t", export("f"));
        append(other, 1);
        exporter.awaitCalls(1);   // the runtime is running: "f" was exported, "e" was not
        assertThat(exporter.sent("e")).isEmpty();

        store.update(stream.definition().toBuilder()
                .exports(List.of(export(settings("e", 10, 0, false, Optional.empty(), Optional.empty())))).build());

        await("e delivered", () -> status("s", "e").lastExportedSequenceNumber() == 2);
        assertThat(exporter.sent("e")).containsExactly(0L, 1L, 2L);
    }

    @Test
    void updatesAddAndRemoveExportsWhileRunningAndRemovingDeletesTheCursor() throws Exception {
        var stream = create("s", export("old"));
        append(stream, 2);
        await("old delivered", () -> status("s", "old").lastExportedSequenceNumber() == 1);
        // the cursor is saved after the status moves, outside the worker's monitor
        await("old cursor saved", () -> stream.checkpoints().names().equals(List.of("export.old")));

        store.update(stream.definition().toBuilder().exports(List.of(export("new"))).build());

        await("new delivered", () -> status("s", "new").lastExportedSequenceNumber() == 1);
        assertThat(exporter.sent("new")).containsExactly(0L, 1L);
        await("old cursor deleted", () -> stream.checkpoints().names().equals(List.of("export.new")));
        await("old exporter closed", () -> exporter.closed() == 1);
    }

    @Test
    void changingTheStartSequenceNumberRestartsTheCursorThere() throws Exception {
        var stream = create("s", export("e"));
        append(stream, 5);
        await("delivered", () -> status("s", "e").lastExportedSequenceNumber() == 4);

        store.update(stream.definition().toBuilder()
                .exports(List.of(export(settings("e", 10, 2, false, Optional.empty(), Optional.empty())))).build());

        await("re-exported from 2", () -> exporter.sent("e").size() == 8);
        assertThat(exporter.sent("e")).containsExactly(0L, 1L, 2L, 3L, 4L, 2L, 3L, 4L);
    }

    @Test
    void messagesRemovedByRetentionBeforeExportAreReportedAndSkipped() throws Exception {
        exporter.answer(batch -> new ExportResult.Retry("link down"));
        var stream = store.create(StreamDefinition.builder("s", StrategyOnFull.OVERWRITE_OLDEST_DATA)
                .persistence(Persistence.MEMORY).maxSize(DataSize.ofBytes(1024)).segmentSize(DataSize.ofBytes(1024))
                .exports(List.of(export(settings("e", 10, 0, false, Optional.of(1), Optional.empty())))).build());
        stream.append(new byte[500]);
        await("retry scheduled", () -> status("s", "e").nextAttempt().isPresent());
        for (int i = 0; i < 6; i++) {
            stream.append(new byte[500]);   // the store keeps about one segment: 0 to ~4 are overwritten
        }
        long oldest = stream.info().oldestSequenceNumber();
        assertThat(oldest).isGreaterThan(1);
        exporter.answer(batch -> ExportResult.DELIVERED);
        clock.advance(Duration.ofSeconds(1));   // the retry of message 0 goes through

        await("caught up", () -> status("s", "e").lastExportedSequenceNumber() == 6);
        assertThat(status("s", "e").errorMessage().orElseThrow()).contains((oldest - 1) + " messages",
                "sequence numbers 1 to " + (oldest - 1), "removed by the stream's retention");
        assertThat(exporter.sent("e")).startsWith(0L).endsWith(6L).doesNotContain(1L);
        assertThat(status("s", "e").lostMessages()).isEqualTo(oldest - 1);
    }

    @Test
    void aSingleThreadServesPriorityOneFirstButLetsOldLowPriorityWorkThrough() throws Exception {
        restart(ExportRuntimeSettings.defaults().withThreadPoolSize(1));
        exporter.hold();
        var blocker = create("blocker", export("b"));
        append(blocker, 1);
        await("the only thread is busy", () -> exporter.entered() == 1);
        var low = create("low", export(settings("low", 10, 0, false, Optional.empty(), Optional.empty())));
        var high = create("high", export(settings("high", 1, 0, false, Optional.empty(), Optional.empty())));
        append(low, 1);
        append(high, 1);
        await("both queued", () -> runtime.queuedCalls() == 2);
        exporter.release();
        exporter.awaitCalls(3);
        assertThat(exporter.calls().stream().map(ScriptedExporterProvider.Call::export).toList())
                .containsExactly("b", "high", "low");

        // a low-priority batch that has waited 9 steps (9 s) goes before a fresh priority-1 batch
        exporter.hold();
        append(blocker, 1);
        await("the thread is busy again", () -> exporter.entered() == 4);
        append(low, 1);
        await("low queued", () -> runtime.queuedCalls() == 1);
        clock.advance(Duration.ofSeconds(10));
        append(high, 1);
        await("high queued", () -> runtime.queuedCalls() == 2);
        exporter.release();
        exporter.awaitCalls(6);
        assertThat(exporter.calls().subList(3, 6).stream().map(ScriptedExporterProvider.Call::export).toList())
                .containsExactly("b", "low", "high");
    }

    @Test
    void theBandwidthCapSpacesCallsOut() throws Exception {
        restart(ExportRuntimeSettings.defaults().withMaxBandwidthKbps(8));   // 1000 bytes per second
        exporter.limits(new BatchLimits(1, 1024, 1024));
        var stream = create("s", export("e"));
        stream.append(new byte[1000]);   // the bucket's one second of burst
        stream.append(new byte[1000]);
        exporter.awaitCalls(1);

        await("the second call waits a second for the bucket",
                () -> clock.pendingDelays().contains(Duration.ofSeconds(1)));
        assertThat(exporter.calls()).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        exporter.awaitCalls(2);
    }

    @Test
    void statusesFollowTheDefinitionOrderAndReportNotStartedExports() {
        var stream = create("s", export(settings("b", 10, 7, true, Optional.empty(), Optional.empty())),
                export("a"));
        var statuses = runtime.statuses(stream.definition());
        assertThat(statuses).extracting(ExportStatus::exportIdentifier).containsExactly("b", "a");
        assertThat(statuses.get(0).lastExportedSequenceNumber()).isEqualTo(6);
    }

    @Test
    void deliveredMessagesAreTheOnesTheExporterReceived() throws Exception {
        var stream = create("s", export("e"));
        stream.append("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        await("delivered", () -> status("s", "e").exportedBytes() == 5);
        assertThat(stream.read(io.github.edgestream.core.stream.ReadRequest.upTo(0, 1)).toCompletableFuture().get())
                .extracting(Message::sequenceNumber).containsExactly(0L);
    }
}
