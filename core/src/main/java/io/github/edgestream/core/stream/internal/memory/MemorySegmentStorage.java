package io.github.edgestream.core.stream.internal.memory;

import io.github.edgestream.core.stream.internal.Segment;
import io.github.edgestream.core.stream.internal.SegmentStorage;
import java.util.List;

/** Segments in the heap. Nothing survives the process; recovery finds nothing. See {@link SegmentStorage}. */
public final class MemorySegmentStorage implements SegmentStorage {

    @Override
    public List<Segment> recover(DamageReport damage) {
        return List.of();
    }

    @Override
    public Segment create(long baseSequence) {
        return new MemorySegment(baseSequence);
    }

    @Override
    public void delete(Segment segment) {
        // dropping the last reference is enough
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public void release() {
        // nothing to release
    }
}
