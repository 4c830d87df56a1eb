package io.github.edgestream.core.export;

/**
 * Hears what happens to exported messages: starts, deliveries, failures, warnings and cancellations, per export.
 * The status module is one; metrics can be another.
 *
 * <p><b>Who calls it.</b> The export runtime, from its control thread or an export pool thread, for every export of
 * every stream, in the order the events happen for one export. Implementations must be thread-safe, quick and must
 * not block: hand slow work (appending to a stream) to an asynchronous call.
 *
 * <p><b>Errors.</b> An exception from {@link #onEvent} is a bug in the listener: the runtime logs it and goes on;
 * exporting never depends on a listener.
 */
@FunctionalInterface
public interface ExportListener {

    void onEvent(ExportEvent event);
}
