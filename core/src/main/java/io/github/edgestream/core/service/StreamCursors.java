package io.github.edgestream.core.service;

import io.github.edgestream.core.cursor.ConsumerGroups;
import io.github.edgestream.core.cursor.CursorStore;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StreamNotFoundException;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.HashMap;
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

    /** One stream's cursor store, and its consumer groups by the number of partitions they span. */
    private record Readers(CursorStore cursors, Map<Integer, ConsumerGroups> groups) {
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
        return groups(stream, 1);
    }

    /**
     * The consumer groups over the {@code partitions} partitions of a stream, kept with its partition 0
     * ({@code holder}): one group spans every partition (OCI's reservations are per partition). They share the
     * holder's one cursor store, so a consumer cursor and a group cannot race for a name.
     */
    public synchronized ConsumerGroups groups(MessageStream holder, int partitions) {
        Readers readers = readers(holder);
        return readers.groups().computeIfAbsent(partitions, n -> new ConsumerGroups(readers.cursors(), n));
    }

    /**
     * The stream's readers, made once: its cursor store bounds positions by the stream's next sequence number and
     * records them as issued (see {@link CursorStore#CursorStore(io.github.edgestream.core.stream.Checkpoints,
     * Clock, java.util.function.LongSupplier)}).
     */
    private synchronized Readers readers(MessageStream stream) {
        return readers.computeIfAbsent(stream, s -> {
            // the value must not hold its key strongly, or the weak map would never let a deleted stream go
            WeakReference<MessageStream> handle = new WeakReference<>(s);
            StreamName name = s.name();
            return new Readers(new CursorStore(s.checkpoints(), clock, () -> {
                MessageStream current = handle.get();
                if (current == null) {
                    throw new StreamNotFoundException(name, "it was deleted");
                }
                return current.info().newestSequenceNumber() + 1;
            }), new HashMap<>());
        });
    }
}
