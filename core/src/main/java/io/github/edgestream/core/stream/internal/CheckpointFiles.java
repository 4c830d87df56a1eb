package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.stream.Checkpoints;
import io.github.edgestream.core.stream.StoreWriteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a file stream: one properties file per record in {@code <stream>/checkpoints/}, named like stream
 * directories (readable prefix + hash of the exact name, see {@link StreamDirectories}), holding the exact name
 * under the key {@code @name}. Saves write a temporary file, sync it and rename it over the old one, so a crash
 * leaves the old record or the new one. Thread-safe: a lock per record name orders concurrent saves of one name.
 */
final class CheckpointFiles implements Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);
    static final String DIRECTORY = "checkpoints";
    private static final String NAME_KEY = "@name";
    private static final String SUFFIX = ".properties";

    private final Path directory;
    private final Map<String, Object> locks = new HashMap<>();

    CheckpointFiles(Path streamDirectory) {
        this.directory = streamDirectory.resolve(DIRECTORY);
    }

    @Override
    public Optional<Map<String, String>> load(String name) {
        Path file = fileFor(name);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot read checkpoint {}: {}; treating it as absent", file, e.toString());
            return Optional.empty();
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
        values.remove(NAME_KEY);
        return Optional.of(values);
    }

    @Override
    public void save(String name, Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        properties.setProperty(NAME_KEY, name);
        synchronized (lockFor(name)) {
            try {
                Files.createDirectories(directory);
                AtomicFiles.writeProperties(fileFor(name), properties, null, true);
            } catch (IOException e) {
                throw new StoreWriteException("cannot save checkpoint \"" + name + "\" in " + directory + ": " + e, e);
            }
        }
    }

    @Override
    public void delete(String name) {
        synchronized (lockFor(name)) {
            try {
                Files.deleteIfExists(fileFor(name));
            } catch (IOException e) {
                throw new StoreWriteException("cannot delete checkpoint \"" + name + "\" in " + directory + ": " + e,
                        e);
            }
        }
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                String name = properties.getProperty(NAME_KEY);
                if (name != null) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.warn("cannot list checkpoints in {}: {}", directory, e.toString());
        }
        names.sort(null);
        return names;
    }

    private Path fileFor(String name) {
        return directory.resolve(StreamDirectories.safeFileName(name) + SUFFIX);
    }

    private synchronized Object lockFor(String name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }
}
