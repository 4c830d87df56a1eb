package io.github.edgestream.core.service;

import io.github.edgestream.core.cursor.ConsumerGroups;
import io.github.edgestream.core.cursor.CursorStore;
import io.github.edgestream.core.stream.MessageStream;
import java.time.Clock;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The one {@link CursorStore} and {@link ConsumerGroups} of each stream, as {@code CursorStore} requires (its
 * compare-and-set is serialised per instance). Keyed by the stream's handle, which stays bound to the stream it was
 * obtained for: a stream deleted and created again gets new ones (its cursors went with it), and the old ones are
 * dropped once nothing holds the old handle.
 *
 * <p>Thread-safe: lookups are synchronized (cheap: one map access).
 */
public final class StreamCursors {

    private record Readers(CursorStore cursors, ConsumerGroups groups) {
    }

    private final Clock clock;
    private final Map<MessageStream, Readers> readers = new WeakHashMap<>();

    public StreamCursors(Clock clock) {
        this.clock = clock;
    }

    /** The stream's cursors. */
    public CursorStore cursors(MessageStream stream) {
        return readers(stream).cursors();
    }

    /** The stream's consumer groups (one partition per stream until streams have partitions). */
    public ConsumerGroups groups(MessageStream stream) {
        return readers(stream).groups();
    }

    private synchronized Readers readers(MessageStream stream) {
        return readers.computeIfAbsent(stream, s -> {
            CursorStore cursors = new CursorStore(s.checkpoints(), clock);
            return new Readers(cursors, new ConsumerGroups(cursors, 1));
        });
    }
}
