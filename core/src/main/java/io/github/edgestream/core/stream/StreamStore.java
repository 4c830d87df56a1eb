package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.internal.SegmentedStreamStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of message streams: creates, finds, updates and deletes them, and keeps their definitions on disk.
 *
 * <p><b>Who calls it.</b> {@link io.github.edgestream.core.service.StreamService} (one call per client request,
 * whatever the protocol), the CLI and the export runtime, from any thread. <b>Thread-safe</b>: create, update and
 * delete of the same name are serialised; everything else runs concurrently.
 *
 * <p><b>Persistence.</b> Every stream's definition survives a restart. A {@link
 * io.github.edgestream.core.model.Persistence#FILE FILE} stream comes back with its messages and continues its
 * sequence numbers; a {@link io.github.edgestream.core.model.Persistence#MEMORY MEMORY} stream comes back empty,
 * starting again at 0. Opening a store reads definitions and small per-segment metadata files only, never message
 * data, unless a stream was not closed cleanly: then its newest segment is checked record by record, and damage is
 * reported to the {@link StoreListener} and the log with the lost range of sequence numbers.
 *
 * <p><b>Errors.</b> {@link StreamAlreadyExistsException}, {@link StreamNotFoundException},
 * {@link UpdateNotAllowedException}, {@link StoreWriteException} (the definition could not be saved; nothing
 * changed), {@link StoreClosedException} after {@link #close()}. Definitions arrive validated (by
 * {@link io.github.edgestream.core.model.StreamDefinition}'s constructor).
 */
public interface StreamStore extends AutoCloseable {

    /**
     * Opens (creating if needed) the store under {@code settings.rootDirectory()}, taking an exclusive lock on it.
     *
     * @throws StoreLockedException if another process or store holds the directory
     * @throws StoreWriteException  if the directory cannot be created or written
     */
    static StreamStore open(StoreSettings settings, StoreServices services) {
        return SegmentedStreamStore.open(settings, services);
    }

    /**
     * Creates an empty stream; its first message will get sequence number 0.
     *
     * @throws StreamAlreadyExistsException if the name is taken
     */
    default MessageStream create(StreamDefinition definition) {
        return create(definition, CatalogRule.NONE);
    }

    /**
     * {@link #create(StreamDefinition)} if {@code rule} accepts the definition, checked atomically with the create
     * (no other create, update or delete falls between the two). The rule runs first, before the name is checked.
     *
     * @throws RuntimeException whatever the rule throws; nothing is created
     */
    MessageStream create(StreamDefinition definition, CatalogRule rule);

    /** The stream with this name, if it exists. */
    Optional<MessageStream> find(StreamName name);

    /**
     * The partitions of the stream with this name, partition {@code i} at index {@code i}: one for a stream that is
     * not partitioned (the stream itself, as {@link #find} returns it). Each partition is a {@link MessageStream}
     * with its own sequence numbers, policies (the stream's definition, {@code maxSize} per partition), fencing token
     * and checkpoints. For a partitioned stream, {@link #find} returns a handle for the stream as a whole, which
     * describes it but refuses reads and writes with {@link PartitionedStreamException}.
     *
     * @throws StreamNotFoundException if there is none
     */
    default List<MessageStream> partitions(StreamName name) {
        return List.of(get(name));
    }

    /**
     * The stream with this name.
     *
     * @throws StreamNotFoundException if there is none
     */
    default MessageStream get(StreamName name) {
        return find(name).orElseThrow(() -> new StreamNotFoundException(name));
    }

    /**
     * Replaces the definition of an existing stream (same name). Persistence cannot change; {@code maxSize} cannot go
     * below what the stream stores or below its segment size. A shorter TTL or a switch to overwrite takes effect
     * at once and may delete segments. A new segment size applies to segments created from now on.
     *
     * @throws StreamNotFoundException   if there is no such stream
     * @throws UpdateNotAllowedException if a rule above is broken; the stream is unchanged
     */
    default MessageStream update(StreamDefinition definition) {
        return update(definition, CatalogRule.NONE);
    }

    /**
     * {@link #update(StreamDefinition)} if {@code rule} accepts the definition, checked atomically with the update.
     * The rule runs first, before the stream is looked up.
     *
     * @throws RuntimeException whatever the rule throws; the stream is unchanged
     */
    MessageStream update(StreamDefinition definition, CatalogRule rule);

    /**
     * Deletes the stream, every message and every file of it. Reads waiting on it fail with
     * {@link StreamNotFoundException}. Creating the name again starts a new stream at sequence number 0.
     *
     * @throws StreamNotFoundException if there is no such stream
     */
    void delete(StreamName name);

    /** The names of all streams, sorted. */
    List<StreamName> list();

    /**
     * Renames a stream: its messages, cursors, checkpoints and exports stay with it. Handles obtained under the old
     * name fail with {@link StreamNotFoundException} ("it was renamed"); find it again under the new one. Durable when
     * this returns (a crash during it leaves the stream whole, under one name or the other).
     *
     * @throws StreamNotFoundException      if there is no stream {@code from}
     * @throws StreamAlreadyExistsException if a stream {@code to} exists
     * @throws IllegalArgumentException     for a Memory stream (its messages live in memory and would not survive)
     * @throws StoreWriteException          if the move fails (the stream stays {@code from})
     */
    default MessageStream rename(StreamName from, StreamName to, CatalogRule rule) {
        throw new UnsupportedOperationException("this store cannot rename streams");
    }

    // ------------------------------------------------------------------------------------------------ namespaces

    /**
     * The namespace this catalogue holds: {@link Namespace#DEFAULT} for the store itself, which the Greengrass,
     * Kinesis and OCI APIs share; another for a view from {@link #createNamespace} or {@link #findNamespace}.
     */
    default Namespace namespace() {
        return Namespace.DEFAULT;
    }

    /**
     * The catalogue of a namespace, created (durably) if it does not exist yet: a {@code StreamStore} of its own,
     * whose streams are separate from those of every other namespace (S2 basins, ReductStore buckets). The default
     * namespace is this store. A namespace's catalogue events go to the listener its store's listener gives for it
     * ({@link StoreListener#forNamespace}): the export runtime exports a namespace's streams like any other, the
     * daemon's metrics count their evictions; the status writer hears of the default namespace only. Namespaces do
     * not nest. Thread-safe; idempotent.
     *
     * @throws StoreWriteException if the namespace cannot be recorded on disk
     */
    default StreamStore createNamespace(Namespace namespace) {
        if (namespace.isDefault()) {
            return this;
        }
        throw new UnsupportedOperationException("this store has only the default namespace");
    }

    /**
     * Creates a namespace with attributes, unless one of that name exists: the check and the creation are one step
     * under the catalogue lock, so of two racing callers exactly one creates it.
     *
     * @return whether this call created it (false: it existed, and its attributes are unchanged)
     * @throws StoreWriteException      if the namespace cannot be recorded on disk
     * @throws IllegalArgumentException for the default namespace, or attributes beyond the limits of
     *                                  {@link #setNamespaceAttributes}
     */
    default boolean addNamespace(Namespace namespace, Map<String, String> attributes) {
        throw new UnsupportedOperationException("this store has only the default namespace");
    }

    /**
     * The attributes kept with this catalogue's namespace: small text settings an API stores with it (an S2 basin's
     * configuration and creation time). Empty for the default namespace.
     */
    default Map<String, String> namespaceAttributes() {
        return Map.of();
    }

    /**
     * Replaces the attributes of this catalogue's namespace, durably (they are in its {@code namespace.properties}).
     * At most {@value #MAX_NAMESPACE_ATTRIBUTES} attributes; keys 1 to 128 characters from {@code A-Z a-z 0-9 . _ -},
     * values at most 16 KiB of text.
     *
     * @throws UnsupportedOperationException for the default namespace
     * @throws IllegalArgumentException      naming the attribute and the limit it breaks
     * @throws StoreWriteException           if they cannot be written (the old ones stay in force)
     */
    default void setNamespaceAttributes(Map<String, String> attributes) {
        throw new UnsupportedOperationException("the default namespace has no attributes");
    }

    /** See {@link #setNamespaceAttributes}. */
    int MAX_NAMESPACE_ATTRIBUTES = 64;

    /** The catalogue of an existing namespace; the default namespace is this store. */
    default Optional<StreamStore> findNamespace(Namespace namespace) {
        return namespace.isDefault() ? Optional.of(this) : Optional.empty();
    }

    /** Every namespace, sorted; always includes {@link Namespace#DEFAULT}. */
    default List<Namespace> namespaces() {
        return List.of(Namespace.DEFAULT);
    }

    /**
     * Renames a namespace with every stream in it: messages, checkpoints, cursors, exports and attributes stay; handles
     * from it fail with {@link StreamNotFoundException} ("its namespace was renamed"). Every stream must be a File
     * stream (a Memory stream's messages would not survive). Durable when this returns.
     *
     * @throws NamespaceNotFoundException if there is no namespace {@code from}
     * @throws IllegalArgumentException   for the default namespace, a namespace {@code to} that exists, or a Memory
     *                                    stream in it
     * @throws StoreWriteException        if the move fails (the namespace keeps its name)
     */
    default void renameNamespace(Namespace from, Namespace to) {
        throw new UnsupportedOperationException("this store cannot rename namespaces");
    }

    /**
     * Deletes a namespace with every stream in it (as {@link #delete} deletes each). The default namespace cannot be
     * deleted. Handles from it fail with {@link StreamNotFoundException} or {@link StoreClosedException} afterwards.
     *
     * @return whether it existed
     * @throws IllegalArgumentException for the default namespace
     */
    default boolean deleteNamespace(Namespace namespace) {
        if (namespace.isDefault()) {
            throw new IllegalArgumentException("the default namespace cannot be deleted");
        }
        return false;
    }

    /**
     * Fails waiting reads with {@link StoreClosedException}, flushes and closes every stream and releases the
     * directory lock. Idempotent.
     */
    @Override
    void close();
}
