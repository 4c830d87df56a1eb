package io.github.edgestream.core.stream.internal.memory;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.RecordLimits;
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
    private volatile long newestTimestamp = Long.MIN_VALUE;
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
    public long newestTimestampMicros() {
        return newestTimestamp;
    }

    @Override
    public boolean isSealed() {
        return sealed;
    }

    @Override
    public void append(long sequence, long ingestTimeMillis, long timestampMicros, AppendRecord record,
            boolean batchContinues) {
        if (sealed) {
            throw new IllegalStateException("segment at " + base + " is sealed");
        }
        int index = count;
        if (sequence != base + index) {
            throw new IllegalStateException("append of " + sequence + " to a segment expecting " + (base + index));
        }
        ByteBuffer payload = record.payload();
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        byte[] key = record.key().length == 0 ? Message.NO_KEY : record.key().clone();
        List<Header> headers = record.headers().isEmpty() ? List.of() : record.headers().stream()
                .map(header -> new Header(header.name().clone(), header.value().clone())).toList();
        Message message = new Message(sequence, ingestTimeMillis, timestampMicros, key, headers, copy);
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
        current[chunk][index & CHUNK_MASK] = message;
        sizeBytes += RecordFormat.recordSize(message);
        newestIngestTime = ingestTimeMillis;
        newestTimestamp = timestampMicros;
        count = index + 1;
    }

    @Override
    public void rollBack(Mark mark) {
        count = (int) (mark.next() - base);
        sizeBytes = mark.sizeBytes();
        newestIngestTime = mark.newestIngestTimeMillis();
        newestTimestamp = mark.newestTimestampMicros();
        sealed = true;
    }

    @Override
    public long seekTime(long timestampMicros, long end) {
        Message[][] current = chunks;
        long low = base;
        long high = Math.min(end, base + count);
        while (low < high) {
            long middle = (low + high) >>> 1;
            int index = (int) (middle - base);
            if (current[index >>> CHUNK_SHIFT][index & CHUNK_MASK].timestampMicros() < timestampMicros) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
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
            if (!budget.take(message.payload().length + (int) RecordLimits.extraSize(message.key(),
                    message.headers()))) {
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
