package io.github.edgestream.core.service;

import io.github.edgestream.core.cursor.ConsumerGroups;
import io.github.edgestream.core.cursor.CursorStore;
import io.github.edgestream.core.export.ExportStatusSource;
import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.AppendBatch;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.FencingTokenMismatchException;
import io.github.edgestream.core.stream.InvalidRecordException;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.PartitionedStreamException;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.ResponseTooLargeException;
import io.github.edgestream.core.stream.SequenceMismatchException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamInfo;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.stream.TimestampOrderException;
import io.github.edgestream.core.stream.UpdateNotAllowedException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The commands every client protocol offers on streams, in typed, protocol-neutral form. Protocol front ends
 * (Greengrass IPC today; Kinesis, S2, OCI and ReductStore HTTP APIs next) decode a request, call one method here and
 * encode the result or the failure; the rules below hold whichever protocol asked.
 *
 * <p><b>Rules it owns.</b>
 * <ul>
 *   <li><b>Status streams exist.</b> A definition whose S3 task executor reports to a status stream is created or
 *       updated only if that stream exists (or is the stream itself). The check runs under the store's catalogue
 *       lock, atomically with the change, so a concurrent delete of the status stream happens either before the
 *       create (which then fails) or after it.</li>
 *   <li><b>Deleting a status stream is allowed</b>, even while a live export reports to it, as in AWS's stream
 *       manager: the export keeps running and its status messages are dropped (and logged by the status writer)
 *       until a stream of that name exists again. Refusing the delete would leave a user no way to remove a stream
 *       whose referrer cannot be updated, and the rule above is about typos in a definition, not about ownership.</li>
 *   <li><b>Where each command runs.</b> {@link #create}, {@link #update} and {@link #delete} write and sync files:
 *       they run on the blocking executor given to the constructor, never on the caller's thread. {@link #append}
 *       writes on the caller's thread (microseconds; this keeps one caller's appends in order) and completes at once,
 *       or, with {@code flushOnWrite}, when the group commit has made the message durable, on a store thread.
 *       {@link #read} never blocks: a read that must wait holds no thread and completes on a store thread or the
 *       scheduler's. {@link #list} and {@link #describe} do no I/O and complete before they return. So every method
 *       may be called from an event loop.</li>
 *   <li><b>Arguments.</b> Definitions arrive validated (the {@link StreamDefinition} type guarantees it; its
 *       constructor checks every rule), names are valid by type and a
 *       {@link ReadRequest} checks itself. A {@code null} argument is a bug of the caller: it throws
 *       {@link NullPointerException} at once. Every other failure arrives through the returned stage, never as an
 *       exception thrown by the call.</li>
 * </ul>
 *
 * <p><b>Errors</b>, as the failure of the returned stage (possibly wrapped in a
 * {@link java.util.concurrent.CompletionException}): the exceptions of {@code core} listed on each method.
 * {@link StoreClosedException} may fail any of them once the store is closed; a
 * {@link java.util.concurrent.RejectedExecutionException} means the blocking executor was shut down (the daemon is
 * stopping). Anything else is a bug.
 *
 * <p><b>Thread-safe</b>; one instance per store, shared by every protocol and connection. Commands may be repeated;
 * each is applied as often as it is called (a repeated create fails with {@link StreamAlreadyExistsException}, a
 * repeated append appends again).
 */
public final class StreamService {

    private final StreamStore store;
    private final ExportStatusSource exports;
    private final Executor blockingExecutor;
    private final StreamCursors cursors;
    private final Clock clock;
    private final java.util.Map<Namespace, StreamService> namespaces = new java.util.HashMap<>();
    /** Held while a definition is read and written back (update, tag), so that neither loses the other's change. */
    private final Object definitionChanges = new Object();

    /**
     * @param store            the streams; the caller owns it and closes it
     * @param exports          export progress for {@link #describe}; {@link ExportStatusSource#NOT_STARTED} without
     *                         an export runtime
     * @param blockingExecutor runs create, update and delete; the caller owns it
     */
    public StreamService(StreamStore store, ExportStatusSource exports, Executor blockingExecutor) {
        this.store = Objects.requireNonNull(store, "store");
        this.exports = Objects.requireNonNull(exports, "exports");
        this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
        this.clock = Clock.systemUTC();
        this.cursors = new StreamCursors(clock);
    }

    /** With cursors timed by {@code clock} (tests). */
    public StreamService(StreamStore store, ExportStatusSource exports, Executor blockingExecutor, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.exports = Objects.requireNonNull(exports, "exports");
        this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cursors = new StreamCursors(clock);
    }

    /**
     * Creates an empty stream; its first message gets sequence number 0. Runs on the blocking executor.
     *
     * <p>Fails with {@link InvalidStreamDefinitionException} (a status stream it names does not exist; checked
     * before the name), {@link StreamAlreadyExistsException} or {@link StoreWriteException} (the definition could not
     * be saved; nothing was created).
     *
     * @return the new stream's state
     */
    public CompletionStage<StreamInfo> create(StreamDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        StreamDefinition stamped = definition.createdAt().isPresent() ? definition
                : definition.withCreatedAt(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        return blocking(() -> store.create(stamped, StatusStreamRule.INSTANCE).info());
    }

    /**
     * Replaces an existing stream's definition (same name) under the rules of {@link StreamStore#update}. Runs on
     * the blocking executor.
     *
     * <p>Fails with {@link InvalidStreamDefinitionException} (a status stream it names does not exist; checked
     * before the stream is looked up), {@link StreamNotFoundException}, {@link UpdateNotAllowedException} (the
     * change is not allowed; nothing changed) or {@link StoreWriteException} (the new definition could not be saved;
     * nothing changed).
     *
     * @return the stream's state under its new definition
     */
    public CompletionStage<StreamInfo> update(StreamDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        return blocking(() -> {
            synchronized (definitionChanges) {
                StreamDefinition current = store.get(definition.name()).definition();
                StreamDefinition kept = definition.withTags(current.tags());
                kept = current.createdAt().map(kept::withCreatedAt).orElse(kept);
                return store.update(kept, StatusStreamRule.INSTANCE).info();
            }
        });
    }

    /**
     * Adds and removes tags of a stream (removals first, so a key in both ends up with the added value); the
     * rest of the definition is unchanged. Runs on the blocking executor.
     *
     * <p>Fails with {@link StreamNotFoundException}, {@link InvalidStreamDefinitionException} (the resulting tags
     * break a rule of {@link StreamDefinition#tagProblems}, e.g. more than 50) or {@link StoreWriteException}.
     *
     * @return the stream's definition with its new tags
     */
    public CompletionStage<StreamDefinition> tag(StreamName name, java.util.Map<String, String> add,
            java.util.Set<String> remove) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(add, "add");
        Objects.requireNonNull(remove, "remove");
        return blocking(() -> {
            synchronized (definitionChanges) {
                StreamDefinition current = store.get(name).definition();
                java.util.TreeMap<String, String> tags = new java.util.TreeMap<>(current.tags());
                tags.keySet().removeAll(remove);
                tags.putAll(add);
                if (tags.equals(current.tags())) {
                    return current;
                }
                return store.update(current.withTags(tags), StatusStreamRule.INSTANCE).info().definition();
            }
        });
    }

    /**
     * Deletes a stream with every message and file of it; its waiting reads fail with
     * {@link StreamNotFoundException}. Allowed for a status stream that exports still report to (see the class
     * comment). Runs on the blocking executor.
     *
     * <p>Fails with {@link StreamNotFoundException} or {@link StoreWriteException} (the deletion could not be
     * recorded; the stream is unchanged).
     */
    public CompletionStage<Void> delete(StreamName name) {
        Objects.requireNonNull(name, "name");
        return blocking(() -> {
            store.delete(name);
            return null;
        });
    }

    /**
     * Renames a stream ({@link StreamStore#rename}: messages, cursors and exports stay with it), on the blocking
     * executor. Fails with {@link StreamNotFoundException}, {@link StreamAlreadyExistsException},
     * {@link IllegalArgumentException} (a Memory stream) or {@link StoreWriteException}.
     */
    public CompletionStage<StreamDefinition> rename(StreamName from, StreamName to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return blocking(() -> store.rename(from, to, StatusStreamRule.INSTANCE).definition());
    }

    /** Every stream name, sorted; an empty list, never an absent one. Completes before it returns. */
    public CompletionStage<List<StreamName>> list() {
        return now(store::list);
    }

    /**
     * A stream's definition, storage state and export progress, as one snapshot. Completes before it returns.
     *
     * <p>Fails with {@link StreamNotFoundException}.
     */
    public CompletionStage<StreamDescription> describe(StreamName name) {
        Objects.requireNonNull(name, "name");
        return now(() -> {
            StreamInfo info = store.get(name).info();
            return new StreamDescription(info, exports.statuses(info.definition()));
        });
    }

    /**
     * Appends one message (the payload's remaining bytes; its position is not changed) and completes with its
     * sequence number once it is acknowledged: at once, or with {@code flushOnWrite} once it is on disk. The write
     * happens before this returns, so one caller's appends keep their order. See {@link MessageStream#appendAsync}.
     *
     * <p>Fails with {@link StreamNotFoundException}, {@link StreamFullException} (RejectNewData and the message does
     * not fit), {@link PayloadTooLargeException}, {@link IllegalArgumentException} (an empty payload) or
     * {@link StoreWriteException} (disk full or below the free-space reserve, or an I/O error).
     */
    public CompletionStage<Long> append(StreamName name, ByteBuffer payload) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(payload, "payload");
        MessageStream stream;
        try {
            stream = store.get(name);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return stream.appendAsync(payload);
    }

    /**
     * Reads consecutive messages as {@link MessageStream#read} describes: waits (holding no thread) up to the
     * request's timeout for its minimum count.
     *
     * <p>Fails with {@link StreamNotFoundException} (also when the stream is deleted while the read waits),
     * {@link NotEnoughMessagesException}, {@link ResponseTooLargeException} (the minimum count does not fit the
     * request's byte budget) or {@link StoreReadException}.
     */
    public CompletionStage<List<Message>> read(StreamName name, ReadRequest request) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        MessageStream stream;
        try {
            stream = store.get(name);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return stream.read(request);
    }

    // ------------------------------------------------------------------ records, batches, time, cursors

    /**
     * Appends a batch as {@link MessageStream#appendBatchAsync} describes: all-or-nothing, under its conditions.
     * Writes on the caller's thread like {@link #append}. Addresses partition {@code partition} (0 for a stream of
     * one partition).
     *
     * <p>Fails with what {@link #append} fails with, and {@link InvalidRecordException},
     * {@link SequenceMismatchException}, {@link FencingTokenMismatchException}, {@link TimestampOrderException},
     * {@link PartitionedStreamException} (a partitioned stream addressed as a whole), or
     * {@link IllegalArgumentException} (no such partition).
     */
    public CompletionStage<AppendResult> appendBatch(StreamName name, int partition, AppendBatch batch) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(batch, "batch");
        MessageStream stream;
        try {
            stream = partition(name, partition);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return stream.appendBatchAsync(batch);
    }

    /**
     * Sets the fencing token of a stream (or one partition) as {@link MessageStream#fence} does; on the blocking
     * executor (it syncs a small file). Completes with the token it replaced.
     */
    public CompletionStage<String> fence(StreamName name, int partition, String token, Optional<String> expected) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expected, "expected");
        return blocking(() -> partition(name, partition).fence(token, expected));
    }

    /** Trims a stream (or one partition) below a sequence number; on the blocking executor. Completes with the oldest. */
    public CompletionStage<Long> trim(StreamName name, int partition, long below) {
        return blocking(() -> partition(name, partition).trim(below));
    }

    /** The first sequence number at or after a time (epoch µs); no I/O beyond a few record reads. */
    public CompletionStage<Long> seekTime(StreamName name, int partition, long timestampMicros) {
        return now(() -> partition(name, partition).seekTime(timestampMicros));
    }

    /**
     * Evicts the oldest segment of a stream (or one partition) for a quota of its namespace
     * ({@link MessageStream#evictOldestSegment}); on the blocking executor. Completes with the bytes freed (0: only the
     * segment being written is left).
     */
    public CompletionStage<Long> evictOldestSegment(StreamName name, int partition) {
        return blocking(() -> partition(name, partition).evictOldestSegment());
    }

    /** The stream's partitions (one for a stream that is not partitioned). */
    public CompletionStage<List<MessageStream>> partitions(StreamName name) {
        return now(() -> store.partitions(name));
    }

    /**
     * Runs a command on the cursors of a stream (or one partition) on the blocking executor (cursor writes sync a
     * small file). Fails with what the command throws: {@link io.github.edgestream.core.cursor.CursorConflictException},
     * {@link IllegalArgumentException} (a name, position or partition out of range), {@link StreamNotFoundException}.
     */
    public <T> CompletionStage<T> withCursors(StreamName name, int partition,
            java.util.function.Function<CursorStore, T> command) {
        Objects.requireNonNull(command, "command");
        return blocking(() -> command.apply(cursors.cursors(readable(name, partition, "a cursor"))));
    }

    /**
     * Runs a command on the consumer groups of a stream, on the blocking executor. {@link #WHOLE_STREAM} on a
     * partitioned stream gives groups spanning all its partitions (OCI); a partition of a partitioned stream has no
     * groups of its own ({@link IllegalArgumentException}).
     */
    public <T> CompletionStage<T> withGroups(StreamName name, int partition,
            java.util.function.Function<ConsumerGroups, T> command) {
        Objects.requireNonNull(command, "command");
        return blocking(() -> {
            if (partition == WHOLE_STREAM) {
                MessageStream whole = store.get(name);
                if (whole.definition().isPartitioned()) {
                    // one group spans the partitions; it is kept with partition 0
                    return command.apply(cursors.groups(store.partitions(name).get(0),
                            whole.definition().partitions()));
                }
            }
            MessageStream stream = readable(name, partition, "a consumer group");
            if (stream.definition().isPartitioned()) {
                throw new IllegalArgumentException("consumer groups of stream \"" + name + "\" span its "
                        + stream.definition().partitions() + " partitions: address the stream as a whole, not"
                        + " partition " + partition);
            }
            return command.apply(cursors.groups(stream));
        });
    }

    /**
     * Addresses a stream as a whole rather than one of its partitions (the Greengrass protocol and its extensions do):
     * the stream itself when it has one partition; a partitioned stream refuses reads and writes with
     * {@link PartitionedStreamException}.
     */
    public static final int WHOLE_STREAM = -1;

    /** A partition whose records can be read: not a partitioned stream as a whole (its records are in partitions). */
    private MessageStream readable(StreamName name, int partition, String what) {
        MessageStream stream = partition(name, partition);
        if (partition == WHOLE_STREAM && stream.definition().isPartitioned()) {
            throw new PartitionedStreamException(name, stream.definition().partitions(), what);
        }
        return stream;
    }

    /**
     * The same commands on the streams of another namespace ({@link Namespace#DEFAULT}: this service). The service
     * of a namespace is made once and kept, so that each stream keeps one cursor store.
     *
     * @throws IllegalArgumentException if the namespace does not exist and {@code create} is false
     *
     * @param create create the namespace if it does not exist (durably, on the calling thread: a small sync)
     */
    public StreamService namespace(Namespace namespace, boolean create) {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.equals(store.namespace())) {
            return this;
        }
        synchronized (namespaces) {
            StreamService existing = namespaces.get(namespace);
            if (existing != null && store.findNamespace(namespace).isPresent()) {
                return existing;
            }
            StreamStore catalogue = create ? store.createNamespace(namespace)
                    : store.findNamespace(namespace).orElseThrow(() -> new IllegalArgumentException(
                            "namespace \"" + namespace + "\" does not exist"));
            StreamService service = new StreamService(catalogue, exports.inNamespace(namespace), blockingExecutor,
                    clock);
            namespaces.put(namespace, service);
            return service;
        }
    }

    /** Every namespace of the store, sorted (the default included). No I/O. */
    public List<Namespace> namespaces() {
        return store.namespaces();
    }

    /**
     * Creates a namespace with attributes unless it exists, on the blocking executor (a small sync). Completes with
     * whether this call created it (of racing callers, exactly one does).
     */
    public CompletionStage<Boolean> addNamespace(Namespace namespace, java.util.Map<String, String> attributes) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(attributes, "attributes");
        return blocking(() -> store.addNamespace(namespace, attributes));
    }

    /** The attributes kept with a namespace ({@link StreamStore#namespaceAttributes}); empty if it does not exist. */
    public Optional<java.util.Map<String, String>> namespaceAttributes(Namespace namespace) {
        return store.findNamespace(namespace).map(StreamStore::namespaceAttributes);
    }

    /**
     * Replaces a namespace's attributes durably, on the blocking executor. Fails with {@link IllegalArgumentException}
     * if it does not exist or an attribute breaks a limit, {@link StoreWriteException} if they cannot be written.
     */
    public CompletionStage<Void> setNamespaceAttributes(Namespace namespace,
            java.util.Map<String, String> attributes) {
        Objects.requireNonNull(attributes, "attributes");
        return blocking(() -> {
            store.findNamespace(namespace).orElseThrow(() -> new IllegalArgumentException("namespace \""
                    + namespace + "\" does not exist")).setNamespaceAttributes(attributes);
            return null;
        });
    }

    /**
     * Renames a namespace with every stream in it ({@link StreamStore#renameNamespace}), on the blocking executor.
     * Fails with {@link io.github.edgestream.core.stream.NamespaceNotFoundException}, {@link IllegalArgumentException}
     * or {@link StoreWriteException}.
     */
    public CompletionStage<Void> renameNamespace(Namespace from, Namespace to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return blocking(() -> {
            store.renameNamespace(from, to);
            synchronized (namespaces) {
                namespaces.remove(from);
            }
            return null;
        });
    }

    /**
     * Deletes a namespace and every stream in it, on the blocking executor. Completes with whether it existed.
     * Fails with {@link IllegalArgumentException} for the default namespace.
     */
    public CompletionStage<Boolean> deleteNamespace(Namespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return blocking(() -> {
            boolean existed = store.deleteNamespace(namespace);
            synchronized (namespaces) {
                namespaces.remove(namespace);
            }
            return existed;
        });
    }

    /** One partition of a stream ({@link #WHOLE_STREAM}: the stream as a whole). */
    private MessageStream partition(StreamName name, int partition) {
        Objects.requireNonNull(name, "name");
        if (partition == WHOLE_STREAM) {
            return store.get(name);
        }
        List<MessageStream> partitions = store.partitions(name);
        if (partition < 0 || partition >= partitions.size()) {
            throw new IllegalArgumentException("partition is " + partition + " but stream \"" + name + "\" has "
                    + (partitions.size() == 1 ? "only partition 0" : "partitions 0 to " + (partitions.size() - 1)));
        }
        return partitions.size() == 1 ? store.get(name) : partitions.get(partition);
    }

    private <T> CompletionStage<T> blocking(Supplier<T> command) {
        try {
            return CompletableFuture.supplyAsync(command, blockingExecutor);
        } catch (RuntimeException rejected) {
            return CompletableFuture.failedFuture(rejected);
        }
    }

    private static <T> CompletionStage<T> now(Supplier<T> command) {
        try {
            return CompletableFuture.completedFuture(command.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
