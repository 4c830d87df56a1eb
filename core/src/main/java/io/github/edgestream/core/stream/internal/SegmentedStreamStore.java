package io.github.edgestream.core.stream.internal;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.CatalogRule;
import io.github.edgestream.core.stream.Checkpoints;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreLockedException;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.stream.internal.chronicle.ChronicleSegmentStorage;
import io.github.edgestream.core.stream.internal.memory.MemorySegmentStorage;
import io.github.edgestream.core.time.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StreamStore}: a catalogue of {@link LogStream}s, each over the segment storage of its persistence, in
 * the directory layout of {@link StreamDirectories}.
 *
 * <p>Thread-safe. {@code catalogLock} serialises create, update, delete and close (rare); lookups are lock-free.
 * Lock order: {@code catalogLock} before any stream's locks.
 */
public final class SegmentedStreamStore implements StreamStore {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedStreamStore.class);
    private static final String LOCK_FILE = "store.lock";
    private static final String CREATING = ".creating";
    private static final String DELETING = ".deleting";

    /**
     * @param stream     what {@link #find} returns: the only partition, or the {@link PartitionedStream} view
     * @param partitions partition {@code i} at index {@code i}
     */
    private record Entry(MessageStream stream, List<LogStream> partitions, Path directory) {
        static Entry of(List<LogStream> partitions, Path directory) {
            MessageStream whole = partitions.size() == 1 ? partitions.get(0) : new PartitionedStream(partitions);
            return new Entry(whole, List.copyOf(partitions), directory);
        }
    }

    private final StoreSettings settings;
    private final StoreServices services;
    private final StreamContext context;
    private final Path streamsRoot;
    /** Held by the store itself; null for a namespace's catalogue (its store holds the lock). */
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Namespace namespace;
    /** The namespace's attributes; empty for the default namespace. */
    private volatile Map<String, String> attributes = Map.of();
    /** The store's other namespaces (only the default namespace's catalogue, the store itself, has any). */
    private final ConcurrentHashMap<Namespace, SegmentedStreamStore> namespaces = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<StreamName, Entry> streams = new ConcurrentHashMap<>();
    private final ReentrantLock catalogLock = new ReentrantLock();
    /** Streams whose definition file {@link #loadStreams} rewrote in the current format; only used while opening. */
    private final List<StreamName> upgradedDefinitions = new ArrayList<>();
    private volatile boolean closed;
    private volatile Scheduler.Cancellable retentionTask;

    private SegmentedStreamStore(StoreSettings settings, StoreServices services, FileChannel lockChannel,
            FileLock lock) throws IOException {
        this.settings = settings;
        this.services = services;
        this.streamsRoot = settings.rootDirectory().resolve(StreamDirectories.STREAMS);
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.namespace = Namespace.DEFAULT;
        this.context = new StreamContext(settings, services,
                new DiskSpaceGuard(settings.rootDirectory(), settings.minFreeDiskSpace(), services.clock()));
    }

    /** The catalogue of a namespace other than the default, in {@code directory}, sharing its store's disk guard. */
    private SegmentedStreamStore(SegmentedStreamStore store, Namespace namespace, Path directory) {
        this.settings = store.settings;
        // the listener the store's listener gives for this namespace (the export runtime's follows every namespace;
        // and so does the daemon's metrics'; the status writer gives none)
        this.services = new StoreServices(store.services.clock(), store.services.scheduler(),
                store.services.executor(), namespaceListener(store.services.listener(), namespace));
        this.streamsRoot = directory.resolve(StreamDirectories.STREAMS);
        this.lockChannel = null;
        this.lock = null;
        this.namespace = namespace;
        this.context = new StreamContext(settings, services, store.context.disk());
    }

    private static StoreListener namespaceListener(StoreListener listener, Namespace namespace) {
        try {
            return java.util.Objects.requireNonNullElse(listener.forNamespace(namespace), StoreListener.NONE);
        } catch (RuntimeException e) {
            LOG.warn("the store listener failed to give a listener for namespace \"{}\"", namespace, e);
            return StoreListener.NONE;
        }
    }

    /** See {@link StreamStore#open}. */
    public static SegmentedStreamStore open(StoreSettings settings, StoreServices services) {
        long started = System.nanoTime();
        Path root = settings.rootDirectory();
        Path lockFile = root.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(root.resolve(StreamDirectories.STREAMS));
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException inThisProcess) {
                lock = null;
            }
            if (lock == null) {
                throw new StoreLockedException(lockFile);
            }
            SegmentedStreamStore store = new SegmentedStreamStore(settings, services, channel, lock);
            store.loadStreams();
            store.loadNamespaces();
            store.scheduleRetention();
            LOG.info("opened store {} with {} streams in {} ms", root, store.streams.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return store;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreWriteException("cannot open the store in " + root + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private void loadStreams() throws IOException {
        try (Stream<Path> entries = Files.list(streamsRoot)) {
            for (Path dir : (Iterable<Path>) entries::iterator) {
                String fileName = dir.getFileName().toString();
                if (!Files.isDirectory(dir) || fileName.endsWith(".quarantined")) {
                    continue;
                }
                if (fileName.contains(CREATING) || fileName.contains(DELETING)
                        || Files.exists(dir.resolve(StreamDirectories.DELETED_MARKER))) {
                    removeDirectory(dir);
                    continue;
                }
                loadStream(dir);
            }
        }
        if (!upgradedDefinitions.isEmpty()) {
            LOG.info("rewrote the definitions of {} streams from an older format as format {}: {}",
                    upgradedDefinitions.size(), StreamDirectories.FORMAT, upgradedDefinitions);
        }
    }

    /** The streams whose definition file this open rewrote in the current format (for tests). */
    List<StreamName> upgradedDefinitions() {
        return List.copyOf(upgradedDefinitions);
    }

    /** Opens one stream directory; a stream that cannot be opened is set aside, and the others open normally. */
    private void loadStream(Path dir) {
        StreamDirectories.Loaded loaded;
        try {
            loaded = StreamDirectories.readDefinition(dir);
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot read the stream definition in {}: {}; setting the directory aside", dir, e.toString());
            quarantine(dir);
            return;
        }
        StreamDefinition definition = loaded.definition();
        if (streams.containsKey(definition.name())) {
            LOG.error("{} defines stream \"{}\" again; setting it aside", dir, definition.name());
            quarantine(dir);
            return;
        }
        if (loaded.isOutdated()) {
            try {
                StreamDirectories.writeDefinition(dir, definition);
                upgradedDefinitions.add(definition.name());
            } catch (IOException e) {
                LOG.warn("cannot rewrite the definition in {} (format {}) as format {}: {}; it stays readable and"
                        + " the next open tries again", dir, loaded.format(), StreamDirectories.FORMAT, e.toString());
            }
        }
        try {
            streams.put(definition.name(), Entry.of(openPartitions(definition, dir), dir));
        } catch (RuntimeException e) {
            LOG.error("cannot open stream \"{}\" in {}; setting it aside", definition.name(), dir, e);
            quarantine(dir);
        }
    }

    /** Tells the listener about a catalogue change; its failures are logged and do not undo the change. */
    private void notifyListener(Consumer<StoreListener> event) {
        try {
            event.accept(context.services().listener());
        } catch (RuntimeException e) {
            LOG.warn("the store listener failed", e);
        }
    }

    /**
     * Opens every partition of a stream: partition 0 in the stream's directory (where a stream of one partition has
     * always lived), partition {@code i} in {@code partitions/<i>/} below it.
     */
    private List<LogStream> openPartitions(StreamDefinition definition, Path dir) {
        List<LogStream> partitions = new ArrayList<>(definition.partitions());
        try {
            for (int i = 0; i < definition.partitions(); i++) {
                Path partitionDir = StreamDirectories.partitionDirectory(dir, i);
                partitions.add(LogStream.open(definition, storageFor(definition, partitionDir),
                        checkpointsFor(definition, partitionDir), context));
            }
        } catch (RuntimeException e) {
            partitions.forEach(LogStream::close);
            throw e;
        }
        return partitions;
    }

    private static Checkpoints checkpointsFor(StreamDefinition definition, Path dir) {
        return definition.isFile() ? new CheckpointFiles(dir) : new MemoryCheckpoints();
    }

    private SegmentStorage storageFor(StreamDefinition definition, Path dir) {
        if (definition.isFile()) {
            return new ChronicleSegmentStorage(dir.resolve(StreamDirectories.SEGMENTS),
                    settings.maxMessageSize().bytes());
        }
        return new MemorySegmentStorage();
    }

    @Override
    public MessageStream create(StreamDefinition definition, CatalogRule rule) {
        catalogLock.lock();
        try {
            checkOpen();
            rule.check(definition, streams::containsKey);
            StreamName name = definition.name();
            if (streams.containsKey(name)) {
                throw new StreamAlreadyExistsException(name);
            }
            Path dir = StreamDirectories.directoryFor(streamsRoot, name);
            setAsideUnlessOpen(dir, name);
            Path creating = dir.resolveSibling(dir.getFileName() + CREATING);
            try {
                AtomicFiles.deleteRecursively(creating);
                Files.createDirectories(creating);
                StreamDirectories.writeDefinition(creating, definition);
                Files.move(creating, dir);
                AtomicFiles.syncDirectory(streamsRoot);
            } catch (IOException e) {
                try {
                    AtomicFiles.deleteRecursively(creating);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
                // memory streams too: their definitions are kept on disk, so that they exist again after a restart
                throw new StoreWriteException("cannot create stream \"" + name + "\": writing its definition to "
                        + dir + " failed: " + e.getMessage() + (e.getMessage() != null
                        && e.getMessage().contains("No space left") ? " (every stream, memory streams included,"
                        + " keeps its definition on disk so that it exists after a restart; free some space)" : ""),
                        e);
            }
            Entry entry = Entry.of(openPartitions(definition, dir), dir);
            streams.put(name, entry);
            LOG.info("created stream \"{}\": {}", name, definition);
            notifyListener(listener -> listener.onStreamCreated(definition));
            return entry.stream();
        } finally {
            catalogLock.unlock();
        }
    }

    @Override
    public Optional<MessageStream> find(StreamName name) {
        checkOpen();
        return Optional.ofNullable(streams.get(name)).map(Entry::stream);
    }

    @Override
    public List<MessageStream> partitions(StreamName name) {
        checkOpen();
        Entry entry = streams.get(name);
        if (entry == null) {
            throw new StreamNotFoundException(name);
        }
        return List.copyOf(entry.partitions());
    }

    @Override
    public MessageStream update(StreamDefinition definition, CatalogRule rule) {
        catalogLock.lock();
        try {
            checkOpen();
            rule.check(definition, streams::containsKey);
            Entry entry = streams.get(definition.name());
            if (entry == null) {
                throw new StreamNotFoundException(definition.name());
            }
            // partition 0 checks the rules and saves the definition; the others take it as it is (same rules)
            entry.partitions().get(0).update(definition, next -> {
                try {
                    StreamDirectories.writeDefinition(entry.directory(), next);
                } catch (IOException e) {
                    throw new StoreWriteException("cannot save the new definition of stream \"" + next.name()
                            + "\": " + e, e);
                }
            });
            for (LogStream partition : entry.partitions().subList(1, entry.partitions().size())) {
                partition.update(definition, saved -> { });
            }
            notifyListener(listener -> listener.onStreamUpdated(entry.stream().definition()));
            return entry.stream();
        } finally {
            catalogLock.unlock();
        }
    }

    @Override
    public void delete(StreamName name) {
        catalogLock.lock();
        try {
            checkOpen();
            Entry entry = streams.get(name);
            if (entry == null) {
                throw new StreamNotFoundException(name);
            }
            try {
                // The marker makes the deletion stick even if we crash before the directory is gone.
                Files.createFile(entry.directory().resolve(StreamDirectories.DELETED_MARKER));
                AtomicFiles.syncDirectory(entry.directory());
            } catch (IOException e) {
                throw new StoreWriteException("cannot delete stream \"" + name + "\": " + e, e);
            }
            streams.remove(name);
            entry.partitions().forEach(LogStream::markDeleted);
            removeDirectory(entry.directory());
            LOG.info("deleted stream \"{}\"", name);
            notifyListener(listener -> listener.onStreamDeleted(name));
        } finally {
            catalogLock.unlock();
        }
    }

    @Override
    public MessageStream rename(StreamName from, StreamName to, CatalogRule rule) {
        catalogLock.lock();
        try {
            checkOpen();
            Entry entry = streams.get(from);
            if (entry == null) {
                throw new StreamNotFoundException(from);
            }
            if (streams.containsKey(to)) {
                throw new StreamAlreadyExistsException(to);
            }
            StreamDefinition current = entry.stream().definition();
            if (!current.isFile()) {
                throw new IllegalArgumentException("stream \"" + from + "\" is a Memory stream: its messages live in"
                        + " memory and would not survive a rename; copy them to a new stream instead");
            }
            StreamDefinition renamed = current.withName(to);
            rule.check(renamed, streams::containsKey);
            Path target = StreamDirectories.directoryFor(streamsRoot, to);
            if (!target.equals(entry.directory())) {
                setAsideUnlessOpen(target, to);
            }
            entry.partitions().forEach(partition -> partition.markRenamed(to));
            streams.remove(from);
            try {
                if (!target.equals(entry.directory())) {
                    Files.move(entry.directory(), target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                StreamDirectories.writeDefinition(target, renamed);
                AtomicFiles.syncDirectory(streamsRoot);
            } catch (IOException e) {
                Path back = Files.exists(target) && !Files.exists(entry.directory()) ? moveBack(target,
                        entry.directory(), e) : entry.directory();
                streams.put(from, Entry.of(openPartitions(current, back), back));
                throw new StoreWriteException("cannot rename stream \"" + from + "\" to \"" + to + "\": " + e
                        + "; it keeps its name", e);
            }
            Entry moved = Entry.of(openPartitions(renamed, target), target);
            streams.put(to, moved);
            LOG.info("renamed stream \"{}\" to \"{}\"", from, to);
            notifyListener(listener -> listener.onStreamDeleted(from));
            notifyListener(listener -> listener.onStreamCreated(renamed));
            return moved.stream();
        } finally {
            catalogLock.unlock();
        }
    }

    private static Path moveBack(Path target, Path origin, IOException cause) {
        try {
            Files.move(target, origin, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return origin;
        } catch (IOException again) {
            cause.addSuppressed(again);
            return target;
        }
    }

    /**
     * Sets aside a directory left where a stream {@code name} is to go, unless an open stream lives there (a rename
     * interrupted by a crash leaves a stream in the directory of its new name): that one is refused, never moved.
     */
    private void setAsideUnlessOpen(Path dir, StreamName name) {
        if (!Files.exists(dir)) {
            return;
        }
        for (Map.Entry<StreamName, Entry> open : streams.entrySet()) {
            if (open.getValue().directory().equals(dir)) {
                throw new StoreWriteException("stream \"" + name + "\" cannot be made: its directory " + dir
                        + " holds stream \"" + open.getKey() + "\" (left by an interrupted rename); rename \""
                        + open.getKey() + "\" to \"" + name + "\" instead");
            }
        }
        LOG.warn("stream directory {} exists but holds no open stream; setting it aside", dir);
        quarantine(dir);
    }

    @Override
    public List<StreamName> list() {
        checkOpen();
        return streams.keySet().stream().sorted().toList();
    }

    // ------------------------------------------------------------------------------------------------ namespaces

    @Override
    public Namespace namespace() {
        return namespace;
    }

    @Override
    public StreamStore createNamespace(Namespace other) {
        if (other.equals(namespace)) {
            return this;
        }
        requireDefault();
        catalogLock.lock();
        try {
            checkOpen();
            SegmentedStreamStore existing = namespaces.get(other);
            if (existing != null) {
                return existing;
            }
            return create(other, Map.of());
        } finally {
            catalogLock.unlock();
        }
    }

    @Override
    public boolean addNamespace(Namespace other, Map<String, String> attributes) {
        if (other.isDefault()) {
            throw new IllegalArgumentException("the default namespace always exists");
        }
        checkAttributes(attributes);
        requireDefault();
        catalogLock.lock();
        try {
            checkOpen();
            if (namespaces.containsKey(other)) {
                return false;
            }
            create(other, attributes);
            return true;
        } finally {
            catalogLock.unlock();
        }
    }

    /** Records a new namespace on disk and opens it. Holds catalogLock. */
    private SegmentedStreamStore create(Namespace other, Map<String, String> attributes) {
        Path dir = StreamDirectories.namespaceDirectory(settings.rootDirectory(), other);
        try {
            StreamDirectories.writeNamespace(dir, other, attributes);
        } catch (IOException e) {
            throw new StoreWriteException("cannot create namespace \"" + other + "\" in " + dir + ": " + e, e);
        }
        SegmentedStreamStore created = openNamespace(other, dir, attributes);
        LOG.info("created namespace \"{}\"", other);
        return created;
    }

    @Override
    public Map<String, String> namespaceAttributes() {
        return attributes;
    }

    @Override
    public void setNamespaceAttributes(Map<String, String> replacement) {
        if (namespace.isDefault()) {
            throw new UnsupportedOperationException("the default namespace has no attributes");
        }
        checkAttributes(replacement);
        synchronized (this) {
            checkOpen();
            Path dir = streamsRoot.getParent();
            try {
                StreamDirectories.writeNamespace(dir, namespace, replacement);
            } catch (IOException e) {
                throw new StoreWriteException("cannot write the attributes of namespace \"" + namespace + "\" in "
                        + dir + ": " + e, e);
            }
            attributes = Map.copyOf(replacement);
        }
    }

    private static void checkAttributes(Map<String, String> attributes) {
        if (attributes.size() > MAX_NAMESPACE_ATTRIBUTES) {
            throw new IllegalArgumentException("a namespace has " + attributes.size() + " attributes, more than the"
                    + " limit of " + MAX_NAMESPACE_ATTRIBUTES);
        }
        attributes.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > 128 || !key.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("namespace attribute \"" + key + "\" must be named by 1 to 128"
                        + " characters from A-Z a-z 0-9 . _ -");
            }
            if (value.length() > 16 * 1024) {
                throw new IllegalArgumentException("namespace attribute \"" + key + "\" is " + value.length()
                        + " characters long, more than the limit of 16384");
            }
        });
    }

    @Override
    public Optional<StreamStore> findNamespace(Namespace other) {
        checkOpen();
        if (other.equals(namespace)) {
            return Optional.of(this);
        }
        return Optional.ofNullable(namespaces.get(other));
    }

    @Override
    public List<Namespace> namespaces() {
        checkOpen();
        List<Namespace> all = new ArrayList<>(namespaces.keySet());
        all.add(namespace);
        return all.stream().sorted().toList();
    }

    @Override
    public boolean deleteNamespace(Namespace other) {
        if (other.isDefault()) {
            throw new IllegalArgumentException("the default namespace cannot be deleted");
        }
        requireDefault();
        catalogLock.lock();
        try {
            checkOpen();
            SegmentedStreamStore doomed = namespaces.get(other);
            if (doomed == null) {
                return false;
            }
            Path dir = StreamDirectories.namespaceDirectory(settings.rootDirectory(), other);
            try {
                // the marker makes the deletion stick even if we crash before the directory is gone
                Files.createFile(dir.resolve(StreamDirectories.DELETED_MARKER));
                AtomicFiles.syncDirectory(dir);
            } catch (IOException e) {
                throw new StoreWriteException("cannot delete namespace \"" + other + "\": " + e, e);
            }
            namespaces.remove(other);
            doomed.deleteEverything();
            removeDirectory(dir);
            LOG.info("deleted namespace \"{}\"", other);
            return true;
        } finally {
            catalogLock.unlock();
        }
    }

    @Override
    public void renameNamespace(Namespace from, Namespace to) {
        if (from.isDefault() || to.isDefault()) {
            throw new IllegalArgumentException("the default namespace cannot be renamed, nor a namespace take its"
                    + " name");
        }
        requireDefault();
        catalogLock.lock();
        try {
            checkOpen();
            SegmentedStreamStore old = namespaces.get(from);
            if (old == null) {
                throw new io.github.edgestream.core.stream.NamespaceNotFoundException(from);
            }
            if (namespaces.containsKey(to)) {
                throw new IllegalArgumentException("namespace \"" + to + "\" exists; namespace \"" + from
                        + "\" cannot take its name");
            }
            old.requireEveryStreamOnDisk();
            Path fromDir = StreamDirectories.namespaceDirectory(settings.rootDirectory(), from);
            Path toDir = StreamDirectories.namespaceDirectory(settings.rootDirectory(), to);
            if (Files.exists(toDir)) {
                LOG.warn("namespace directory {} exists but holds no open namespace; setting it aside", toDir);
                quarantine(toDir);
            }
            Map<String, String> attributes = old.attributes;
            old.closeForRename(to);
            namespaces.remove(from);
            try {
                Files.move(fromDir, toDir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                StreamDirectories.writeNamespace(toDir, to, attributes);
                AtomicFiles.syncDirectory(toDir.getParent());
            } catch (IOException e) {
                Path back = Files.exists(toDir) && !Files.exists(fromDir) ? moveBack(toDir, fromDir, e) : fromDir;
                openNamespace(from, back, attributes).announceEveryStream();
                throw new StoreWriteException("cannot rename namespace \"" + from + "\" to \"" + to + "\": " + e
                        + "; it keeps its name", e);
            }
            openNamespace(to, toDir, attributes).announceEveryStream();
            LOG.info("renamed namespace \"{}\" to \"{}\"", from, to);
        } finally {
            catalogLock.unlock();
        }
    }

    /** Refuses a namespace rename while a Memory stream is in it. */
    private void requireEveryStreamOnDisk() {
        for (Map.Entry<StreamName, Entry> open : streams.entrySet()) {
            if (!open.getValue().stream().definition().isFile()) {
                throw new IllegalArgumentException("namespace \"" + namespace + "\" holds Memory stream \""
                        + open.getKey() + "\", whose messages would not survive a rename; delete it or make it a"
                        + " File stream first");
            }
        }
    }

    /** A namespace being renamed: every stream's handles fail naming the new namespace, then the catalogue closes. */
    private void closeForRename(Namespace to) {
        closeEveryStream((name, partition) -> partition.markRenamed(name, to));
    }

    /** Tells the listener of every stream of this catalogue, as if each were created (a renamed namespace's). */
    private void announceEveryStream() {
        for (Entry entry : streams.values()) {
            StreamDefinition definition = entry.stream().definition();
            notifyListener(listener -> listener.onStreamCreated(definition));
        }
    }

    /** Opens every namespace directory; one that cannot be read is set aside, the others open. */
    private void loadNamespaces() throws IOException {
        Path root = settings.rootDirectory().resolve(StreamDirectories.NAMESPACES);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path dir : (Iterable<Path>) entries::iterator) {
                String fileName = dir.getFileName().toString();
                if (!Files.isDirectory(dir) || fileName.endsWith(".quarantined")) {
                    continue;
                }
                if (fileName.contains(DELETING) || Files.exists(dir.resolve(StreamDirectories.DELETED_MARKER))) {
                    removeDirectory(dir);
                    continue;
                }
                try {
                    StreamDirectories.NamespaceFile file = StreamDirectories.readNamespace(dir);
                    openNamespace(file.namespace(), dir, file.attributes());
                } catch (IOException | RuntimeException e) {
                    LOG.error("cannot open the namespace in {}: {}; setting it aside", dir, e.toString());
                    quarantine(dir);
                }
            }
        }
    }

    private SegmentedStreamStore openNamespace(Namespace other, Path dir, Map<String, String> attributes) {
        SegmentedStreamStore catalogue = new SegmentedStreamStore(this, other, dir);
        catalogue.attributes = Map.copyOf(attributes);
        try {
            Files.createDirectories(catalogue.streamsRoot);
            catalogue.loadStreams();
        } catch (IOException e) {
            throw new StoreWriteException("cannot open namespace \"" + other + "\" in " + dir + ": " + e, e);
        }
        catalogue.scheduleRetention();
        namespaces.put(other, catalogue);
        return catalogue;
    }

    /** A namespace being deleted: every stream goes (their handles fail as deleted), then the catalogue closes. */
    private void deleteEverything() {
        closeEveryStream((name, partition) -> partition.markDeleted());
    }

    /** Shuts every stream of this catalogue down as {@code how} says, reports each gone, and closes the catalogue. */
    private void closeEveryStream(java.util.function.BiConsumer<StreamName, LogStream> how) {
        catalogLock.lock();
        try {
            for (StreamName name : List.copyOf(streams.keySet())) {
                Entry entry = streams.remove(name);
                entry.partitions().forEach(partition -> how.accept(name, partition));
                notifyListener(listener -> listener.onStreamDeleted(name));
            }
            closed = true;
            Scheduler.Cancellable task = retentionTask;
            if (task != null) {
                task.cancel();
            }
        } finally {
            catalogLock.unlock();
        }
    }

    private void requireDefault() {
        if (!namespace.isDefault()) {
            throw new UnsupportedOperationException("namespaces do not nest: \"" + namespace
                    + "\" is a namespace; ask the store for others");
        }
    }

    @Override
    public void close() {
        catalogLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Scheduler.Cancellable task = retentionTask;
            if (task != null) {
                task.cancel();
            }
            for (SegmentedStreamStore other : namespaces.values()) {
                other.close();
            }
            for (Entry entry : streams.values()) {
                for (LogStream partition : entry.partitions()) {
                    try {
                        partition.close();
                    } catch (RuntimeException e) {
                        LOG.error("closing stream \"{}\" failed", partition.name(), e);
                    }
                }
            }
            if (lock == null) {
                return; // a namespace's catalogue: its store holds the lock
            }
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("releasing the store lock failed", e);
            }
            closeQuietly(lockChannel);
            LOG.info("closed store {}", settings.rootDirectory());
        } finally {
            catalogLock.unlock();
        }
    }

    private void scheduleRetention() {
        retentionTask = services.scheduler().schedule(settings.retentionInterval(), () -> {
            try {
                services.executor().execute(this::runRetention);
            } catch (RejectedExecutionException shuttingDown) {
                // the daemon is stopping
            }
        });
    }

    private void runRetention() {
        if (closed) {
            return;
        }
        long now = services.clock().millis();
        for (Entry entry : streams.values()) {
            for (LogStream partition : entry.partitions()) {
                try {
                    partition.enforceRetention(now);
                } catch (RuntimeException e) {
                    LOG.warn("retention of stream \"{}\" failed; will retry", partition.name(), e);
                }
            }
        }
        if (!closed) {
            scheduleRetention();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreClosedException();
        }
    }

    /** Renames then deletes; a failure is logged and finished at the next open. */
    private void removeDirectory(Path dir) {
        Path doomed = dir;
        try {
            if (!dir.getFileName().toString().contains(DELETING)) {
                doomed = dir.resolveSibling(dir.getFileName() + DELETING + "-" + System.nanoTime());
                Files.move(dir, doomed);
            }
            AtomicFiles.deleteRecursively(doomed);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}; will retry at the next open", doomed, e.toString());
        }
    }

    private static void quarantine(Path dir) {
        Path aside = dir.resolveSibling(dir.getFileName() + "." + System.nanoTime() + ".quarantined");
        try {
            Files.move(dir, aside);
            LOG.error("moved {} to {} for inspection", dir, aside);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + dir + " aside", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
