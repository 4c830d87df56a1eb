package io.github.edgestream.core.export.spi;

import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;

/**
 * The entry point of an exporter plugin: one per destination kind, found with {@link java.util.ServiceLoader}
 * (a line in {@code META-INF/services/io.github.edgestream.core.export.spi.ExporterProvider}).
 *
 * <p><b>Who calls it.</b> The export runtime, once per export of a stream when the export starts (daemon start,
 * stream created or updated), from its control thread. Thread-safe and stateless apart from shared clients it may
 * cache.
 *
 * <p><b>Errors.</b> The config arrives validated by {@link io.github.edgestream.core.model.StreamDefinition}'s
 * constructor ({@link io.github.edgestream.core.model.ExportConfig#problems}), the same rules a client's request
 * passes. {@link #create} may throw {@link IllegalArgumentException} or
 * {@link IllegalStateException} when the daemon-level {@link DestinationSettings} cannot work (no region, a bad
 * endpoint); the runtime then reports the message as the export's error and retries creating it with back-off.
 */
public interface ExporterProvider {

    /** The kind of export config this provider serves. */
    ExportKind kind();

    /**
     * The exporter for one export of one stream. May build clients; must not do network I/O (the link may be down
     * for hours, and the runtime's retries handle that). Called again after {@link Exporter#close()} when the export's
     * config changes.
     *
     * @param config  of {@link #kind()}: the runtime only passes this provider its own kind
     * @param context the stream, the destination's daemon-level settings, the clock
     */
    Exporter create(ExportConfig config, ExporterContext context);
}
