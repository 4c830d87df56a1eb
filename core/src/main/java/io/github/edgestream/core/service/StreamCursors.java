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

    /** The consumer groups over a stream of one partition. */
    public ConsumerGroups groups(MessageStream stream) {
        return readers(stream, 1).groups();
    }

    /**
     * The consumer groups over the {@code partitions} partitions of a stream, kept with its partition 0
     * ({@code holder}): one group spans every partition (OCI's reservations are per partition).
     */
    public ConsumerGroups groups(MessageStream holder, int partitions) {
        return readers(holder, partitions).groups();
    }

    private synchronized Readers readers(MessageStream stream) {
        return readers(stream, 1);
    }

    private synchronized Readers readers(MessageStream stream, int partitions) {
        Readers existing = readers.get(stream);
        if (existing != null && existing.groups().partitions() == partitions) {
            return existing;
        }
        CursorStore cursors = existing != null ? existing.cursors() : new CursorStore(stream.checkpoints(), clock);
        Readers made = new Readers(cursors, new ConsumerGroups(cursors, partitions));
        readers.put(stream, made);
        return made;
    }
}
