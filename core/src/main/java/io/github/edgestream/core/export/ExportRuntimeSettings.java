package io.github.edgestream.core.export;

import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.ExportKind;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The daemon-level settings of the export runtime. Immutable.
 *
 * @param threadPoolSize       threads shared by every export for calls to destinations
 *                             ({@code STREAM_MANAGER_EXPORTER_THREAD_POOL_SIZE}, default 5)
 * @param maxBandwidthKbps     a cap on the payload bits per second all exports send together, in kilobits (1000
 *                             bits) per second ({@code STREAM_MANAGER_EXPORTER_MAX_BANDWIDTH}); absent: no cap
 * @param destinations         per kind of destination: endpoint override, region, call timeout; kinds not listed get
 *                             {@link DestinationSettings#defaults()}
 * @param firstRetryDelay      the back-off after the first failure; it doubles up to {@code maxRetryDelay}
 * @param maxRetryDelay        the longest back-off (5 minutes, as Greengrass)
 * @param priorityStep         how much longer a batch of priority {@code p + 1} may wait than one of priority {@code p}
 *                             before it is served first anyway: low priorities are delayed, never starved
 */
public record ExportRuntimeSettings(
        int threadPoolSize,
        Optional<Long> maxBandwidthKbps,
        Map<ExportKind, DestinationSettings> destinations,
        Duration firstRetryDelay,
        Duration maxRetryDelay,
        Duration priorityStep) {

    public static final int DEFAULT_THREAD_POOL_SIZE = 5;

    public ExportRuntimeSettings {
        Objects.requireNonNull(maxBandwidthKbps, "maxBandwidthKbps");
        destinations = Map.copyOf(destinations);
        Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
        Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
        Objects.requireNonNull(priorityStep, "priorityStep");
        if (threadPoolSize < 1) {
            throw new IllegalArgumentException("threadPoolSize is " + threadPoolSize + " but must be at least 1");
        }
        maxBandwidthKbps.ifPresent(kbps -> {
            if (kbps < 1) {
                throw new IllegalArgumentException("maxBandwidthKbps is " + kbps + " but must be at least 1");
            }
        });
        if (firstRetryDelay.isNegative() || firstRetryDelay.isZero() || maxRetryDelay.compareTo(firstRetryDelay) < 0) {
            throw new IllegalArgumentException("retry delays must be positive and firstRetryDelay (" + firstRetryDelay
                    + ") <= maxRetryDelay (" + maxRetryDelay + ")");
        }
    }

    /** 5 threads, no bandwidth cap, the SDK's endpoints, back-off from 1 s to 5 min, 1 s per priority step. */
    public static ExportRuntimeSettings defaults() {
        return new ExportRuntimeSettings(DEFAULT_THREAD_POOL_SIZE, Optional.empty(), Map.of(), Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(1));
    }

    public ExportRuntimeSettings withThreadPoolSize(int value) {
        return new ExportRuntimeSettings(value, maxBandwidthKbps, destinations, firstRetryDelay, maxRetryDelay,
                priorityStep);
    }

    public ExportRuntimeSettings withMaxBandwidthKbps(long value) {
        return new ExportRuntimeSettings(threadPoolSize, Optional.of(value), destinations, firstRetryDelay,
                maxRetryDelay, priorityStep);
    }

    public ExportRuntimeSettings withDestinations(Map<ExportKind, DestinationSettings> value) {
        return new ExportRuntimeSettings(threadPoolSize, maxBandwidthKbps, value, firstRetryDelay, maxRetryDelay,
                priorityStep);
    }

    public DestinationSettings destination(ExportKind kind) {
        return destinations.getOrDefault(kind, DestinationSettings.defaults());
    }
}
