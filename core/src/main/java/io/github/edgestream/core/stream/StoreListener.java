package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;

/**
 * Hears about streams created, updated and deleted, and about data the store removed or lost: for the export
 * runtime, metrics, status streams and tests. The store logs these events itself; a listener is optional.
 *
 * <p>Called synchronously on the thread that caused the event, possibly while the stream's append lock is held:
 * implementations must be quick, must not block and must not call back into the store. Exceptions are logged and
 * otherwise ignored.
 */
public interface StoreListener {

    StoreListener NONE = new StoreListener() {
    };

    /** A listener that passes every call to each of {@code listeners}, in order. */
    static StoreListener all(StoreListener... listeners) {
        java.util.List<StoreListener> list = java.util.List.of(listeners);
        return new StoreListener() {
            @Override
            public void onEvicted(StreamName stream, EvictionReason reason, long first, long last, DataSize size) {
                list.forEach(l -> l.onEvicted(stream, reason, first, last, size));
            }

            @Override
            public void onDataLoss(StreamName stream, long first, long last, String cause) {
                list.forEach(l -> l.onDataLoss(stream, first, last, cause));
            }

            @Override
            public void onStreamCreated(StreamDefinition definition) {
                list.forEach(l -> l.onStreamCreated(definition));
            }

            @Override
            public void onStreamUpdated(StreamDefinition definition) {
                list.forEach(l -> l.onStreamUpdated(definition));
            }

            @Override
            public void onStreamDeleted(StreamName stream) {
                list.forEach(l -> l.onStreamDeleted(stream));
            }

            @Override
            public StoreListener forNamespace(io.github.edgestream.core.model.Namespace namespace) {
                return all(list.stream().map(l -> l.forNamespace(namespace)).toArray(StoreListener[]::new));
            }
        };
    }

    /**
     * The listener of the streams of another namespace (an S2 basin, a ReductStore bucket): the store asks once per
     * namespace catalogue it opens (at open, or when the namespace is created) and tells it of that catalogue's
     * events; deleting a namespace reports each of its streams as deleted. {@link #NONE} by default: the status
     * writer hears of the default namespace only, the export runtime and the daemon's metrics of every namespace.
     * Called with the store's catalogue lock held: quick, and no call back into the store.
     */
    default StoreListener forNamespace(io.github.edgestream.core.model.Namespace namespace) {
        return NONE;
    }

    /** Messages {@code first..last} (inclusive, {@code size} bytes) were deleted by a retention policy. */
    default void onEvicted(StreamName stream, EvictionReason reason, long first, long last, DataSize size) {
    }

    /**
     * Messages {@code first..last} (inclusive) were found damaged or missing and cannot be read. {@code last} is -1
     * when the end of the damaged range could not be determined.
     */
    default void onDataLoss(StreamName stream, long first, long last, String cause) {
    }

    /** A stream was created (and is already visible to {@link StreamStore#find}). */
    default void onStreamCreated(StreamDefinition definition) {
    }

    /** A stream's definition was replaced. */
    default void onStreamUpdated(StreamDefinition definition) {
    }

    /** A stream was deleted, with its messages and checkpoints. */
    default void onStreamDeleted(StreamName stream) {
    }
}
