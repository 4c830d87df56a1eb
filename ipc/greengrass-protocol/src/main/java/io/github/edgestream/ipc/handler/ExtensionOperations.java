package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.cursor.Cursor;
import io.github.edgestream.core.cursor.CursorKind;
import io.github.edgestream.core.cursor.GroupDescription;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.ipc.dispatch.HandlerContext;
import io.github.edgestream.ipc.wire.Request;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What edgestream's extension operations do ({@code ipc/EXTENSIONS.md}), each as decoded request → service call →
 * response body (the fields after requestId and status). Failures are the store's exceptions, mapped to statuses by
 * {@link io.github.edgestream.ipc.dispatch.GreengrassErrorTable} like every other operation's. They address a
 * stream's only partition: a partitioned stream is refused, as for the protocol's own appends and reads, but by
 * ListCursors, which lists its consumer groups.
 *
 * <p>Stateless and thread-safe.
 */
final class ExtensionOperations {

    private static final int ONLY_PARTITION = StreamService.WHOLE_STREAM;

    private ExtensionOperations() {
    }

    static CompletionStage<Map<String, Object>> appendBatch(Request.AppendBatch request, HandlerContext context) {
        StreamService service = service(request, context);
        List<AppendRecord> records = new ArrayList<>(request.records().size());
        for (Request.BatchRecord record : request.records()) {
            records.add(new AppendRecord(record.timestampMicros() == null ? AppendRecord.INGEST_TIME
                    : record.timestampMicros(), record.key(), record.headers(), ByteBuffer.wrap(record.payload())));
        }
        AppendBatch batch = AppendBatch.of(records).withTimestampRule(request.strictTimestamps()
                ? AppendBatch.TimestampRule.INCREASING : AppendBatch.TimestampRule.NON_DECREASING);
        if (request.expectedNextSequenceNumber() != null) {
            batch = batch.expectingNext(request.expectedNextSequenceNumber());
        }
        if (request.fencingToken() != null) {
            batch = batch.withFencingToken(request.fencingToken());
        }
        return service.appendBatch(name(request), ONLY_PARTITION, batch).thenApply(result -> body(
                "firstSequenceNumber", result.firstSequence(), "nextSequenceNumber", result.nextSequence(),
                "firstTimestampMicros", result.firstTimestampMicros(),
                "lastTimestampMicros", result.lastTimestampMicros()));
    }

    static CompletionStage<Map<String, Object>> fence(Request.Fence request, HandlerContext context) {
        StreamService service = service(request, context);
        return service.fence(name(request), ONLY_PARTITION, request.fencingToken(),
                Optional.ofNullable(request.expectedFencingToken()))
                .thenApply(previous -> body("previousFencingToken", previous));
    }

    static CompletionStage<Map<String, Object>> trim(Request.Trim request, HandlerContext context) {
        StreamService service = service(request, context);
        return service.trim(name(request), ONLY_PARTITION, request.sequenceNumber())
                .thenApply(oldest -> body("oldestSequenceNumber", oldest));
    }

    static CompletionStage<Map<String, Object>> seekTime(Request.SeekTime request, HandlerContext context) {
        StreamService service = service(request, context);
        return service.seekTime(name(request), ONLY_PARTITION, request.timestampMicros())
                .thenApply(sequence -> body("sequenceNumber", sequence));
    }

    static CompletionStage<Map<String, Object>> commitCursor(Request.CommitCursor request, HandlerContext context) {
        StreamService service = service(request, context);
        return service.withCursors(name(request), ONLY_PARTITION, cursors -> cursor(
                cursors.commit(request.cursorName(), request.position(), request.expectedGeneration())));
    }

    /** A consumer's cursor is set; a group's partitions are all set (and its reservations cleared). */
    static CompletionStage<Map<String, Object>> resetCursor(Request.ResetCursor request, HandlerContext context) {
        StreamService service = service(request, context);
        StreamName stream = name(request);
        return service.withCursors(stream, ONLY_PARTITION, cursors -> cursors.get(request.cursorName()))
                .thenCompose(existing -> {
                    if (existing.isPresent() && existing.get().kind() == CursorKind.GROUP) {
                        return service.withGroups(stream, ONLY_PARTITION, groups -> groups.reset(
                                request.cursorName(), Collections.nCopies(groups.partitions(), request.position())))
                                .thenCompose(reset -> service.withCursors(stream, ONLY_PARTITION,
                                        cursors -> cursor(cursors.get(request.cursorName()).orElseThrow())));
                    }
                    return service.withCursors(stream, ONLY_PARTITION,
                            cursors -> cursor(cursors.reset(request.cursorName(), request.position())));
                });
    }

    /**
     * Every reader of a stream of one partition; the consumer groups of a partitioned stream (they span its
     * partitions, so they are the only readers of it as a whole), each with its committed position per partition.
     * With each partition's next sequence number, read after the positions, so that lag is per partition.
     */
    static CompletionStage<Map<String, Object>> listCursors(Request.ListCursors request, HandlerContext context) {
        StreamService service = service(request, context);
        StreamName stream = name(request);
        return service.partitions(stream).thenCompose(partitions -> {
            if (partitions.size() == 1) {
                return service.withCursors(stream, ONLY_PARTITION, cursors -> {
                    List<Object> list = new ArrayList<>();
                    for (Cursor cursor : cursors.list()) {
                        list.add(cursor(cursor));
                    }
                    return body("cursors", list, "nextSequenceNumbers", nextSequenceNumbers(partitions));
                });
            }
            return service.withGroups(stream, ONLY_PARTITION, groups -> {
                List<Object> list = new ArrayList<>();
                for (String group : groups.list()) {
                    groups.describe(group).ifPresent(described -> list.add(group(described)));
                }
                return body("cursors", list, "nextSequenceNumbers", nextSequenceNumbers(partitions));
            });
        });
    }

    private static List<Long> nextSequenceNumbers(List<MessageStream> partitions) {
        return partitions.stream().map(p -> p.info().newestSequenceNumber() + 1).toList();
    }

    /** A group as a cursor: {@code position} is partition 0's (as for a stream of one partition), then all. */
    private static Map<String, Object> group(GroupDescription group) {
        List<Long> positions = group.partitions().stream().map(GroupDescription.Partition::committedPosition).toList();
        return body("name", group.group(), "kind", CursorKind.GROUP.name(), "position", positions.get(0),
                "positions", positions, "generation", group.generation(),
                "updatedAtMillis", group.updatedAt().toEpochMilli());
    }

    static CompletionStage<Map<String, Object>> readRecords(Request.ReadRecords request, HandlerContext context) {
        StreamService service = service(request, context);
        Request.ReadMessagesOptions options = request.options();
        StreamName name = name(request);
        ReadRequest read = new ReadRequest(options.start(), options.min(), options.max(),
                Duration.ofMillis(options.timeoutMillis()), context.maxResponseSize(), RECORD_OVERHEAD,
                request.stopBeforeMicros() == null ? Long.MAX_VALUE : request.stopBeforeMicros());
        return service.read(name, read).thenApply(messages -> {
            List<Object> records = new ArrayList<>(messages.size());
            for (Message message : messages) {
                Map<String, Object> record = body("sequenceNumber", message.sequenceNumber(),
                        "ingestTime", message.ingestTimeEpochMillis(), "timestampMicros", message.timestampMicros());
                if (message.hasKey()) {
                    record.put("key", message.key());
                }
                if (!message.headers().isEmpty()) {
                    record.put("headers", message.headers().stream()
                            .map(h -> Map.<String, Object>of("name", h.name(), "value", h.value())).toList());
                }
                record.put("payload", message.payload());
                records.add(record);
            }
            return body("records", records);
        });
    }

    /** CBOR bytes a record costs in a ReadRecords response beyond its payload, key and header bytes (generous). */
    private static final int RECORD_OVERHEAD = 96;

    /** The service of the request's namespace; a namespace that does not exist is a stream that cannot be found. */
    private static StreamService service(Request.Extension request, HandlerContext context) {
        if (request.namespace() == null) {
            return context.service();
        }
        try {
            return context.service().namespace(Namespace.of(request.namespace()), false);
        } catch (IllegalArgumentException missing) {
            throw new StreamNotFoundException(name(request), "namespace \"" + request.namespace()
                    + "\" does not exist");
        }
    }

    /** The request's stream: by the portable rule in the default namespace, by the store's rule in another. */
    private static StreamName name(Request.Extension request) {
        return request.namespace() == null ? StreamName.of(request.streamName())
                : StreamName.anyOf(request.streamName());
    }

    private static Map<String, Object> cursor(Cursor cursor) {
        return body("name", cursor.name(), "kind", cursor.kind().name(), "position", cursor.position(),
                "positions", List.of(cursor.position()), "generation", cursor.generation(), "updatedAtMillis", cursor.updatedAt().toEpochMilli());
    }

    private static Map<String, Object> body(Object... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return body;
    }
}
