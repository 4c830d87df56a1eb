package io.github.edgestream.core.export;

import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened to messages of one export, for {@link ExportListener}s (the status module turns an S3 task
 * executor's events into status messages). Immutable.
 *
 * @param type     what happened
 * @param stream   the stream
 * @param export   the export's config at the time
 * @param messages the messages concerned, in sequence order (payloads shared: read-only)
 * @param detail   for people: the reason of a failure, warning or cancellation; empty for starts and deliveries
 * @param notes    for {@link Type#DELIVERED}: what the exporter said became of some messages
 * @param time      when it happened, by the runtime's clock
 * @param namespace the stream's namespace ({@link Namespace#DEFAULT} but for an S2 basin's or a bucket's stream,
 *                  whose name may equal a default stream's)
 */
public record ExportEvent(Type type, StreamName stream, ExportConfig export, List<Message> messages, String detail,
        Map<Long, ExportResult.Note> notes, Instant time, Namespace namespace) {

    /** An event of a stream of the default namespace. */
    public ExportEvent(Type type, StreamName stream, ExportConfig export, List<Message> messages, String detail,
            Map<Long, ExportResult.Note> notes, Instant time) {
        this(type, stream, export, messages, detail, notes, time, Namespace.DEFAULT);
    }

    /** The kinds of events, in the order a message goes through them. */
    public enum Type {
        /** First attempt to export the messages. */
        STARTED,
        /** The destination has them. */
        DELIVERED,
        /** They can never be delivered as they are and were skipped. */
        FAILED,
        /** A problem that did not decide the outcome (a clean-up that failed). */
        WARNING,
        /** A call failed in a way that may pass; the messages are sent again after a back-off. */
        RETRY,
        /** The export or its stream was removed before they were delivered. */
        CANCELED
    }

    public ExportEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(export, "export");
        messages = List.copyOf(messages);
        Objects.requireNonNull(detail, "detail");
        notes = Map.copyOf(notes);
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(namespace, "namespace");
    }
}
