package io.github.edgestream.daemon.observe;

import io.github.edgestream.core.cursor.Cursor;
import io.github.edgestream.core.cursor.CursorStore;
import io.github.edgestream.core.export.ExportEvent;
import io.github.edgestream.core.export.ExportListener;
import io.github.edgestream.core.export.ExportStatus;
import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.EvictionReason;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.StoreListener;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.net.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The daemon's metrics, in Prometheus text format through Micrometer. Three kinds of sources:
 * <ul>
 *   <li>pushed as they happen: requests (operation, status, latency) from the IPC server, evictions (reason,
 *       messages, bytes) from the store, export failures (retryable or rejected) from the export runtime;</li>
 *   <li>read at scrape time ({@link #refresh()}): every stream's and every export's state, from the store and the
 *       export runtime, so that streams and exports appear and disappear with the catalogue;</li>
 *   <li>the connection count, read from the server.</li>
 * </ul>
 *
 * <p>Streams of every namespace (S2 basins {@code s2.<basin>}, buckets) are covered. The default namespace's series
 * carry no namespace label (they are what they were before namespaces existed, for the dashboards and alert rules
 * that use them); another namespace's series are the same metrics with the same labels plus
 * {@code namespace="<namespace>"}, so that equal stream names in two namespaces are two series. Mind that a selector
 * by {@code stream} alone matches a namespaced stream of that name too; add {@code namespace=""} for the default
 * namespace only.
 *
 * <table>
 *   <caption>metrics (all prefixed edgestream_)</caption>
 *   <tr><td>stream_appended_messages_total, stream_appended_bytes_total</td><td>since the daemon started</td></tr>
 *   <tr><td>stream_stored_bytes, stream_max_bytes, stream_oldest_sequence_number, stream_newest_sequence_number</td>
 *       <td>per stream</td></tr>
 *   <tr><td>stream_evicted_messages_total, stream_evicted_bytes_total</td><td>per stream and reason (size, ttl)</td></tr>
 *   <tr><td>export_lag_messages, export_lag_bytes, export_oldest_unexported_age_seconds</td><td>per export: what
 *       is waiting (bytes estimated from the stream's average message size)</td></tr>
 *   <tr><td>export_exported_messages_total, export_exported_bytes_total, export_failures_total{class},
 *       export_consecutive_failures, export_retrying</td><td>per export</td></tr>
 *   <tr><td>reader_lag_messages, reader_position{stream,reader,kind}</td><td>per reader of a stream, alike for
 *       every kind: a consumer's named cursor, a consumer group, an export (kind consumer, group, export), on
 *       streams of one partition (a group over a partitioned stream: the group_ series)</td></tr>
 *   <tr><td>group_lag_messages, group_lag_bytes, group_oldest_uncommitted_age_seconds{stream,group,partition}</td>
 *       <td>per consumer group and partition, partitioned streams included: messages after the group's committed
 *       position (newest + 1 - committed, each partition against its own newest), those bytes (estimated from the
 *       partition's average message size) and the age of the oldest of them (0 without lag); see
 *       {@link GroupLags}</td></tr>
 *   <tr><td>server_connections, requests_seconds{api,operation,status}</td><td>the Greengrass and HTTP servers</td></tr>
 *   <tr><td>jvm_memory_used_bytes{area,id}, jvm_threads_*, process_cpu_usage, process_uptime_seconds</td>
 *       <td>the JVM (Micrometer's binders)</td></tr>
 * </table>
 *
 * <p>Thread-safe: Micrometer's registry is; the refresh is synchronized.
 */
public final class DaemonMetrics implements RequestObserver, ExportListener, StoreListener {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private StreamStore store;
    private ExportStatusSource exports = ExportStatusSource.NOT_STARTED;
    /** Meters registered for each stream and its exports, so that they can be removed with the stream. */
    private final Map<StreamKey, List<Meter>> perStream = new HashMap<>();
    /** The export identifiers each stream's meters were registered for. */
    private final Map<StreamKey, List<String>> registeredExports = new HashMap<>();
    /** The latest values read at scrape time, by meter key (an owner, see {@link StreamKey#owner}, SOH, what). */
    private final Map<String, Double> values = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per failing export (owner NUL export): its {@code edgestream_export_error_info} gauge, the error its label. */
    private final Map<String, Meter> errorInfo = new HashMap<>();
    /** Per reader (owner NUL kind NUL name): its lag and position gauges. */
    private final Map<String, List<Meter>> readers = new HashMap<>();
    /** Per consumer group and partition (owner NUL group NUL partition): its lag gauges. */
    private final Map<String, List<Meter>> groupPartitions = new HashMap<>();

    /** A stream of one namespace: equal names in two namespaces are two streams, with series of their own. */
    private record StreamKey(Namespace namespace, StreamName name) {

        /** The key of this stream's values: namespace NUL stream. */
        String owner() {
            return namespace.value() + "\u0000" + name.value();
        }

        /** {@code stream}, and {@code namespace} but for the default namespace (whose series keep their labels). */
        Tags tags() {
            return DaemonMetrics.tags(namespace, name);
        }
    }

    private static Tags tags(Namespace namespace, StreamName name) {
        Tags tags = Tags.of("stream", name.value());
        return namespace.isDefault() ? tags : tags.and("namespace", namespace.value());
    }

    /** What a failing export's error gauge is labelled with, but the error. */
    private record Failure(Tags tags, Optional<String> error) {
    }

    public DaemonMetrics(Clock clock) {
        this.clock = clock;
        // the JVM's own: heap and non-heap by pool, threads, CPU, uptime (jvm_*, process_*, system_*)
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    }

    /** Connects the sources known only once the daemon is built. */
    public synchronized void bind(StreamStore streamStore, ExportStatusSource exportStatuses, IntSupplier connections) {
        this.store = streamStore;
        this.exports = exportStatuses;
        Gauge.builder("edgestream.server.connections", connections, IntSupplier::getAsInt)
                .description("Open client connections").strongReference(true).register(registry);
    }

    @Override
    public void requestCompleted(String api, String operation, String status, long nanos) {
        Timer.builder("edgestream.requests").description("Requests answered, by API, operation and response status")
                .tags("api", api, "operation", operation, "status", status)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onEvicted(StreamName stream, EvictionReason reason, long first, long last, DataSize size) {
        evicted(Namespace.DEFAULT, stream, reason, first, last, size);
    }

    /**
     * The evictions of another namespace's streams, with its namespace label. A deleted stream's (and so a deleted
     * namespace's) eviction and export failure counters go with it, here and (for an event heard after the deletion)
     * at the next {@link #refresh}. Quick and without locks: the store calls it with its catalogue lock held.
     */
    @Override
    public StoreListener forNamespace(Namespace namespace) {
        if (namespace.isDefault()) {
            return this;
        }
        return new StoreListener() {
            @Override
            public void onEvicted(StreamName stream, EvictionReason reason, long first, long last, DataSize size) {
                evicted(namespace, stream, reason, first, last, size);
            }

            @Override
            public void onStreamDeleted(StreamName stream) {
                Tags tags = tags(namespace, stream);
                for (String name : PUSHED) {
                    registry.find(name).tags(tags).meters().forEach(registry::remove);
                }
            }
        };
    }

    /** The counters pushed per stream as events happen (not read at scrape time). */
    private static final List<String> PUSHED = List.of("edgestream.stream.evicted.messages",
            "edgestream.stream.evicted.bytes", "edgestream.export.failures");

    /**
     * Removes the pushed counters of namespaced streams that are gone (a late export event may have registered one
     * after the deletion). The default namespace's stay, as they always have.
     */
    private void removeGoneNamespacedCounters(java.util.Set<StreamKey> seen) {
        var owners = new java.util.HashSet<String>();
        seen.forEach(key -> owners.add(key.owner()));
        for (String name : PUSHED) {
            for (Meter meter : registry.find(name).tagKeys("namespace").meters()) {
                if (!owners.contains(meter.getId().getTag("namespace") + "\u0000" + meter.getId().getTag("stream"))) {
                    registry.remove(meter);
                }
            }
        }
    }

    private void evicted(Namespace namespace, StreamName stream, EvictionReason reason, long first, long last,
            DataSize size) {
        Tags tags = tags(namespace, stream).and("reason", reason.name().toLowerCase(java.util.Locale.ROOT));
        Counter.builder("edgestream.stream.evicted.messages").tags(tags)
                .description("Messages deleted by retention").register(registry).increment(last - first + 1);
        Counter.builder("edgestream.stream.evicted.bytes").tags(tags).baseUnit("bytes")
                .description("Bytes deleted by retention").register(registry).increment(size.bytes());
    }

    @Override
    public void onEvent(ExportEvent event) {
        String failureClass = event.type() == ExportEvent.Type.RETRY ? "retryable"
                : event.type() == ExportEvent.Type.FAILED ? "rejected" : null;
        if (failureClass != null) {
            Counter.builder("edgestream.export.failures")
                    .description("Failed attempts (retryable) and messages skipped (rejected)")
                    .tags(tags(event.namespace(), event.stream()).and("export", event.export().identifier(),
                            "class", failureClass))
                    .register(registry).increment(event.type() == ExportEvent.Type.FAILED ? event.messages().size() : 1);
        }
    }

    /** The Prometheus text exposition, after reading every stream's and export's state. */
    public String scrape() {
        refresh();
        return registry.scrape();
    }

    /** Reads the state of every stream and export, of every namespace, into the values the gauges report. */
    public synchronized void refresh() {
        if (store == null) {
            return;
        }
        var seen = new java.util.LinkedHashMap<StreamKey, MessageStream>();
        var failing = new HashMap<String, Failure>();
        var catalogues = new java.util.LinkedHashMap<StreamKey, StreamStore>();
        for (Namespace namespace : namespaces(store)) {
            Optional<StreamStore> catalogue = namespace.isDefault() ? Optional.of(store)
                    : store.findNamespace(namespace);
            if (catalogue.isEmpty()) {
                continue;
            }
            ExportStatusSource source = exports.inNamespace(namespace);
            List<StreamName> names;
            try {
                names = catalogue.get().list();
            } catch (RuntimeException deletedMeanwhile) {
                continue;
            }
            for (StreamName name : names) {
                StreamKey key = new StreamKey(namespace, name);
                refreshStream(key, catalogue.get(), source, seen, failing);
                if (seen.containsKey(key)) {
                    catalogues.put(key, catalogue.get());
                }
            }
        }
        updateErrorInfo(failing);
        updateReaders(seen);
        updateGroups(catalogues);
        removeGoneNamespacedCounters(seen.keySet());
        perStream.keySet().removeIf(key -> {
            if (seen.containsKey(key)) {
                return false;
            }
            perStream.get(key).forEach(registry::remove);
            registeredExports.remove(key);
            String owner = key.owner();
            values.keySet().removeIf(k -> k.startsWith(owner + "\u0000") || k.startsWith(owner + "\u0001"));
            return true;
        });
    }

    /** The default namespace first (as before namespaces), then the others in order. */
    static List<Namespace> namespaces(StreamStore store) {
        var all = new ArrayList<Namespace>();
        all.add(Namespace.DEFAULT);
        try {
            store.namespaces().stream().filter(n -> !n.isDefault()).sorted().forEach(all::add);
        } catch (RuntimeException closing) {
            // the default namespace alone
        }
        return all;
    }

    private void refreshStream(StreamKey key, StreamStore catalogue, ExportStatusSource source,
            Map<StreamKey, MessageStream> seen, Map<String, Failure> failing) {
        Optional<MessageStream> found;
        StreamInfo info;
        try {
            found = catalogue.find(key.name());
            if (found.isEmpty()) {
                return;
            }
            info = found.get().info();
        } catch (RuntimeException deletedMeanwhile) {
            return;
        }
        seen.put(key, found.get());
        String s = key.owner();
        put(s, "appended_messages", info.appendedMessages());
        put(s, "appended_bytes", info.appendedBytes());
        put(s, "stored_bytes", info.totalSize().bytes());
        put(s, "max_bytes", info.definition().maxSize().bytes());
        put(s, "oldest", info.oldestSequenceNumber());
        put(s, "newest", info.newestSequenceNumber());
        long held = Math.max(0, info.newestSequenceNumber() - info.oldestSequenceNumber() + 1);
        double averageBytes = held == 0 ? 0 : (double) info.totalSize().bytes() / held;
        List<ExportStatus> statuses = source.statuses(info.definition());
        List<String> ids = statuses.stream().map(ExportStatus::exportIdentifier).toList();
        if (!ids.equals(registeredExports.get(key))) {
            Optional.ofNullable(perStream.remove(key)).ifPresent(old -> old.forEach(registry::remove));
            perStream.put(key, registerStream(s, key.tags(), statuses));
            registeredExports.put(key, ids);
        }
        for (ExportStatus status : statuses) {
            String e = s + "\u0000" + status.exportIdentifier();
            long lag = Math.max(0, info.newestSequenceNumber() - status.lastExportedSequenceNumber());
            put(e, "lag_messages", lag);
            put(e, "lag_bytes", Math.round(lag * averageBytes));
            put(e, "oldest_age", oldestUnexportedAge(found.get(), status, lag));
            put(e, "exported_messages", status.exportedMessages());
            put(e, "exported_bytes", status.exportedBytes());
            put(e, "consecutive_failures", status.consecutiveFailures());
            put(e, "retrying", status.nextAttempt().isPresent() ? 1 : 0);
            failing.put(e, new Failure(key.tags().and("export", status.exportIdentifier()),
                    status.consecutiveFailures() > 0 ? status.errorMessage() : Optional.empty()));
        }
    }

    /**
     * {@code edgestream_export_error_info{stream,export,error} 1} for each export whose last attempt failed, with the
     * reason (destination cannot start, refused, unreachable...) as the label, cut to 200 characters; gone once it
     * delivers again. One series per export at a time: a new reason replaces the old one.
     */
    private void updateErrorInfo(Map<String, Failure> failing) {
        for (var entry : failing.entrySet()) {
            String key = entry.getKey();
            Optional<String> error = entry.getValue().error()
                    .map(text -> text.length() > 200 ? text.substring(0, 197) + "..." : text);
            Meter current = errorInfo.get(key);
            String shown = current == null ? null : current.getId().getTag("error");
            if (error.isPresent() && error.get().equals(shown)) {
                continue;
            }
            if (current != null) {
                registry.remove(current);
                errorInfo.remove(key);
            }
            if (error.isPresent()) {
                errorInfo.put(key, Gauge.builder("edgestream.export.error.info", () -> 1)
                        .tags(entry.getValue().tags().and("error", error.get()))
                        .description("1 while the export's last attempt failed; the label says why")
                        .strongReference(true).register(registry));
            }
        }
        errorInfo.keySet().removeIf(key -> {
            if (failing.containsKey(key)) {
                return false;
            }
            registry.remove(errorInfo.get(key));
            return true;
        });
    }

    /**
     * Every reader's position and lag, from the streams' cursors (consumers, groups and exports alike, as
     * {@link CursorStore#list} gives them); gauges come and go with the readers.
     */
    private void updateReaders(Map<StreamKey, MessageStream> streams) {
        var current = new java.util.HashSet<String>();
        for (var entry : streams.entrySet()) {
            StreamKey stream = entry.getKey();
            MessageStream found = entry.getValue();
            List<Cursor> cursors;
            long next;
            try {
                if (found.definition().isPartitioned()) {
                    continue;
                }
                cursors = new CursorStore(found.checkpoints(), clock).list();
                next = found.info().newestSequenceNumber() + 1;
            } catch (RuntimeException deletedMeanwhile) {
                continue;
            }
            for (Cursor cursor : cursors) {
                String kind = cursor.kind().name().toLowerCase(java.util.Locale.ROOT);
                String key = stream.owner() + "\u0000" + kind + "\u0000" + cursor.name();
                current.add(key);
                put(key, "reader_position", cursor.position());
                put(key, "reader_lag", Math.max(0, next - cursor.position()));
                readers.computeIfAbsent(key, k -> {
                    Tags tags = stream.tags().and("reader", cursor.name(), "kind", kind);
                    return List.of(
                            gauge("edgestream.reader.lag.messages", k, "reader_lag", tags,
                                    "Messages after the reader's position: not yet read (consumers, groups) or"
                                            + " exported (exports)"),
                            gauge("edgestream.reader.position", k, "reader_position", tags,
                                    "The next sequence number the reader will read"));
                });
            }
        }
        readers.keySet().removeIf(key -> {
            if (current.contains(key)) {
                return false;
            }
            readers.get(key).forEach(registry::remove);
            return true;
        });
    }

    /**
     * Every consumer group's lag per partition ({@link GroupLags}), each partition against its own newest sequence
     * number; gauges come and go with the groups (and a partitioned stream's partitions).
     */
    private void updateGroups(Map<StreamKey, StreamStore> catalogues) {
        var current = new java.util.HashSet<String>();
        for (var entry : catalogues.entrySet()) {
            StreamKey stream = entry.getKey();
            for (GroupLags.PartitionLag lag : GroupLags.of(entry.getValue(), stream.name(), clock)) {
                String key = stream.owner() + "\u0000" + lag.group() + "\u0000" + lag.partition();
                current.add(key);
                put(key, "group_lag_messages", lag.messages());
                put(key, "group_lag_bytes", lag.bytes());
                put(key, "group_oldest_age", lag.ageSeconds());
                groupPartitions.computeIfAbsent(key, k -> {
                    Tags tags = stream.tags().and("group", lag.group(), "partition", Integer.toString(lag.partition()));
                    return List.of(
                            gauge("edgestream.group.lag.messages", k, "group_lag_messages", tags,
                                    "Messages of the partition after the group's committed position"),
                            gauge("edgestream.group.lag.bytes", k, "group_lag_bytes", tags,
                                    "Bytes of the partition after the group's committed position, estimated from"
                                            + " the partition's average message size"),
                            gauge("edgestream.group.oldest.uncommitted.age.seconds", k, "group_oldest_age", tags,
                                    "Age of the partition's oldest message the group has not committed"));
                });
            }
        }
        groupPartitions.keySet().removeIf(key -> {
            if (current.contains(key)) {
                return false;
            }
            groupPartitions.get(key).forEach(registry::remove);
            values.keySet().removeIf(k -> k.startsWith(key + "\u0001"));
            return true;
        });
    }

    private double oldestUnexportedAge(MessageStream stream, ExportStatus status, long lag) {
        if (lag == 0) {
            return 0;
        }
        try {
            List<Message> next = stream.read(ReadRequest.upTo(status.lastExportedSequenceNumber() + 1, 1))
                    .toCompletableFuture().getNow(List.of());
            if (next.isEmpty()) {
                return 0;
            }
            return Math.max(0, Duration.between(next.get(0).ingestTime(), clock.instant()).toMillis() / 1000.0);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private void put(String owner, String what, double value) {
        values.put(owner + "\u0001" + what, value);
    }

    private double get(String owner, String what) {
        return values.getOrDefault(owner + "\u0001" + what, 0.0);
    }

    private List<Meter> registerStream(String stream, Tags tags, List<ExportStatus> statuses) {
        var meters = new ArrayList<Meter>();
        meters.add(FunctionCounter.builder("edgestream.stream.appended.messages", this,
                m -> m.get(stream, "appended_messages")).tags(tags)
                .description("Messages appended since the daemon started").register(registry));
        meters.add(FunctionCounter.builder("edgestream.stream.appended.bytes", this,
                m -> m.get(stream, "appended_bytes")).tags(tags).baseUnit("bytes")
                .description("Payload bytes appended since the daemon started").register(registry));
        meters.add(gauge("edgestream.stream.stored.bytes", stream, "stored_bytes", tags, "Bytes held (payload + 24 per message)"));
        meters.add(gauge("edgestream.stream.max.bytes", stream, "max_bytes", tags, "The stream's maxSize"));
        meters.add(gauge("edgestream.stream.oldest.sequence.number", stream, "oldest", tags, "First readable message"));
        meters.add(gauge("edgestream.stream.newest.sequence.number", stream, "newest", tags, "Last appended message"));
        for (ExportStatus status : statuses) {
            String e = stream + "\u0000" + status.exportIdentifier();
            Tags exportTags = tags.and("export", status.exportIdentifier());
            meters.add(gauge("edgestream.export.lag.messages", e, "lag_messages", exportTags,
                    "Messages appended and not yet exported"));
            meters.add(gauge("edgestream.export.lag.bytes", e, "lag_bytes", exportTags,
                    "Bytes not yet exported, estimated from the stream's average message size"));
            meters.add(gauge("edgestream.export.oldest.unexported.age.seconds", e, "oldest_age", exportTags,
                    "Age of the oldest message not yet exported"));
            meters.add(FunctionCounter.builder("edgestream.export.exported.messages", this,
                    m -> m.get(e, "exported_messages")).tags(exportTags)
                    .description("Messages delivered").register(registry));
            meters.add(FunctionCounter.builder("edgestream.export.exported.bytes", this,
                    m -> m.get(e, "exported_bytes")).tags(exportTags).baseUnit("bytes")
                    .description("Payload bytes delivered").register(registry));
            meters.add(gauge("edgestream.export.consecutive.failures", e, "consecutive_failures", exportTags,
                    "Failed attempts since the last success"));
            meters.add(gauge("edgestream.export.retrying", e, "retrying", exportTags,
                    "1 while waiting to retry after a failure"));
        }
        return meters;
    }

    private Gauge gauge(String name, String owner, String what, Tags tags, String description) {
        return Gauge.builder(name, this, m -> m.get(owner, what)).tags(tags).description(description)
                .strongReference(true).register(registry);
    }
}
