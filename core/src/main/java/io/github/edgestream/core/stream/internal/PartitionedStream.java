package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.Checkpoints;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.PartitionedStreamException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StreamInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A partitioned stream as a whole, as {@code StreamStore.find} returns it: it describes the stream (definition, and
 * an {@link #info} summed over the partitions) and refuses every read and write with
 * {@link PartitionedStreamException}, because records live in the partitions, each numbered on its own.
 *
 * <p>Thread-safe (it holds only the partitions' handles).
 */
final class PartitionedStream implements MessageStream {

    private final List<LogStream> partitions;

    PartitionedStream(List<LogStream> partitions) {
        this.partitions = List.copyOf(partitions);
    }

    List<LogStream> partitions() {
        return partitions;
    }

    private PartitionedStreamException refused(String operation) {
        return new PartitionedStreamException(name(), partitions.size(), operation);
    }

    @Override
    public StreamName name() {
        return partitions.get(0).name();
    }

    @Override
    public StreamDefinition definition() {
        return partitions.get(0).definition();
    }

    /** Partition 0's checkpoints (the stream as a whole has none of its own). */
    @Override
    public Checkpoints checkpoints() {
        return partitions.get(0).checkpoints();
    }

    @Override
    public CompletionStage<Long> appendAsync(ByteBuffer payload) {
        return CompletableFuture.failedFuture(refused("an append"));
    }

    @Override
    public CompletionStage<AppendResult> appendBatchAsync(AppendBatch batch) {
        return CompletableFuture.failedFuture(refused("an append"));
    }

    @Override
    public CompletionStage<List<Message>> read(ReadRequest request) {
        return CompletableFuture.failedFuture(refused("a read"));
    }

    @Override
    public String fence(String token, Optional<String> expectedCurrent) {
        throw refused("a fence");
    }

    @Override
    public String fencingToken() {
        throw refused("a fencing token");
    }

    @Override
    public long trim(long sequenceNumber) {
        throw refused("a trim");
    }

    @Override
    public long seekTime(long timestampMicros) {
        throw refused("a seek");
    }

    @Override
    public long newestTimestampMicros() {
        return partitions.stream().mapToLong(LogStream::newestTimestampMicros).max().orElse(Long.MIN_VALUE);
    }

    /**
     * Sizes, segments and append counts summed over the partitions. Sequence numbers are per partition, so as a
     * whole: oldest 0, and newest one less than the count of numbers all partitions handed out.
     */
    @Override
    public StreamInfo info() {
        long bytes = 0;
        int segments = 0;
        long numbered = 0;
        long appendedMessages = 0;
        long appendedBytes = 0;
        for (LogStream partition : partitions) {
            StreamInfo info = partition.info();
            bytes += info.totalSize().bytes();
            segments += info.segmentCount();
            numbered += info.newestSequenceNumber() + 1;
            appendedMessages += info.appendedMessages();
            appendedBytes += info.appendedBytes();
        }
        return new StreamInfo(definition(), 0, numbered - 1, DataSize.ofBytes(bytes), segments, appendedMessages,
                appendedBytes);
    }

    @Override
    public String toString() {
        return "PartitionedStream[" + name() + ", " + partitions.size() + " partitions]";
    }
}
