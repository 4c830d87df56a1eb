package io.github.edgestream.core.export;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.ResponseTooLargeException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports one stream to one destination: reads batches from the stream at its cursor, hands them to the dispatcher
 * pool, acts on the exporter's verdict, and moves and saves the cursor once every message of a batch is delivered or
 * skipped. A crash therefore resends at most the batch in flight.
 *
 * <pre>
 *   await ──read──▶ gather ──(batchSize reached | interval passed | no interval)──▶ send ──▶ verdict
 *     ▲                                                                             │
 *     └────────────── batch complete: cursor saved ◀── Delivered / skips ◀─────────┤
 *                                                    Retry, retryable rejections ──┴──▶ back-off ──▶ send
 * </pre>
 *
 * <p>Thread-safe: state is guarded by {@code this}. Read completions run on the runtime's control thread, sends on a
 * dispatcher thread; the monitor is never held across an exporter call or a store call that can block.
 */
final class ExportWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ExportWorker.class);
    /** How long one read waits for new messages before it is simply issued again. */
    private static final Duration WAIT_FOR_MESSAGES = Duration.ofMinutes(1);
    /** Tasks read at once by a non-batching export (S3); sent one call at a time. */
    private static final int TASK_READ_AHEAD = 100;

    private final MessageStream stream;
    private final ExportConfig config;
    private final ExporterProvider provider;
    private final ExportRuntime.Services services;
    private final String label;

    // guarded by this
    private ExportProgress progress;
    private Exporter exporter;
    private BatchLimits limits;
    private boolean stopped;
    private boolean inFlight;
    private Scheduler.Cancellable timer;
    private Optional<String> lastError = Optional.empty();
    private int failures;
    private Optional<Instant> nextAttempt = Optional.empty();
    /** What is left to send of the current batch (sub-batches after splits and partial failures). */
    private final Deque<Batch> pending = new ArrayDeque<>();
    /** The cursor once the current batch is complete. */
    private long batchEnd = -1;
    /** The call in progress, if any. */
    private Batch inFlightBatch;
    /** Removed (export or stream), as opposed to stopped for a restart: pending messages are canceled. */
    private boolean removed;
    /** A task export's read for more tasks is outstanding. */
    private boolean watching;
    /** The batch completed while that read was outstanding: the read's completion goes on from there. */
    private boolean completedWhileWatching;
    private final EventOutbox outbox;

    ExportWorker(MessageStream stream, ExportConfig config, ExporterProvider provider, ExportRuntime.Services services) {
        this(Namespace.DEFAULT, stream, config, provider, services);
    }

    /** The worker of an export of a stream of {@code namespace}. */
    ExportWorker(Namespace namespace, MessageStream stream, ExportConfig config, ExporterProvider provider,
            ExportRuntime.Services services) {
        this.stream = stream;
        this.config = config;
        this.provider = provider;
        this.services = services;
        this.label = "export \"" + config.identifier() + "\" of stream \"" + stream.name() + "\""
                + (namespace.isDefault() ? "" : " in namespace \"" + namespace + "\"");
        this.outbox = new EventOutbox(namespace, stream.name(), config, services.listeners(), services.clock(),
                label);
        this.progress = loadProgress();
    }

    ExportConfig config() {
        return config;
    }

    /** Begins exporting unless the export is disabled. Called once, from the control thread. */
    void start() {
        if (config.settings().disabled()) {
            LOG.info("{} is disabled; it stays at sequence number {}", label, progress.next());
            return;
        }
        if (provider == null) {
            fail("no exporter for " + config.kind().wireKey() + " exports is installed in this daemon");
            LOG.warn("{}: {}", label, lastError.orElseThrow());
            return;
        }
        createExporterAndAwait();
    }

    /** Stops for a restart (daemon stopping, config changed): what is pending is sent again by the next worker. */
    void stop() {
        stop(false);
    }

    /**
     * Stops for good: no more reads or sends; the exporter is closed once no call is in progress. With
     * {@code removedForGood} (the export or its stream is gone) the messages read but not yet sent are reported
     * {@link ExportEvent.Type#CANCELED}, and so is the call in flight unless it ends delivered or failed.
     */
    void stop(boolean removedForGood) {
        Exporter toClose;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            removed = removedForGood;
            if (timer != null) {
                timer.cancel();
            }
            toClose = inFlight ? null : exporter;
            if (removedForGood) {
                List<Message> waiting = new ArrayList<>();
                for (Batch batch : pending) {
                    if (batch != inFlightBatch) {
                        waiting.addAll(batch.messages());
                    }
                }
                if (!waiting.isEmpty()) {
                    event(ExportEvent.Type.CANCELED, waiting, "the export or its stream was removed before these"
                            + " messages were exported", Map.of());
                }
            }
        }
        publish();
        if (toClose != null) {
            toClose.close();
        }
    }

    synchronized int pendingMessages() {
        return pending.stream().mapToInt(batch -> batch.messages().size()).sum();
    }

    synchronized ExportStatus status() {
        return new ExportStatus(config.identifier(), progress.next() - 1, progress.lastExportTime(),
                lastError.or(progress::note), progress.exportedBytes(), progress.exportedMessages(),
                progress.skippedMessages(), progress.lostMessages(), failures, nextAttempt);
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    private void createExporterAndAwait() {
        try {
            var created = provider.create(config, new ExporterContext(stream.name(),
                    services.settings().destination(config.kind()), services.clock(), this::warning));
            synchronized (this) {
                if (stopped) {
                    created.close();
                    return;
                }
                exporter = created;
                limits = created.limits();
            }
        } catch (RuntimeException e) {
            Duration delay = retryLater("cannot start the exporter: " + e.getMessage(), Optional.empty(),
                    this::createExporterAndAwait);
            LOG.warn("{}: cannot start the exporter, trying again in {}: {}", label, delay, e.toString());
            return;
        }
        awaitMessages();
    }

    /**
     * Messages per read. Batching kinds read one batch; task kinds (S3) read ahead so that the tasks waiting behind
     * the running one are known (and can be reported canceled), then send them one call at a time.
     */
    private int batchSize() {
        if (!config.kind().batches()) {
            return TASK_READ_AHEAD;
        }
        return Math.min(config.settings().batchSize().orElse(config.kind().maxBatchSize()), limits.maxMessages());
    }

    private ReadRequest readRequest(long from, int min, Duration timeout) {
        long budget = config.kind().batches() ? limits.maxBatchBytes() : ReadRequest.UNLIMITED.bytes();
        return new ReadRequest(from, min, Math.max(min, batchSize()), timeout, DataSize.ofBytes(budget), 0);
    }

    private void awaitMessages() {
        long from;
        synchronized (this) {
            if (stopped) {
                return;
            }
            from = progress.next();
        }
        read(readRequest(from, 1, WAIT_FOR_MESSAGES), this::gather, this::awaitMessages);
    }

    /** With an interval, wait until the batch is full or its oldest message is {@code batchIntervalMillis} old. */
    private void gather(List<Message> available) {
        Optional<Duration> interval = config.settings().batchInterval().filter(i -> config.kind().batches());
        if (interval.isEmpty() || available.size() >= batchSize() || isFullByBytes(available)) {
            send(available);
            return;
        }
        Instant due = available.get(0).ingestTime().plus(interval.get());
        Duration left = Duration.between(services.clock().instant(), due);
        long from = available.get(0).sequenceNumber();
        if (left.isNegative() || left.isZero()) {
            send(available);
            return;
        }
        Runnable takeWhatIsThere = () -> read(readRequest(from, 1, Duration.ZERO), this::send, this::awaitMessages);
        read(readRequest(from, batchSize(), left), this::send, takeWhatIsThere);
    }

    private boolean isFullByBytes(List<Message> messages) {
        long bytes = 0;
        for (Message message : messages) {
            bytes += message.payload().length;
        }
        return bytes + limits.maxMessageBytes() > limits.maxBatchBytes();
    }

    /**
     * Reads, then continues on the control thread with the messages, or with {@code notEnough} when the read timed
     * out (or the byte budget cut it short). A single message too large for a batch is read alone and skipped.
     */
    private void read(ReadRequest request, Consumer<List<Message>> then, Runnable notEnough) {
        stream.read(request).whenCompleteAsync((messages, error) -> {
            synchronized (this) {
                if (stopped) {
                    return;
                }
            }
            if (error == null) {
                then.accept(messages);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof NotEnoughMessagesException) {
                notEnough.run();
            } else if (cause instanceof ResponseTooLargeException && request.minMessageCount() > 1) {
                read(readRequest(request.desiredStartSequenceNumber(), 1, Duration.ZERO), then, this::awaitMessages);
            } else if (cause instanceof ResponseTooLargeException) {
                read(ReadRequest.upTo(request.desiredStartSequenceNumber(), 1), then, this::awaitMessages);
            } else if (cause instanceof StreamNotFoundException || cause instanceof StoreClosedException) {
                stop();
            } else {
                Duration delay = retryLater("cannot read the stream: " + cause.getMessage(), Optional.empty(),
                        this::awaitMessages);
                LOG.warn("{}: cannot read the stream, trying again in {}", label, delay, cause);
            }
        }, services.control());
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    /** Starts a new batch: records retention losses, skips messages too large for any call, sends the rest. */
    private void send(List<Message> messages) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            pending.clear();
            enqueue(messages, progress.next());
        }
        publish();
        next();
        watchForMoreTasks();
    }

    /**
     * Adds messages read from {@code expected} to the current batch, in parts of at most the exporter's message
     * limit. Called with the monitor held.
     */
    private void enqueue(List<Message> messages, long expected) {
        long first = messages.get(0).sequenceNumber();
        if (first > expected) {
            recordLoss(expected, first - 1);
        }
        List<Message> sendable = new ArrayList<>(messages.size());
        for (Message message : messages) {
            if (message.payload().length > limits.maxMessageBytes()) {
                skip(message, "it is " + message.payload().length + " bytes, more than the "
                        + limits.maxMessageBytes() + " bytes " + config.kind().protocolName()
                        + " destinations accept in one message");
            } else {
                sendable.add(message);
            }
        }
        batchEnd = messages.get(messages.size() - 1).sequenceNumber() + 1;
        for (int from = 0; from < sendable.size(); from += limits.maxMessages()) {
            pending.add(new Batch(stream.name(), config.identifier(),
                    sendable.subList(from, Math.min(sendable.size(), from + limits.maxMessages())), 1));
        }
    }

    /**
     * Task exports (S3) keep reading while tasks run, so that every task appended behind the running one is known:
     * reported canceled if the stream or export goes away, and started without a new read when its turn comes. At
     * most one such read is outstanding; while it is, a completed batch leaves the next read to it.
     */
    private void watchForMoreTasks() {
        long from;
        synchronized (this) {
            if (stopped || watching || config.kind().batches()) {
                return;
            }
            watching = true;
            from = batchEnd;
        }
        stream.read(ReadRequest.of(from, 1, TASK_READ_AHEAD, WAIT_FOR_MESSAGES))
                .whenCompleteAsync((messages, error) -> moreTasks(from, messages, error), services.control());
    }

    private void moreTasks(long from, List<Message> messages, Throwable error) {
        boolean resume;
        boolean rewatch;
        boolean await = false;
        synchronized (this) {
            watching = false;
            if (stopped) {
                return;
            }
            resume = completedWhileWatching;
            completedWhileWatching = false;
            if (error == null) {
                enqueue(messages, from);
                rewatch = true;
            } else {
                // nothing new (or a read error, which the next plain read reports): carry on as without a watch
                rewatch = !resume;
                await = resume;
                resume = false;
            }
        }
        publish();
        if (resume) {
            next();
        }
        if (await) {
            awaitMessages();
        }
        if (rewatch) {
            watchForMoreTasks();
        }
    }

    /**
     * Sends the next part of the current batch, or completes it. Parts finish in order, so everything before the
     * next part is done: the cursor moves there (and is saved) as parts complete, and a crash resends at most the
     * part in flight.
     */
    private void next() {
        Batch batch;
        ExportProgress toSave = null;
        synchronized (this) {
            if (stopped) {
                return;
            }
            batch = pending.peek();
            if (batch != null && batch.firstSequenceNumber() > progress.next()) {
                progress = progress.movedTo(batch.firstSequenceNumber());
                toSave = progress;
            }
        }
        if (batch == null) {
            completeBatch();
            return;
        }
        if (toSave != null) {
            save(toSave);
        }
        dispatch(batch);
    }

    private void dispatch(Batch batch) {
        Duration wait = services.bandwidth().map(limiter -> limiter.reserve(batch.payloadBytes())).orElse(Duration.ZERO);
        Runnable submit = () -> services.dispatcher().submit(config.settings().effectivePriority(), () -> call(batch));
        if (wait.isZero()) {
            submit.run();
        } else {
            synchronized (this) {
                timer = services.scheduler().schedule(wait, submit);
            }
        }
    }

    /** On a dispatcher thread: one call to the destination. */
    private void call(Batch batch) {
        Exporter target;
        synchronized (this) {
            if (stopped) {
                return;
            }
            inFlight = true;
            inFlightBatch = batch;
            nextAttempt = Optional.empty();
            target = exporter;
            progress = progress.attemptedAt(services.clock().instant());
            if (batch.attempt() == 1) {
                event(ExportEvent.Type.STARTED, batch.messages(), "", Map.of());
            }
        }
        publish();
        ExportResult result;
        try {
            // what leaves the gateway must not be lost by it: a power cut would otherwise take messages the
            // destination holds, and the stream would give their numbers to new messages
            stream.syncThrough(batch.lastSequenceNumber());
            result = target.export(batch);
        } catch (StoreWriteException e) {
            result = new ExportResult.Retry("cannot make the batch durable on the gateway before sending it: "
                    + e.getMessage());
        } catch (StreamNotFoundException | StoreClosedException e) {
            result = new ExportResult.Retry("the stream is going away: " + e.getMessage());
        } catch (InterruptedException e) {
            result = new ExportResult.Retry("interrupted while sending");
        } catch (RuntimeException e) {
            LOG.error("{}: the exporter failed unexpectedly; treating it as a failed call", label, e);
            result = new ExportResult.Retry("the exporter failed unexpectedly: " + e);
        }
        boolean closeNow;
        synchronized (this) {
            inFlight = false;
            inFlightBatch = null;
            closeNow = stopped;
            if (!stopped) {
                apply(batch, result);
            } else if (removed) {
                reportAfterRemoval(batch, result);
            }
        }
        publish();
        if (closeNow) {
            target.close();
        }
    }

    /** The outcome of the last call of a removed export, for its listeners. */
    private void reportAfterRemoval(Batch batch, ExportResult result) {
        if (result instanceof ExportResult.Delivered delivered) {
            event(ExportEvent.Type.DELIVERED, batch.messages(), "", delivered.notes());
        } else if (result instanceof ExportResult.Rejected rejected) {
            event(ExportEvent.Type.FAILED, batch.messages(), rejected.reason(), Map.of());
        } else {
            event(ExportEvent.Type.CANCELED, batch.messages(), "the export or its stream was removed before these"
                    + " messages were exported", Map.of());
        }
    }

    /** Acts on a verdict. Called with the monitor held; continues asynchronously. */
    private void apply(Batch batch, ExportResult result) {
        if (result instanceof ExportResult.Delivered deliveredResult) {
            delivered(batch.messages());
            event(ExportEvent.Type.DELIVERED, batch.messages(), "", deliveredResult.notes());
            pending.poll();
            recovered();
            services.control().execute(this::next);
        } else if (result instanceof ExportResult.Partial partial) {
            applyPartial(batch, partial.rejected(), partial.notBefore());
        } else if (result instanceof ExportResult.Retry retry) {
            pending.poll();
            pending.addFirst(new Batch(batch.stream(), batch.exportIdentifier(), batch.messages(),
                    batch.attempt() + 1));
            scheduleResend(retry.reason(), retry.notBefore());
        } else if (result instanceof ExportResult.Rejected rejected) {
            pending.poll();
            List<Message> messages = batch.messages();
            if (messages.size() == 1) {
                skip(messages.get(0), rejected.reason());
            } else {
                // find the bad messages by halving, so the good ones of the batch still go
                int half = messages.size() / 2;
                pending.addFirst(new Batch(batch.stream(), batch.exportIdentifier(),
                        messages.subList(half, messages.size()), 1));
                pending.addFirst(new Batch(batch.stream(), batch.exportIdentifier(), messages.subList(0, half), 1));
            }
            services.control().execute(this::next);
        }
    }

    private void applyPartial(Batch batch, Map<Long, ExportResult.Rejection> rejected,
            Optional<Duration> notBefore) {
        List<Message> delivered = new ArrayList<>();
        List<Message> again = new ArrayList<>();
        var unknown = new HashSet<>(rejected.keySet());
        String firstRetryable = null;
        for (Message message : batch.messages()) {
            var rejection = rejected.get(message.sequenceNumber());
            unknown.remove(message.sequenceNumber());
            if (rejection == null) {
                delivered.add(message);
            } else if (rejection.retryable()) {
                again.add(message);
                firstRetryable = firstRetryable == null ? rejection.reason() : firstRetryable;
            } else {
                skip(message, rejection.reason());
            }
        }
        if (!unknown.isEmpty()) {
            LOG.warn("{}: the exporter rejected sequence numbers {} that were not in the batch; ignored", label,
                    unknown);
        }
        delivered(delivered);
        if (!delivered.isEmpty()) {
            event(ExportEvent.Type.DELIVERED, delivered, "", Map.of());
        }
        pending.poll();
        if (again.isEmpty()) {
            services.control().execute(this::next);
            return;
        }
        pending.addFirst(new Batch(batch.stream(), batch.exportIdentifier(), again, batch.attempt() + 1));
        scheduleResend(again.size() + " of " + batch.messages().size() + " messages were refused: " + firstRetryable,
                notBefore);
    }

    private void scheduleResend(String reason, Optional<Duration> notBefore) {
        Batch batch = pending.peek();
        event(ExportEvent.Type.RETRY, batch.messages(), reason, Map.of());
        Duration delay = retryLater(reason, notBefore, () -> dispatch(batch));
        if (failures == 1) {
            LOG.warn("{}: {}; sending again in {} and with back-off after that", label, reason, delay);
        } else {
            LOG.debug("{}: attempt {} failed: {}; next in {}", label, batch.attempt() - 1, reason, delay);
        }
    }

    /** Records a failure and schedules {@code task} after the back-off. Returns the delay. */
    private synchronized Duration retryLater(String reason, Optional<Duration> notBefore, Runnable task) {
        fail(reason);
        Duration delay = services.backoff().delay(failures);
        if (notBefore.isPresent() && notBefore.get().compareTo(delay) > 0) {
            delay = notBefore.get();
        }
        if (!stopped) {
            nextAttempt = Optional.of(services.clock().instant().plus(delay));
            timer = services.scheduler().schedule(delay, () -> services.control().execute(task));
        }
        return delay;
    }

    private synchronized void fail(String reason) {
        failures++;
        lastError = Optional.of(reason);
    }

    private void recovered() {
        if (failures > 0) {
            LOG.info("{} is delivering again after {} failed attempts", label, failures);
        }
        failures = 0;
        lastError = Optional.empty();
    }

    private void delivered(List<Message> messages) {
        long bytes = 0;
        for (Message message : messages) {
            bytes += message.payload().length;
        }
        progress = progress.delivered(messages.size(), bytes);
    }

    private void skip(Message message, String reason) {
        String note = "message " + message.sequenceNumber() + " was skipped, it can never be delivered: " + reason;
        LOG.warn("{}: {}", label, note);
        progress = progress.skipped(1, note);
        event(ExportEvent.Type.FAILED, List.of(message), reason, Map.of());
    }

    /** An exporter's notice: a warning about a message of the call in progress. */
    private void warning(long sequenceNumber, String message) {
        LOG.warn("{}: message {}: {}", label, sequenceNumber, message);
        synchronized (this) {
            List<Message> about = inFlightBatch == null ? List.of() : inFlightBatch.messages().stream()
                    .filter(m -> m.sequenceNumber() == sequenceNumber).toList();
            event(ExportEvent.Type.WARNING, about, message, Map.of());
        }
        publish();
    }

    /** Queues an event; {@link #publish()} hands it to the listeners once the monitor is released. */
    private void event(ExportEvent.Type type, List<Message> messages, String detail,
            Map<Long, ExportResult.Note> notes) {
        outbox.add(type, messages, detail, notes);
    }

    private void publish() {
        outbox.publish();
    }

    private void recordLoss(long first, long last) {
        long count = last - first + 1;
        String note = count + " messages (sequence numbers " + first + " to " + last
                + ") were removed by the stream's retention before they were exported";
        LOG.warn("{}: {}", label, note);
        progress = progress.lost(count, last + 1, note);
    }

    private void completeBatch() {
        ExportProgress toSave;
        boolean leaveToWatch;
        synchronized (this) {
            if (stopped) {
                return;
            }
            progress = progress.movedTo(batchEnd);
            toSave = progress;
            leaveToWatch = watching;
            completedWhileWatching = watching;
        }
        save(toSave);
        if (!leaveToWatch) {
            awaitMessages();
        }
    }

    private void save(ExportProgress toSave) {
        try {
            toSave.save(stream.checkpoints(), config.identifier());
        } catch (RuntimeException e) {
            // the cursor is still right in memory; a crash before the next save resends more than one batch
            LOG.warn("{}: cannot save the cursor: {}", label, e.toString());
        }
    }

    private ExportProgress loadProgress() {
        long start = config.settings().startSequenceNumber();
        try {
            return ExportProgress.load(stream.checkpoints(), config.identifier(), start);
        } catch (RuntimeException e) {
            LOG.warn("{}: {}; exporting again from sequence number {}", label, e.getMessage(), start);
            return ExportProgress.fresh(start);
        }
    }
}
