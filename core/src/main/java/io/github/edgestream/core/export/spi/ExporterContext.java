package io.github.edgestream.core.export.spi;

import io.github.edgestream.core.model.StreamName;
import java.time.Clock;
import java.util.Objects;

/**
 * What an exporter gets besides its config.
 *
 * @param stream      the stream it exports
 * @param destination the daemon's settings for this kind of destination
 * @param clock       the only source of time exporters may use
 * @param notices     where an exporter reports problems that do not decide the outcome (a multipart upload it could
 *                    not abort); the runtime passes them on to the export's listeners (status streams)
 */
public record ExporterContext(StreamName stream, DestinationSettings destination, Clock clock,
        ExportNotices notices) {

    public ExporterContext {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(notices, "notices");
    }

    /** A context whose notices go nowhere (tests, tools). */
    public ExporterContext(StreamName stream, DestinationSettings destination, Clock clock) {
        this(stream, destination, clock, ExportNotices.NONE);
    }
}
