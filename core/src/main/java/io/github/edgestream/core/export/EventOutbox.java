package io.github.edgestream.core.export;

import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export's events on their way to the listeners: queued while the worker holds its monitor, published once it
 * has let go, so that a listener never runs under an export lock. Nothing is queued when there are no listeners.
 *
 * <p>Thread-safe: its own monitor guards the queue (a leaf lock, see LOCKS.md); listeners run outside it.
 */
final class EventOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);

    private final Namespace namespace;
    private final StreamName stream;
    private final ExportConfig config;
    private final List<ExportListener> listeners;
    private final Clock clock;
    private final String label;
    private final List<ExportEvent> queued = new ArrayList<>();

    EventOutbox(Namespace namespace, StreamName stream, ExportConfig config, List<ExportListener> listeners,
            Clock clock, String label) {
        this.namespace = namespace;
        this.stream = stream;
        this.config = config;
        this.listeners = listeners;
        this.clock = clock;
        this.label = label;
    }

    void add(ExportEvent.Type type, List<Message> messages, String detail, Map<Long, ExportResult.Note> notes) {
        if (listeners.isEmpty()) {
            return;
        }
        var event = new ExportEvent(type, stream, config, messages, detail, notes, clock.instant(), namespace);
        synchronized (this) {
            queued.add(event);
        }
    }

    /** Hands the queued events to every listener, in order. Call without holding the worker's monitor. */
    void publish() {
        List<ExportEvent> events;
        synchronized (this) {
            if (queued.isEmpty()) {
                return;
            }
            events = List.copyOf(queued);
            queued.clear();
        }
        for (ExportEvent event : events) {
            for (ExportListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.error("{}: export listener {} failed on {}", label, listener, event.type(), e);
                }
            }
        }
    }
}
