package io.github.edgestream.api.kinesis;

import io.github.edgestream.api.kinesis.KinesisRequestDecoder.Body;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.PartitionRouter;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.http.HttpCall;
import io.github.edgestream.http.HttpReply;
import io.github.edgestream.http.auth.Permission;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The data-plane operations: PutRecord, PutRecords, GetShardIterator, GetRecords. A record's partition key is
 * stored as its key, its arrival time as its timestamp; a shard is a partition of the stream.
 */
final class RecordOperations {

    /** AWS's limits. */
    static final int MAX_RECORD_BYTES = 1 << 20;
    static final int MAX_PUT_RECORDS = 500;
    static final long MAX_PUT_RECORDS_BYTES = 5L << 20;
    static final int MAX_PARTITION_KEY_LENGTH = 256;
    static final int MAX_GET_RECORDS = 10_000;
    static final DataSize MAX_GET_RECORDS_BYTES = DataSize.ofMebibytes(10);
    /** What a record costs in a GetRecords answer besides its data: sequence number, time, key, field names. */
    private static final int RECORD_OVERHEAD = 128;

    private static final Pattern HASH_KEY = Pattern.compile("0|[1-9]\\d{0,38}");
    private static final Pattern SEQUENCE = Pattern.compile("0|[1-9]\\d{0,128}");
    private static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private final KinesisStreams streams;
    private final ShardIterators iterators;
    private final Clock clock;

    RecordOperations(KinesisStreams streams, ShardIterators iterators, Clock clock) {
        this.streams = streams;
        this.iterators = iterators;
        this.clock = clock;
    }

    /** A decoded record and the shard it goes to (once the stream's shard count is known). */
    private record Put(byte[] partitionKey, BigInteger explicitHashKey, byte[] data) {
        int shard(PartitionRouter router) {
            return explicitHashKey != null ? router.partitionOfHashKey(explicitHashKey)
                    : router.partitionOf(partitionKey);
        }

        AppendRecord record() {
            return AppendRecord.of(data).withKey(partitionKey);
        }
    }

    private static Put decodePut(Body record) {
        return checkPut(record, record.string("PartitionKey", 1, MAX_PARTITION_KEY_LENGTH), record.blob("Data"),
                record.optString("ExplicitHashKey"));
    }

    /** A record of PutRecords' fast path, checked by the same rules. */
    private static Put decodePut(Body request, int index, KinesisRequestDecoder.RawRecord raw) {
        request.length("Records." + (index + 1) + ".PartitionKey", raw.partitionKey(), 1, MAX_PARTITION_KEY_LENGTH);
        return checkPut(request, raw.partitionKey(), raw.data(), java.util.Optional.ofNullable(raw.explicitHashKey()));
    }

    private static Put checkPut(Body record, String key, byte[] data, java.util.Optional<String> explicitHashKey) {
        if (data.length > MAX_RECORD_BYTES) {
            throw KinesisException.validation("Data", "(" + data.length + " bytes)", "Member must have length less"
                    + " than or equal to " + MAX_RECORD_BYTES);
        }
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        if (data.length + keyBytes.length > MAX_RECORD_BYTES) {
            throw KinesisException.invalid("the record's data (" + data.length + " bytes) and partition key ("
                    + keyBytes.length + " bytes) together exceed " + MAX_RECORD_BYTES + " bytes");
        }
        BigInteger hashKey = explicitHashKey.map(text -> {
            if (!HASH_KEY.matcher(text).matches()) {
                throw KinesisException.validation("ExplicitHashKey", text, "Member must satisfy regular expression"
                        + " pattern: 0|([1-9]\\d{0,38})");
            }
            BigInteger value = new BigInteger(text);
            if (value.compareTo(MAX_HASH_KEY) > 0) {
                throw KinesisException.invalid("ExplicitHashKey " + text + " is beyond 2^128 - 1");
            }
            return value;
        }).orElse(null);
        return new Put(keyBytes, hashKey, data);
    }

    CompletionStage<HttpReply> putRecord(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.WRITE);
        Put put = decodePut(body);
        body.optString("SequenceNumberForOrdering").ifPresent(text -> {
            if (!SEQUENCE.matcher(text).matches()) {
                throw KinesisException.validation("SequenceNumberForOrdering", text, "Member must satisfy regular"
                        + " expression pattern: 0|([1-9]\\d{0,128})");
            }
        });
        return streams.service.describe(name).thenCompose(description -> {
            int shard = put.shard(KinesisStreams.router(description.info().definition()));
            return streams.service.appendBatch(name, shard, AppendBatch.of(put.record()))
                    .thenApply(result -> KinesisResponseEncoder.ok(body.format(), out -> {
                        out.string("ShardId", KinesisStreams.shardId(shard));
                        out.string("SequenceNumber", SequenceNumbers.format(shard, result.firstSequence()));
                    }));
        });
    }

    CompletionStage<HttpReply> putRecords(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.WRITE);
        List<Put> puts = new ArrayList<>(MAX_PUT_RECORDS);
        if (body.rawRecords() != null) {
            for (int i = 0; i < body.rawRecords().size(); i++) {
                puts.add(decodePut(body, i, body.rawRecords().get(i)));
            }
        } else {
            for (Body record : body.objects("Records", MAX_PUT_RECORDS)) {
                puts.add(decodePut(record));
            }
        }
        if (puts.isEmpty()) {
            throw KinesisException.validation("records", "[]", "Member must have length greater than or equal to 1");
        }
        long total = 0;
        for (Put put : puts) {
            total += put.data().length + put.partitionKey().length;
        }
        if (total > MAX_PUT_RECORDS_BYTES) {
            throw KinesisException.invalid("Records size exceeds 5 MB limit: the records' data and partition keys"
                    + " are " + total + " bytes, the limit is " + MAX_PUT_RECORDS_BYTES);
        }
        return streams.service.describe(name).thenCompose(description -> {
            StreamDefinition definition = description.info().definition();
            PartitionRouter router = KinesisStreams.router(definition);
            int[] shardOf = new int[puts.size()];
            List<List<Integer>> byShard = new ArrayList<>();
            for (int s = 0; s < definition.partitions(); s++) {
                byShard.add(new ArrayList<>());
            }
            for (int i = 0; i < puts.size(); i++) {
                shardOf[i] = puts.get(i).shard(router);
                byShard.get(shardOf[i]).add(i);
            }
            String[] sequence = new String[puts.size()];
            KinesisException[] failure = new KinesisException[puts.size()];
            List<CompletableFuture<Void>> appends = new ArrayList<>();
            for (int shard = 0; shard < byShard.size(); shard++) {
                List<Integer> indexes = byShard.get(shard);
                if (!indexes.isEmpty()) {
                    appends.add(appendShard(name, shard, indexes, puts, sequence, failure).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).thenApply(done -> {
                int failed = 0;
                for (KinesisException e : failure) {
                    failed += e == null ? 0 : 1;
                }
                int failedCount = failed;
                return KinesisResponseEncoder.ok(body.format(), out -> {
                    out.gen.writeNumberField("FailedRecordCount", failedCount);
                    out.gen.writeArrayFieldStart("Records");
                    for (int i = 0; i < puts.size(); i++) {
                        out.gen.writeStartObject();
                        if (failure[i] == null) {
                            out.string("SequenceNumber", sequence[i]);
                            out.string("ShardId", KinesisStreams.shardId(shardOf[i]));
                        } else {
                            out.string("ErrorCode", failure[i].type());
                            out.string("ErrorMessage", failure[i].getMessage());
                        }
                        out.gen.writeEndObject();
                    }
                    out.gen.writeEndArray();
                });
            });
        });
    }

    /**
     * Appends one shard's records of a PutRecords as one batch (all or nothing, in request order). If the shard is
     * full (or the batch is larger than the shard may ever hold), it fills what fits one record at a time and fails
     * the rest with ProvisionedThroughputExceededException, as AWS fails the records beyond a shard's throughput, so
     * that producers retry them; any other failure fails the whole request.
     */
    private CompletionStage<Void> appendShard(StreamName name, int shard, List<Integer> indexes, List<Put> puts,
            String[] sequence, KinesisException[] failure) {
        List<AppendRecord> records = new ArrayList<>(indexes.size());
        for (int index : indexes) {
            records.add(puts.get(index).record());
        }
        return streams.service.appendBatch(name, shard, AppendBatch.of(records)).handle((result, error) -> {
            if (error == null) {
                for (int i = 0; i < indexes.size(); i++) {
                    sequence[indexes.get(i)] = SequenceNumbers.format(shard, result.firstSequence() + i);
                }
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = unwrap(error);
            boolean batchDoesNotFit = cause instanceof PayloadTooLargeException && indexes.size() > 1;
            if (!(cause instanceof StreamFullException) && !batchDoesNotFit) {
                return CompletableFuture.<Void>failedFuture(error);
            }
            return oneByOne(name, shard, indexes, 0, puts, sequence, failure);
        }).thenCompose(stage -> stage);
    }

    private CompletionStage<Void> oneByOne(StreamName name, int shard, List<Integer> indexes, int from,
            List<Put> puts, String[] sequence, KinesisException[] failure) {
        if (from == indexes.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int index = indexes.get(from);
        return streams.service.appendBatch(name, shard, AppendBatch.of(puts.get(index).record()))
                .handle((result, error) -> {
                    if (error == null) {
                        sequence[index] = SequenceNumbers.format(shard, result.firstSequence());
                        return oneByOne(name, shard, indexes, from + 1, puts, sequence, failure);
                    }
                    Throwable cause = unwrap(error);
                    if (cause instanceof PayloadTooLargeException) {
                        // larger than the whole stream may hold: this record can never be stored; the next may
                        failure[index] = new KinesisException(KinesisErrorTable.INTERNAL_FAILURE, 500,
                                cause.getMessage());
                        return oneByOne(name, shard, indexes, from + 1, puts, sequence, failure);
                    }
                    if (!(cause instanceof StreamFullException)) {
                        return CompletableFuture.<Void>failedFuture(error);
                    }
                    KinesisException throttled = new KinesisException(KinesisErrorTable.THROUGHPUT_EXCEEDED,
                            "Rate exceeded for shard " + KinesisStreams.shardId(shard) + " in stream " + name.value()
                                    + ": the stream is full (" + unwrap(error).getMessage() + ")");
                    for (int i = from; i < indexes.size(); i++) {
                        failure[indexes.get(i)] = throttled;
                    }
                    return CompletableFuture.<Void>completedFuture(null);
                }).thenCompose(stage -> stage);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    CompletionStage<HttpReply> getShardIterator(Body body, HttpCall call) {
        StreamName name = streams.resolve(body, call, Permission.READ);
        String shardId = body.string("ShardId", 1, 128);
        String type = body.string("ShardIteratorType", 1, 32);
        String startingSequence = body.optString("StartingSequenceNumber").orElse(null);
        OptionalLong timestamp = body.optTimestampMicros("Timestamp");
        return streams.shards(name).thenApply(shards -> {
            int shard = streams.shardIndex("ShardId", shardId, name, shards.logs().size());
            MessageStream stream = shards.logs().get(shard);
            StreamInfo info = stream.info();
            long position = switch (type) {
                case "TRIM_HORIZON" -> info.oldestSequenceNumber();
                case "LATEST" -> info.newestSequenceNumber() + 1;
                case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
                    if (startingSequence == null) {
                        throw KinesisException.invalid("StartingSequenceNumber is required with " + type);
                    }
                    SequenceNumbers.Parsed parsed = SequenceNumbers.parse("StartingSequenceNumber", startingSequence);
                    if (parsed.shard() != shard || parsed.sequence() > info.newestSequenceNumber()) {
                        throw KinesisException.invalid("StartingSequenceNumber " + startingSequence + " used in"
                                + " GetShardIterator on shard " + shardId + " in stream " + name.value()
                                + " is invalid because it did not come from this stream and shard");
                    }
                    yield type.equals("AT_SEQUENCE_NUMBER") ? parsed.sequence() : parsed.sequence() + 1;
                }
                case "AT_TIMESTAMP" -> {
                    if (timestamp.isEmpty()) {
                        throw KinesisException.invalid("Timestamp is required with AT_TIMESTAMP");
                    }
                    // As Kinesis: a time after now is refused, not turned into LATEST.
                    long timestampMillis = Math.floorDiv(timestamp.getAsLong(), 1000L);
                    long now = clock.millis();
                    if (timestampMillis > now) {
                        throw KinesisException.invalid("The timestampInMillis parameter cannot be greater than the"
                                + " currentTimestampInMillis. timestampInMillis: " + timestampMillis
                                + ", currentTimestampInMillis: " + now);
                    }
                    yield stream.seekTime(timestamp.getAsLong());
                }
                default -> throw KinesisException.validation("shardIteratorType", type, "Member must satisfy enum"
                        + " value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST,"
                        + " AT_TIMESTAMP]");
            };
            String iterator = iterators.issue(name.value(), shard, position,
                    KinesisStreams.createdMillis(shards.definition()));
            return KinesisResponseEncoder.ok(body.format(), out -> out.string("ShardIterator", iterator));
        });
    }

    CompletionStage<HttpReply> getRecords(Body body, HttpCall call) {
        ShardIterators.Position at = iterators.read(body.optString("ShardIterator").orElseThrow(() ->
                KinesisException.validation("shardIterator", "null", "Member must not be null")));
        int limit = body.optInt("Limit", 1, MAX_GET_RECORDS).orElse(MAX_GET_RECORDS);
        StreamName name = StreamName.of(at.stream());
        call.principal().check(Permission.READ, Namespace.DEFAULT, name.value());
        return streams.shards(name).thenCompose(shards -> {
            MessageStream stream = at.shard() < shards.logs().size() ? shards.logs().get(at.shard()) : null;
            if (stream == null || KinesisStreams.createdMillis(shards.definition()) != at.streamCreatedMillis()) {
                throw KinesisException.notFound("Stream " + name.value() + " under account "
                        + streams.settings.accountId() + " not found: it was deleted since the iterator was issued");
            }
            StreamInfo info = stream.info();
            long from = Math.max(at.sequence(), info.oldestSequenceNumber());
            if (from > info.newestSequenceNumber()) {
                return CompletableFuture.completedFuture(records(body, at, List.of(), from, info));
            }
            ReadRequest read = new ReadRequest(from, 1, limit, Duration.ZERO, MAX_GET_RECORDS_BYTES,
                    RECORD_OVERHEAD);
            return stream.read(read).handle((messages, error) -> {
                if (error != null) {
                    if (unwrap(error) instanceof NotEnoughMessagesException) {
                        return records(body, at, List.of(), from, info);
                    }
                    throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                }
                long next = messages.isEmpty() ? from : messages.get(messages.size() - 1).sequenceNumber() + 1;
                return records(body, at, messages, next, info);
            });
        });
    }

    private HttpReply records(Body body, ShardIterators.Position at, List<Message> messages, long next,
            StreamInfo info) {
        String nextIterator = iterators.issue(at.stream(), at.shard(), next, at.streamCreatedMillis());
        long behind = next > info.newestSequenceNumber() || messages.isEmpty() ? 0
                : Math.max(0, clock.millis() - messages.get(messages.size() - 1).ingestTimeEpochMillis());
        return KinesisResponseEncoder.ok(body.format(), out -> {
            out.gen.writeArrayFieldStart("Records");
            for (Message message : messages) {
                out.gen.writeStartObject();
                out.string("SequenceNumber", SequenceNumbers.format(at.shard(), message.sequenceNumber()));
                out.timestampMillis("ApproximateArrivalTimestamp", message.ingestTimeEpochMillis());
                out.blob("Data", message.payload());
                out.string("PartitionKey", new String(message.key(), StandardCharsets.UTF_8));
                out.gen.writeEndObject();
            }
            out.gen.writeEndArray();
            out.string("NextShardIterator", nextIterator);
            out.gen.writeNumberField("MillisBehindLatest", behind);
        });
    }
}
