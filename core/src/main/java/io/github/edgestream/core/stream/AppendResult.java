package io.github.edgestream.core.stream;

/**
 * What an acknowledged batch got.
 *
 * @param firstSequence        sequence number of the batch's first record
 * @param nextSequence         one past its last record: the stream's tail right after the batch
 * @param firstTimestampMicros timestamp the first record was stored with
 * @param lastTimestampMicros  timestamp the last record was stored with
 */
public record AppendResult(long firstSequence, long nextSequence, long firstTimestampMicros,
        long lastTimestampMicros) {

    public int count() {
        return (int) (nextSequence - firstSequence);
    }
}
