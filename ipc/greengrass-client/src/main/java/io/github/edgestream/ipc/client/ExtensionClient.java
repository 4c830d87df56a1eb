package io.github.edgestream.ipc.client;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.Response;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * edgestream's extension operations ({@code ipc/EXTENSIONS.md}) on the streams of one namespace, over a
 * {@link StreamManagerClient}'s connection: batches with timestamps, keys and headers, conditional appends, fencing,
 * trim, seek by time, records read with their timestamp, key and headers, and cursors. Failures arrive as
 * {@link StreamManagerException}s whose status is {@code Conflict} (100) when a condition did not hold (the message
 * names the actual value), {@code InvalidRequest} or {@code ResourceNotFound} as for the protocol's own operations.
 *
 * <p>Thread-safe (it holds only the client and the namespace).
 */
public final class ExtensionClient {

    private final StreamManagerClient client;
    /** Null for the default namespace. */
    private final String namespace;

    ExtensionClient(StreamManagerClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    private List<Object[]> fields(String streamName) {
        List<Object[]> fields = new ArrayList<>();
        fields.add(new Object[] {"streamName", streamName});
        if (namespace != null) {
            fields.add(new Object[] {"namespace", namespace});
        }
        return fields;
    }

    /**
     * Appends records all-or-nothing with consecutive sequence numbers, if the conditions hold.
     *
     * @param expectedNextSequence the number the first record must get, or empty
     * @param fencingToken         the stream's fencing token, or null to append unfenced
     */
    public CompletableFuture<AppendResult> appendBatch(String streamName, List<AppendRecord> records,
            OptionalLong expectedNextSequence, String fencingToken) {
        List<Object> wireRecords = new ArrayList<>(records.size());
        for (AppendRecord record : records) {
            Map<String, Object> fields = new LinkedHashMap<>();
            ByteBuffer payload = record.payload().duplicate();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            fields.put("payload", bytes);
            if (record.hasTimestamp()) {
                fields.put("timestampMicros", record.timestampMicros());
            }
            if (record.key().length > 0) {
                fields.put("key", record.key());
            }
            if (!record.headers().isEmpty()) {
                fields.put("headers", record.headers().stream()
                        .map(h -> Map.<String, Object>of("name", h.name(), "value", h.value())).toList());
            }
            wireRecords.add(fields);
        }
        List<Object[]> fields = fields(streamName);
        fields.add(new Object[] {"records", wireRecords});
        expectedNextSequence.ifPresent(next -> fields.add(new Object[] {"expectedNextSequenceNumber", next}));
        if (fencingToken != null) {
            fields.add(new Object[] {"fencingToken", fencingToken});
        }
        return client.extension(Operation.APPEND_BATCH, fields).thenApply(r -> new AppendResult(
                r.longField("firstSequenceNumber"), r.longField("nextSequenceNumber"),
                r.longField("firstTimestampMicros"), r.longField("lastTimestampMicros")));
    }

    /** Sets the stream's fencing token; {@code expectedCurrent} null for an unconditional fence. Returns the old one. */
    public CompletableFuture<String> fence(String streamName, String token, String expectedCurrent) {
        List<Object[]> fields = fields(streamName);
        fields.add(new Object[] {"fencingToken", token});
        if (expectedCurrent != null) {
            fields.add(new Object[] {"expectedFencingToken", expectedCurrent});
        }
        return client.extension(Operation.FENCE, fields).thenApply(r -> r.textField("previousFencingToken"));
    }

    /** Deletes every message below {@code sequenceNumber}; returns the stream's oldest sequence number after it. */
    public CompletableFuture<Long> trim(String streamName, long sequenceNumber) {
        List<Object[]> fields = fields(streamName);
        fields.add(new Object[] {"sequenceNumber", sequenceNumber});
        return client.extension(Operation.TRIM, fields).thenApply(r -> r.longField("oldestSequenceNumber"));
    }

    /** The first sequence number timestamped at or after {@code time} (the next one to come if none is). */
    public CompletableFuture<Long> seekTime(String streamName, Instant time) {
        List<Object[]> fields = fields(streamName);
        fields.add(new Object[] {"timestampMicros", micros(time)});
        return client.extension(Operation.SEEK_TIME, fields).thenApply(r -> r.longField("sequenceNumber"));
    }

    /**
     * Reads records with their timestamp, key and headers, as ReadMessages reads messages: from {@code start}, at
     * least {@code min} (waiting up to {@code timeout}) and at most {@code max}; none timestamped at or after
     * {@code stopBefore} (null for no end).
     */
    public CompletableFuture<List<Message>> readRecords(String streamName, long start, int min, int max,
            Duration timeout, Instant stopBefore) {
        List<Object[]> fields = fields(streamName);
        fields.add(new Object[] {"desiredStartSequenceNumber", start});
        fields.add(new Object[] {"minMessageCount", (long) min});
        fields.add(new Object[] {"maxMessageCount", (long) max});
        fields.add(new Object[] {"readTimeoutMillis", timeout.toMillis()});
        if (stopBefore != null) {
            fields.add(new Object[] {"stopBeforeMicros", micros(stopBefore)});
        }
        return client.extension(Operation.READ_RECORDS, fields).thenApply(r -> {
            List<Message> messages = new ArrayList<>();
            if (r.body().get("records") instanceof List<?> records) {
                for (Object item : records) {
                    messages.add(message(item));
                }
            }
            return messages;
        });
    }

    /** Moves a consumer's cursor if its generation is still {@code expectedGeneration} (0 creates it). */
    public CompletableFuture<CursorInfo> commitCursor(String streamName, String cursorName, long position,
            long expectedGeneration) {
        List<Object[]> fields = fields(streamName);
        fields.add(new Object[] {"cursorName", cursorName});
        fields.add(new Object[] {"position", position});
        fields.add(new Object[] {"expectedGeneration", expectedGeneration});
        return client.extension(Operation.COMMIT_CURSOR, fields).thenApply(ExtensionClient::cursor);
    }

    /** Sets a consumer's cursor, or every partition of a consumer group, to {@code position}, back or forward. */
    public CompletableFuture<CursorInfo> resetCursor(String streamName, String cursorName, long position) {
        List<Object[]> fields = fields(streamName);
        fields.add(new Object[] {"cursorName", cursorName});
        fields.add(new Object[] {"position", position});
        return client.extension(Operation.RESET_CURSOR, fields).thenApply(ExtensionClient::cursor);
    }

    /**
     * Every cursor of the stream: consumers, consumer groups and exports; of a partitioned stream, its consumer
     * groups (with a position per partition).
     */
    public CompletableFuture<List<CursorInfo>> listCursors(String streamName) {
        return listCursorsWithTails(streamName).thenApply(CursorListing::cursors);
    }

    /** {@link #listCursors}, with the next sequence number of each of the stream's partitions, for lag. */
    public CompletableFuture<CursorListing> listCursorsWithTails(String streamName) {
        return client.extension(Operation.LIST_CURSORS, fields(streamName)).thenApply(r -> {
            List<CursorInfo> cursors = new ArrayList<>();
            if (r.body().get("cursors") instanceof List<?> items) {
                for (Object item : items) {
                    cursors.add(cursor(new Response.Extension(Operation.LIST_CURSORS_RESPONSE, r.requestId(),
                            r.status(), null, map(item))));
                }
            }
            return new CursorListing(cursors, longs(r.body().get("nextSequenceNumbers")));
        });
    }

    /** A list of whole numbers, empty if absent (an older server). */
    private static List<Long> longs(Object value) {
        List<Long> numbers = new ArrayList<>();
        if (value instanceof List<?> items) {
            for (Object item : items) {
                numbers.add(((Number) item).longValue());
            }
        }
        return numbers;
    }

    private static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object item) {
        return (Map<String, Object>) item;
    }

    private static Message message(Object item) {
        Map<String, Object> fields = map(item);
        byte[] key = fields.get("key") instanceof byte[] bytes ? bytes : Message.NO_KEY;
        List<Header> headers = new ArrayList<>();
        if (fields.get("headers") instanceof List<?> list) {
            for (Object header : list) {
                Map<String, Object> pair = map(header);
                headers.add(new Header((byte[]) pair.get("name"), (byte[]) pair.get("value")));
            }
        }
        return new Message(((Number) fields.get("sequenceNumber")).longValue(),
                ((Number) fields.get("ingestTime")).longValue(), ((Number) fields.get("timestampMicros")).longValue(),
                key, List.copyOf(headers), (byte[]) fields.get("payload"));
    }

    private static CursorInfo cursor(Response.Extension r) {
        long position = r.longField("position");
        List<Long> positions = longs(r.body().get("positions"));
        return new CursorInfo(r.textField("name"), r.textField("kind"), position,
                positions.isEmpty() ? List.of(position) : positions, r.longField("generation"),
                Instant.ofEpochMilli(r.longField("updatedAtMillis")));
    }
}
