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
 */
public record ExporterContext(StreamName stream, DestinationSettings destination, Clock clock) {

    public ExporterContext {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(clock, "clock");
    }
}
