package io.github.edgestream.core.export;

import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every export of every stream of every namespace: one {@link ExportWorker} per (namespace, stream, export
 * identifier), all sharing one dispatcher pool, one bandwidth cap and one back-off policy. It follows the store's
 * catalogues (the default namespace's and, through {@link StoreListener#forNamespace}, every other's: S2 basins,
 * buckets): a stream created, updated or deleted adds, changes or removes its exports while the daemon runs, and
 * deleting a namespace stops the exports of its streams.
 *
 * <p>Life cycle: construct it, open the store with {@link #storeListener()} among its listeners, call
 * {@link #start(StreamStore)}, and {@link #close()} it before closing the store.
 *
 * <p>Thread-safe. Catalog changes are applied on one control thread, in order; {@link #statuses} may be called from
 * any thread (the IPC event loop) and never blocks.
 */
public final class ExportRuntime implements ExportStatusSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportRuntime.class);

    /** What the workers share. */
    record Services(ExportRuntimeSettings settings, Clock clock, Scheduler scheduler,
            Executor control, ExportDispatcher dispatcher, Optional<BandwidthLimiter> bandwidth,
            Backoff backoff, List<ExportListener> listeners) {
    }

    private final Services services;
    private final ExecutorService controlThread;
    private final Map<ExportKind, ExporterProvider> providers = new EnumMap<>(ExportKind.class);
    /** A stream of one namespace: equal names in two namespaces are two streams, with exports of their own. */
    record StreamKey(Namespace namespace, StreamName name) {
        static StreamKey of(StreamName name) {
            return new StreamKey(Namespace.DEFAULT, name);
        }

        @Override
        public String toString() {
            return namespace.isDefault() ? name.value() : namespace + "/" + name.value();
        }
    }

    private final Map<StreamKey, Map<String, ExportWorker>> workers = new ConcurrentHashMap<>();
    private volatile StreamStore store;
    private volatile boolean closed;

    /**
     * @param providers one per kind at most; kinds without one report an error on their exports
     * @param clock     export times, batch intervals, bandwidth
     * @param scheduler back-off and bandwidth waits
     * @param random    back-off jitter
     */
    public ExportRuntime(ExportRuntimeSettings settings, Collection<ExporterProvider> providers, Clock clock,
            Scheduler scheduler, RandomGenerator random) {
        for (ExporterProvider provider : providers) {
            ExporterProvider previous = this.providers.put(provider.kind(), provider);
            if (previous != null) {
                throw new IllegalArgumentException("two exporters for " + provider.kind().wireKey() + ": "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        this.controlThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "edgestream-export-control");
            thread.setDaemon(true);
            return thread;
        });
        // Read completions hop here from store threads: once closing, drop them rather than throw at an appender.
        Executor control = task -> {
            try {
                controlThread.execute(task);
            } catch (RejectedExecutionException closing) {
                LOG.debug("export runtime closing; dropped a task");
            }
        };
        this.services = new Services(settings, clock, scheduler, control,
                new ExportDispatcher(settings.threadPoolSize(), settings.priorityStep(), clock),
                settings.maxBandwidthKbps().map(kbps -> new BandwidthLimiter(kbps, clock)),
                new Backoff(settings.firstRetryDelay(), settings.maxRetryDelay(), random),
                new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    /** The exporters on the class path, found with {@link ServiceLoader}. */
    public static List<ExporterProvider> installedProviders() {
        return ServiceLoader.load(ExporterProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** The kinds this runtime can export to. */
    public java.util.Set<ExportKind> kinds() {
        return java.util.Collections.unmodifiableSet(providers.keySet());
    }

    /** Adds a listener of export events (before {@link #start}, to hear everything). */
    public void addListener(ExportListener listener) {
        services.listeners().add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Hears the store's catalog changes, and those of every namespace ({@link StoreListener#forNamespace}); pass it
     * to the store when opening it.
     */
    public StoreListener storeListener() {
        return new CatalogListener(Namespace.DEFAULT);
    }

    /** The catalog events of one namespace; they only post a reconcile to the control thread. */
    private final class CatalogListener implements StoreListener {
        private final Namespace namespace;

        CatalogListener(Namespace namespace) {
            this.namespace = namespace;
        }

        @Override
        public void onStreamCreated(StreamDefinition definition) {
            reconcileLater(new StreamKey(namespace, definition.name()));
        }

        @Override
        public void onStreamUpdated(StreamDefinition definition) {
            reconcileLater(new StreamKey(namespace, definition.name()));
        }

        @Override
        public void onStreamDeleted(StreamName stream) {
            reconcileLater(new StreamKey(namespace, stream));
        }

        @Override
        public StoreListener forNamespace(Namespace other) {
            return other.equals(namespace) ? this : new CatalogListener(other);
        }
    }

    /** Starts the exports of every stream in {@code store}. Call once. */
    public void start(StreamStore store) {
        if (this.store != null) {
            throw new IllegalStateException("the export runtime is already started");
        }
        this.store = store;
        // every namespace's streams; a namespace created later reports its streams as they are created
        for (Namespace namespace : store.namespaces()) {
            try {
                store.findNamespace(namespace).ifPresent(catalogue -> catalogue.list()
                        .forEach(name -> reconcileLater(new StreamKey(namespace, name))));
            } catch (StoreClosedException deleted) {
                LOG.debug("namespace \"{}\" was deleted while the export runtime started", namespace);
            }
        }
        LOG.info("export runtime started: {} threads, bandwidth {}, exporters for {}",
                services.settings().threadPoolSize(),
                services.settings().maxBandwidthKbps().map(kbps -> kbps + " kbit/s").orElse("unlimited"),
                providers.keySet().stream().map(ExportKind::wireKey).toList());
    }

    @Override
    public List<ExportStatus> statuses(StreamDefinition definition) {
        return statuses(StreamKey.of(definition.name()), definition);
    }

    @Override
    public ExportStatusSource inNamespace(Namespace namespace) {
        return namespace.isDefault() ? this : definition -> statuses(new StreamKey(namespace, definition.name()),
                definition);
    }

    private List<ExportStatus> statuses(StreamKey key, StreamDefinition definition) {
        Map<String, ExportWorker> running = workers.getOrDefault(key, Map.of());
        return definition.exports().stream().map(config -> {
            ExportWorker worker = running.get(config.identifier());
            return worker != null && worker.config().equals(config) ? worker.status()
                    : ExportStatusSource.notStarted(config);
        }).toList();
    }

    /** Messages read and not yet done by one export (for tests); 0 if it does not run. */
    int pendingMessages(StreamName stream, String exportIdentifier) {
        ExportWorker worker = workers.getOrDefault(StreamKey.of(stream), Map.of()).get(exportIdentifier);
        return worker == null ? 0 : worker.pendingMessages();
    }

    /** The identifiers of the exports running for a stream of a namespace (for tests). */
    java.util.Set<String> running(Namespace namespace, StreamName stream) {
        return workers.getOrDefault(new StreamKey(namespace, stream), Map.of()).keySet();
    }

    /** Batches waiting for a pool thread. */
    int queuedCalls() {
        return services.dispatcher().queued();
    }

    private void reconcileLater(StreamKey key) {
        if (store == null || closed) {
            return;
        }
        services.control().execute(() -> reconcile(key));
    }

    /** The stream, if its namespace and it exist (a namespace being deleted has none left). */
    private Optional<MessageStream> find(StreamKey key) {
        try {
            return store.findNamespace(key.namespace()).flatMap(catalogue -> catalogue.find(key.name()));
        } catch (StoreClosedException namespaceDeleted) {
            return Optional.empty();
        }
    }

    /** On the control thread: make the running workers match the stream's definition. */
    private void reconcile(StreamKey key) {
        if (closed) {
            return;
        }
        Map<String, ExportWorker> current = workers.getOrDefault(key, Map.of());
        Optional<MessageStream> found = find(key);
        if (found.isEmpty()) {
            current.values().forEach(worker -> worker.stop(true));
            workers.remove(key);
            return;
        }
        MessageStream stream = found.get();
        Map<String, ExportWorker> next = new LinkedHashMap<>();
        for (ExportConfig config : stream.definition().exports()) {
            ExportWorker old = current.get(config.identifier());
            if (old != null && old.config().equals(config)) {
                next.put(config.identifier(), old);
                continue;
            }
            if (old != null) {
                old.stop();
                LOG.info("export \"{}\" of stream \"{}\" changed; restarting it", config.identifier(), key);
            }
            ExportWorker worker = new ExportWorker(key.namespace(), stream, config, providers.get(config.kind()),
                    services);
            next.put(config.identifier(), worker);
            worker.start();
        }
        workers.put(key, Map.copyOf(next));
        for (var entry : current.entrySet()) {
            if (!next.containsKey(entry.getKey())) {
                entry.getValue().stop(true);
                LOG.info("export \"{}\" of stream \"{}\" removed", entry.getKey(), key);
            }
        }
        deleteCursorsOfRemovedExports(stream, next.keySet());
    }

    /** Also cleans up after exports removed while the daemon was down. */
    private static void deleteCursorsOfRemovedExports(MessageStream stream, java.util.Set<String> identifiers) {
        var wanted = new HashSet<String>();
        identifiers.forEach(identifier -> wanted.add(ExportProgress.recordName(identifier)));
        for (String record : stream.checkpoints().names()) {
            if (record.startsWith(ExportProgress.recordName("")) && !wanted.contains(record)) {
                try {
                    stream.checkpoints().delete(record);
                } catch (RuntimeException e) {
                    LOG.warn("stream \"{}\": cannot delete the cursor {} of a removed export: {}", stream.name(),
                            record, e.toString());
                }
            }
        }
    }

    /**
     * Stops every export: queued batches are dropped, calls in progress are interrupted (and given a few seconds),
     * cursors stay where the last completed batch left them.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        controlThread.shutdown();
        try {
            controlThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // after the control thread: no reconcile can start a worker behind our back
        workers.values().forEach(streamWorkers -> streamWorkers.values().forEach(ExportWorker::stop));
        workers.clear();
        services.dispatcher().close(Duration.ofSeconds(5));
        LOG.info("export runtime stopped");
    }
}
