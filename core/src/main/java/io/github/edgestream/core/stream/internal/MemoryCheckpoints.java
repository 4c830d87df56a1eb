package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.stream.Checkpoints;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Checkpoints of a memory stream: gone with the process, like its messages. Thread-safe. */
final class MemoryCheckpoints implements Checkpoints {

    private final Map<String, Map<String, String>> records = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Map<String, String>> load(String name) {
        return Optional.ofNullable(records.get(name));
    }

    @Override
    public void save(String name, Map<String, String> values) {
        records.put(name, Map.copyOf(values));
    }

    @Override
    public void delete(String name) {
        records.remove(name);
    }

    @Override
    public List<String> names() {
        return List.copyOf(records.keySet());
    }
}
