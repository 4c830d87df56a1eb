package io.github.edgestream.status;

import io.github.edgestream.core.export.ExportEvent;
import io.github.edgestream.core.export.ExportListener;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.StreamStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the S3 upload tasks of every {@code s3TaskExecutor} export with a {@code statusConfig.statusStreamName}:
 * for each export event about a task it appends one StatusMessage ({@link StatusMessageEncoder}) to that stream,
 * if the status's level is at most the configured {@code statusLevel} (default INFO).
 *
 * <table>
 *   <caption>event → status (level)</caption>
 *   <tr><td>started</td><td>InProgress (INFO), "uploading &lt;inputUrl&gt; to s3://&lt;bucket&gt;/&lt;key&gt;"</td></tr>
 *   <tr><td>delivered</td><td>Success (INFO), the exporter's note: bytes, bucket, final key</td></tr>
 *   <tr><td>failed</td><td>Failure (ERROR), the reason</td></tr>
 *   <tr><td>warning</td><td>Warning (WARN), the problem</td></tr>
 *   <tr><td>canceled</td><td>Canceled (INFO), why</td></tr>
 * </table>
 *
 * <p>Appending never holds up exporting: it is asynchronous, and a missing or full status stream (or any other
 * append failure) is logged, at most once a minute per status stream with a count of what was dropped.
 *
 * <p>Thread-safe: called by the export runtime from its threads ({@link ExportListener}).
 */
public final class StatusStreamWriter implements ExportListener {

    private static final Logger LOG = LoggerFactory.getLogger(StatusStreamWriter.class);
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final StreamStore store;
    private final Clock clock;
    private final StatusMessageEncoder encoder = new StatusMessageEncoder();
    private final Map<StreamName, DropLog> drops = new ConcurrentHashMap<>();

    public StatusStreamWriter(StreamStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void onEvent(ExportEvent event) {
        if (!(event.export() instanceof ExportConfig.S3TaskExecutor executor)) {
            return;
        }
        Optional<ExportConfig.StatusConfig> statusConfig = executor.statusConfig();
        Optional<StreamName> target = statusConfig.flatMap(ExportConfig.StatusConfig::statusStreamName);
        if (target.isEmpty()) {
            return;
        }
        StatusLevel wanted = statusConfig.get().statusLevel().orElse(StatusLevel.INFO);
        Optional<TaskStatus> reported = TaskStatus.of(event.type());
        if (reported.isEmpty() || !reported.get().level().isWrittenAt(wanted)) {
            return;
        }
        TaskStatus status = reported.get();
        for (Message task : event.messages()) {
            Optional<ExportResult.Note> note = Optional.ofNullable(event.notes().get(task.sequenceNumber()));
            byte[] json = encoder.encode(status, event.stream(), executor.identifier(), task, note,
                    text(event, task, note), event.time());
            append(target.get(), json, event, task);
        }
    }

    private static String text(ExportEvent event, Message task, Optional<ExportResult.Note> note) {
        switch (event.type()) {
            case STARTED: {
                var definition = StatusMessageEncoder.taskDefinition(task, Optional.empty());
                return definition.map(d -> "uploading " + d.path("inputUrl").asText("?") + " to s3://"
                        + d.path("bucket").asText("?") + "/" + d.path("key").asText("?"))
                        .orElse("task " + task.sequenceNumber() + " started");
            }
            case DELIVERED:
                return note.map(ExportResult.Note::message).orElse("task " + task.sequenceNumber() + " done");
            default:
                return event.detail();
        }
    }

    private void append(StreamName target, byte[] json, ExportEvent event, Message task) {
        var stream = store.find(target);
        if (stream.isEmpty()) {
            dropped(target, "it does not exist", event, task);
            return;
        }
        try {
            stream.get().appendAsync(ByteBuffer.wrap(json)).whenComplete((sequenceNumber, error) -> {
                if (error != null) {
                    dropped(target, error.getCause() != null ? error.getCause().getMessage() : error.getMessage(),
                            event, task);
                }
            });
        } catch (RuntimeException e) {
            dropped(target, e.getMessage(), event, task);
        }
    }

    private void dropped(StreamName target, String why, ExportEvent event, Message task) {
        DropLog log = drops.computeIfAbsent(target, name -> new DropLog());
        long suppressed = log.count(clock.instant());
        if (suppressed >= 0) {
            LOG.warn("cannot write the {} status of task {} of stream \"{}\" (export \"{}\") to status stream \"{}\":"
                    + " {}{}", TaskStatus.of(event.type()).map(Enum::name).orElse("?"), task.sequenceNumber(), event.stream().value(),
                    event.export().identifier(), target.value(), why,
                    suppressed > 0 ? " (" + suppressed + " more since the last report)" : "");
        }
    }

    /** Rate limit of the drop log: one line a minute per status stream. Thread-safe. */
    private static final class DropLog {
        private Instant lastLogged = Instant.MIN;
        private long since;

        /** -1 to stay silent, else how many drops were not logged before this one. */
        synchronized long count(Instant now) {
            if (lastLogged != Instant.MIN && now.isBefore(lastLogged.plus(LOG_INTERVAL))) {
                since++;
                return -1;
            }
            long suppressed = since;
            since = 0;
            lastLogged = now;
            return suppressed;
        }
    }
}
