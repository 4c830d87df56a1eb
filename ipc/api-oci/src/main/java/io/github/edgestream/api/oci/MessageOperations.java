package io.github.edgestream.api.oci;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.PartitionRouter;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.RecordLimits;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The StreamClient's message operations: PutMessages, CreateCursor and GetMessages (partition cursors; group cursors
 * are read by {@link GroupOperations}). A message's key is the record's key, its value the payload; an offset is the
 * record's sequence number in its partition, a partition id its index as a string ({@code "0"}).
 *
 * <p><b>Routing.</b> A message with a key goes to the partition its key hashes to (MD5 of the key's bytes over even
 * ranges, as {@link PartitionRouter} does for Kinesis), so equal keys always share a partition and keep their order;
 * a message without a key goes round-robin.
 *
 * <p><b>Limits</b> (as OCI's): a PutMessages request carries at most {@value #MAX_REQUEST_BYTES} bytes of keys and
 * values (decoded) and at most {@value #MAX_MESSAGES} messages; a GetMessages answer at most {@value #MAX_LIMIT}
 * messages and about {@link #MAX_GET_BYTES} of keys and values (at least one message, whatever its size).
 */
final class MessageOperations {

    static final int MAX_REQUEST_BYTES = 1 << 20;
    static final int MAX_MESSAGES = 10_000;
    static final int MAX_LIMIT = 10_000;
    static final DataSize MAX_GET_BYTES = DataSize.ofMebibytes(1);
    /** What a message costs in a GetMessages answer besides its key and value: fields, offset, time, stream name. */
    static final int MESSAGE_OVERHEAD = 128;

    private final OciStreams streams;
    private final OciCursors cursors;
    private final AtomicInteger roundRobin = new AtomicInteger();

    MessageOperations(OciStreams streams, OciCursors cursors) {
        this.streams = streams;
        this.cursors = cursors;
    }

    // ------------------------------------------------------------------------------------------ put

    /** A decoded message, or why it cannot be stored. */
    private record Put(byte[] key, byte[] value, String problem) {
    }

    CompletionStage<HttpReply> putMessages(HttpCall call, String id) {
        OciStreams.Target target = streams.resolve(id, call, Permission.WRITE);
        List<Put> puts = decodePuts(call);
        return streams.find(target).thenCompose(stream -> {
            int partitions = stream.partitions().size();
            PartitionRouter router = PartitionRouter.even(partitions);
            List<List<Integer>> byPartition = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                byPartition.add(new ArrayList<>());
            }
            int[] partitionOf = new int[puts.size()];
            for (int i = 0; i < puts.size(); i++) {
                Put put = puts.get(i);
                partitionOf[i] = put.key() != null ? router.partitionOf(put.key())
                        : Math.floorMod(roundRobin.getAndIncrement(), partitions);
                if (put.problem() == null) {
                    byPartition.get(partitionOf[i]).add(i);
                }
            }
            Entry[] entries = new Entry[puts.size()];
            for (int i = 0; i < puts.size(); i++) {
                if (puts.get(i).problem() != null) {
                    entries[i] = Entry.failed(OciException.INVALID_PARAMETER, "messages[" + i + "]: "
                            + puts.get(i).problem());
                }
            }
            List<CompletableFuture<Void>> appends = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                if (!byPartition.get(p).isEmpty()) {
                    appends.add(appendPartition(target, p, byPartition.get(p), 0, puts, entries).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).thenApply(done -> {
                int failures = 0;
                for (Entry entry : entries) {
                    failures += entry.error() != null ? 1 : 0;
                }
                int failed = failures;
                return OciResponseEncoder.json(200, out -> {
                    out.writeStartObject();
                    out.writeNumberField("failures", failed);
                    out.writeArrayFieldStart("entries");
                    for (Entry entry : entries) {
                        out.writeStartObject();
                        if (entry.error() == null) {
                            out.writeStringField("partition", Integer.toString(entry.partition()));
                            out.writeNumberField("offset", entry.offset());
                            out.writeStringField("timestamp", OciResponseEncoder.timeMicros(entry.micros()));
                        } else {
                            out.writeStringField("error", entry.error());
                            out.writeStringField("errorMessage", entry.message());
                        }
                        out.writeEndObject();
                    }
                    out.writeEndArray();
                    out.writeEndObject();
                });
            });
        });
    }

    /** One message's outcome. */
    private record Entry(int partition, long offset, long micros, String error, String message) {
        static Entry failed(String error, String message) {
            return new Entry(-1, -1, 0, error, message);
        }
    }

    /**
     * Appends a partition's messages in request order, {@link RecordLimits#MAX_BATCH_RECORDS} at a time, each batch
     * all or nothing; a batch that fails fails its messages and every later one of the partition (their order must
     * hold), with the store's reason ({@code TooManyRequests} for a full partition: the producer may retry them).
     */
    private CompletionStage<Void> appendPartition(OciStreams.Target target, int partition, List<Integer> indexes,
            int from, List<Put> puts, Entry[] entries) {
        if (from >= indexes.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int to = Math.min(indexes.size(), from + RecordLimits.MAX_BATCH_RECORDS);
        List<AppendRecord> records = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            Put put = puts.get(indexes.get(i));
            AppendRecord record = AppendRecord.of(put.value());
            records.add(put.key() == null ? record : record.withKey(put.key()));
        }
        return target.pool().appendBatch(target.name(), partition, AppendBatch.of(records))
                .handle((AppendResult result, Throwable error) -> {
                    if (error != null) {
                        Throwable cause = OciErrorTable.unwrap(error);
                        OciException mapped = OciErrorTable.of(cause);
                        String code = cause instanceof StreamFullException ? OciException.TOO_MANY_REQUESTS
                                : mapped != null ? mapped.code() : OciException.INTERNAL;
                        String message = mapped != null ? mapped.getMessage() : "internal error ("
                                + cause.getClass().getSimpleName() + "); see the daemon's log";
                        for (int i = from; i < indexes.size(); i++) {
                            entries[indexes.get(i)] = Entry.failed(code, message);
                        }
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    for (int i = from; i < to; i++) {
                        entries[indexes.get(i)] = new Entry(partition, result.firstSequence() + (i - from),
                                i == to - 1 ? result.lastTimestampMicros() : result.firstTimestampMicros(), null, null);
                    }
                    return appendPartition(target, partition, indexes, to, puts, entries);
                }).thenCompose(stage -> stage);
    }

    /**
     * PutMessages' body read as it streams (no tree): the messages in order, each checked, the whole refused at the
     * first message that breaks a request limit. Keys and values are decoded by the JDK's base64 decoder (standard
     * alphabet, padding optional), which measured twice as fast as Jackson's {@code getBinaryValue} on 1 KiB values.
     *
     * @throws OciException 400 naming the message, the field and the limit
     */
    static List<Put> decodePuts(HttpCall call) {
        List<Put> puts = new ArrayList<>();
        boolean seen = false;
        long total = 0;
        try (JsonParser p = BodyCodecs.jsonFactory().createParser(call.bodyStream())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new OciException(400, OciException.CANNOT_PARSE, "the request body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken token = p.nextToken();
                if (!field.equals("messages") || token == JsonToken.VALUE_NULL) {
                    p.skipChildren();
                    continue;
                }
                if (token != JsonToken.START_ARRAY) {
                    throw OciException.invalid("messages must be a non-empty array of {key, value}");
                }
                seen = true;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int i = puts.size();
                    if (i == MAX_MESSAGES) {
                        throw OciException.invalid("messages has more than " + MAX_MESSAGES + " entries; a"
                                + " PutMessages request may carry at most " + MAX_MESSAGES);
                    }
                    Put put = decodePut(p, i);
                    total += put.value().length + (put.key() == null ? 0 : put.key().length);
                    if (total > MAX_REQUEST_BYTES) {
                        throw OciException.invalid("messages[0.." + i + "] carry " + total + " bytes of keys and"
                                + " values (decoded); a PutMessages request may carry at most " + MAX_REQUEST_BYTES
                                + " bytes");
                    }
                    puts.add(put);
                }
            }
        } catch (JsonProcessingException e) {
            throw new OciException(400, OciException.CANNOT_PARSE, "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!seen) {
            throw OciException.missing("messages");
        }
        if (puts.isEmpty()) {
            throw OciException.invalid("messages must be a non-empty array of {key, value}");
        }
        return puts;
    }

    private static Put decodePut(JsonParser p, int index) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw OciException.invalid("messages[" + index + "] must be an object {key, value}");
        }
        byte[] key = null;
        byte[] value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            if (!field.equals("key") && !field.equals("value") || token == JsonToken.VALUE_NULL) {
                p.skipChildren();
                continue;
            }
            if (token != JsonToken.VALUE_STRING) {
                throw OciException.invalid("messages[" + index + "]." + field + " must be a base64 string");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(p.getText());
            } catch (IllegalArgumentException e) {
                throw OciException.invalid("messages[" + index + "]." + field + " is not valid base64: "
                        + e.getMessage());
            }
            if (field.equals("key")) {
                key = bytes;
            } else {
                value = bytes;
            }
        }
        if (value == null) {
            throw OciException.missing("messages[" + index + "].value");
        }
        String problem = key != null && key.length > RecordLimits.MAX_KEY_BYTES ? "the key is " + key.length
                + " bytes; the limit is " + RecordLimits.MAX_KEY_BYTES : null;
        return new Put(key, value, problem);
    }

    // ------------------------------------------------------------------------------------------ cursors

    static final List<String> CURSOR_TYPES = List.of("AFTER_OFFSET", "AT_OFFSET", "AT_TIME", "LATEST",
            "TRIM_HORIZON");

    CompletionStage<HttpReply> createCursor(HttpCall call, String id) {
        OciStreams.Target target = streams.resolve(id, call, Permission.READ);
        ObjectNode body = OciRequestDecoder.body(call);
        String partitionText = OciRequestDecoder.string(body, "partition", 16);
        String type = OciRequestDecoder.oneOf("type", OciRequestDecoder.string(body, "type", 32), CURSOR_TYPES);
        java.util.Optional<Long> offset = OciRequestDecoder.optLong(body, "offset", 0, Long.MAX_VALUE);
        java.util.Optional<Instant> time = OciRequestDecoder.optTime(body, "time");
        return streams.find(target).thenApply(stream -> {
            int partition = partition(partitionText, stream.partitions().size());
            StreamInfo info = stream.partitions().get(partition).info();
            long position = switch (type) {
                case "TRIM_HORIZON" -> info.oldestSequenceNumber();
                case "LATEST" -> info.newestSequenceNumber() + 1;
                case "AT_TIME" -> stream.partitions().get(partition).seekTime(micros(time.orElseThrow(() ->
                        OciException.missing("time (with type AT_TIME)"))));
                default -> {
                    long at = offset.orElseThrow(() -> OciException.missing("offset (with type " + type + ")"));
                    if (at > info.newestSequenceNumber() + (type.equals("AT_OFFSET") ? 1 : 0)) {
                        throw OciException.invalid("offset " + at + " is beyond the end of partition " + partition
                                + ": its newest offset is " + info.newestSequenceNumber());
                    }
                    yield Math.max(info.oldestSequenceNumber(), type.equals("AT_OFFSET") ? at : at + 1);
                }
            };
            String cursor = cursors.issue(new OciCursors.PartitionCursor(stream.cursorTarget(), partition, position));
            return OciResponseEncoder.json(200, out -> {
                out.writeStartObject();
                out.writeStringField("value", cursor);
                out.writeEndObject();
            });
        });
    }

    static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1000L);
    }

    static int partition(String text, int partitions) {
        if (!text.matches("0|[1-9][0-9]{0,4}") || Integer.parseInt(text) >= partitions) {
            throw OciException.invalid("partition \"" + OciRequestDecoder.clipText(text) + "\" does not exist: the"
                    + " stream has partitions \"0\" to \"" + (partitions - 1) + "\"");
        }
        return Integer.parseInt(text);
    }

    // ------------------------------------------------------------------------------------------ get

    /** Reads a partition cursor's messages: the stream was found and matches the cursor. */
    CompletionStage<HttpReply> getMessages(OciStreams.Stream stream, OciCursors.PartitionCursor at, int limit) {
        if (at.partition() >= stream.partitions().size()) {
            throw OciException.invalid("the cursor names partition " + at.partition() + ", which the stream does not"
                    + " have");
        }
        return read(stream.partitions().get(at.partition()), at.position(), limit, MAX_GET_BYTES.bytes())
                .thenApply(messages -> {
                    long next = messages.isEmpty() ? Math.max(at.position(), 0)
                            : messages.get(messages.size() - 1).sequenceNumber() + 1;
                    String cursor = cursors.issue(new OciCursors.PartitionCursor(at.target(), at.partition(), next));
                    return messagesReply(stream, List.of(new Batch(at.partition(), messages)), cursor);
                });
    }

    /** Messages of one partition. */
    record Batch(int partition, List<Message> messages) {
    }

    /** Up to {@code limit} messages from {@code from} (or the oldest, if those are gone), answered at once. */
    static CompletionStage<List<Message>> read(MessageStream partition, long from, int limit, long maxBytes) {
        StreamInfo info = partition.info();
        long start = Math.max(from, info.oldestSequenceNumber());
        if (start > info.newestSequenceNumber() || limit < 1) {
            return CompletableFuture.completedFuture(List.of());
        }
        ReadRequest read = new ReadRequest(start, 1, limit, Duration.ZERO, DataSize.ofBytes(Math.max(1, maxBytes)),
                MESSAGE_OVERHEAD);
        return partition.read(read).handle((messages, error) -> {
            if (error == null) {
                return messages;
            }
            if (OciErrorTable.unwrap(error) instanceof NotEnoughMessagesException) {
                return List.<Message>of();
            }
            throw error instanceof java.util.concurrent.CompletionException ce ? ce
                    : new java.util.concurrent.CompletionException(error);
        });
    }

    static HttpReply messagesReply(OciStreams.Stream stream, List<Batch> batches, String nextCursor) {
        String name = stream.target().name().value();
        return HttpReply.written(200, OciResponseEncoder.JSON, out -> new MessagesWriter(out).write(name, batches))
                .header("opc-next-cursor", nextCursor);
    }
}
