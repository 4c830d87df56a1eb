package io.github.edgestream.core.stream.internal.memory;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.internal.ReadBudget;
import io.github.edgestream.core.stream.internal.RecordFormat;
import io.github.edgestream.core.stream.internal.Segment;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A segment held in the heap: messages in an array of fixed-size chunks, so that appending never copies what is
 * already stored and readers never see a half-grown array.
 *
 * <p>One appender, many readers (see {@link Segment}). The appender writes a slot, then publishes it by a volatile
 * write of {@code count}; readers read {@code count} first and never look past it, so they see complete messages
 * without locking.
 */
final class MemorySegment implements Segment {

    private static final int CHUNK_SHIFT = 10;
    private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;

    private final long base;
    private volatile Message[][] chunks = new Message[4][];
    private volatile int count;
    private volatile long sizeBytes;
    private volatile long newestIngestTime = Long.MIN_VALUE;
    private volatile boolean sealed;

    MemorySegment(long base) {
        this.base = base;
    }

    @Override
    public long baseSequence() {
        return base;
    }

    @Override
    public long nextSequence() {
        return base + count;
    }

    @Override
    public long readableEnd() {
        return nextSequence();
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public long newestIngestTimeMillis() {
        return newestIngestTime;
    }

    @Override
    public boolean isSealed() {
        return sealed;
    }

    @Override
    public void append(long sequence, long ingestTimeMillis, ByteBuffer payload) {
        if (sealed) {
            throw new IllegalStateException("segment at " + base + " is sealed");
        }
        int index = count;
        if (sequence != base + index) {
            throw new IllegalStateException("append of " + sequence + " to a segment expecting " + (base + index));
        }
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        Message[][] current = chunks;
        int chunk = index >>> CHUNK_SHIFT;
        if (chunk == current.length) {
            Message[][] grown = new Message[current.length * 2][];
            System.arraycopy(current, 0, grown, 0, current.length);
            chunks = grown;
            current = grown;
        }
        if (current[chunk] == null) {
            current[chunk] = new Message[CHUNK_SIZE];
        }
        current[chunk][index & CHUNK_MASK] = new Message(sequence, ingestTimeMillis, copy);
        sizeBytes += RecordFormat.recordSize(copy.length);
        newestIngestTime = ingestTimeMillis;
        count = index + 1;
    }

    @Override
    public void flush() {
        // nothing is on disk
    }

    @Override
    public void seal() {
        sealed = true;
    }

    @Override
    public void read(long from, long to, ReadBudget budget, List<Message> sink) {
        int available = count;
        Message[][] current = chunks;
        long last = Math.min(to, base + available - 1);
        for (long sequence = from; sequence <= last; sequence++) {
            int index = (int) (sequence - base);
            Message message = current[index >>> CHUNK_SHIFT][index & CHUNK_MASK];
            if (!budget.take(message.payload().length)) {
                return;
            }
            sink.add(message);
        }
    }

    @Override
    public String toString() {
        return "MemorySegment[" + base + ".." + (nextSequence() - 1) + ", " + sizeBytes + " bytes]";
    }
}
