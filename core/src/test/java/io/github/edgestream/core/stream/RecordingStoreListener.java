package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link StoreListener} that remembers what it heard, for assertions. Thread-safe. */
public final class RecordingStoreListener implements StoreListener {

    public record Eviction(StreamName stream, EvictionReason reason, long first, long last, DataSize size) {
    }

    public record Loss(StreamName stream, long first, long last, String cause) {
    }

    private final List<Eviction> evictions = new CopyOnWriteArrayList<>();
    private final List<Loss> losses = new CopyOnWriteArrayList<>();
    private final List<String> catalogEvents = new CopyOnWriteArrayList<>();

    @Override
    public void onStreamCreated(StreamDefinition definition) {
        catalogEvents.add("created " + definition.name() + " " + definition.strategyOnFull());
    }

    @Override
    public void onStreamUpdated(StreamDefinition definition) {
        catalogEvents.add("updated " + definition.name() + " " + definition.strategyOnFull());
    }

    @Override
    public void onStreamDeleted(StreamName stream) {
        catalogEvents.add("deleted " + stream);
    }

    /** "created NAME STRATEGY", "updated NAME STRATEGY", "deleted NAME", in order. */
    public List<String> catalogEvents() {
        return List.copyOf(catalogEvents);
    }

    @Override
    public void onEvicted(StreamName stream, EvictionReason reason, long first, long last, DataSize size) {
        evictions.add(new Eviction(stream, reason, first, last, size));
    }

    @Override
    public void onDataLoss(StreamName stream, long first, long last, String cause) {
        losses.add(new Loss(stream, first, last, cause));
    }

    public List<Eviction> evictions() {
        return List.copyOf(evictions);
    }

    public List<Loss> losses() {
        return List.copyOf(losses);
    }
}
