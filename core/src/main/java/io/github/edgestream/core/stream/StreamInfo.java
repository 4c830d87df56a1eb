package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamDefinition;

/**
 * A consistent snapshot of one stream's state.
 *
 * <p>For a stream that never had a message: oldest 0, newest -1, size 0. After retention removed everything:
 * oldest = newest + 1. In general the stream holds {@code newest - oldest + 1} sequence numbers (fewer messages only
 * if damage was found and skipped).
 *
 * @param definition             the definition in force
 * @param oldestSequenceNumber   the first message a read can return
 * @param newestSequenceNumber   the last appended message; -1 if none ever was
 * @param totalSize              bytes held: every payload plus a fixed per-message overhead, equal for file and memory
 *                               streams ({@code >=} the sum of payloads)
 * @param segmentCount           segments held, including the one being written
 * @param appendedMessages       messages appended since the store was opened (for rates and metrics)
 * @param appendedBytes          payload bytes appended since the store was opened
 */
public record StreamInfo(
        StreamDefinition definition,
        long oldestSequenceNumber,
        long newestSequenceNumber,
        DataSize totalSize,
        int segmentCount,
        long appendedMessages,
        long appendedBytes) {
}
