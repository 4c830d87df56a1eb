package io.github.edgestream.core.export.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The daemon's settings for one kind of destination, shared by every export of that kind.
 *
 * @param endpoint    send here instead of the service's standard endpoint (VPC endpoints, local emulators); absent:
 *                    the AWS SDK's own resolution ({@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL},
 *                    then the region's endpoint)
 * @param region      the AWS region; absent: the SDK's resolution ({@code AWS_REGION}, profile, instance metadata)
 * @param callTimeout how long one call to the destination may take before it counts as failed (and is retried)
 * @param options     settings of one kind of destination only, validated by its exporter, e.g. {@code minPartSize}
 *                    (bytes) for S3; the daemon's {@code exporter.*} settings for that kind
 */
public record DestinationSettings(Optional<URI> endpoint, Optional<String> region, Duration callTimeout,
        java.util.Map<String, String> options) {

    public DestinationSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(callTimeout, "callTimeout");
        options = java.util.Map.copyOf(options);
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout is " + callTimeout + " but must be positive");
        }
    }

    /** Settings without kind-specific options. */
    public DestinationSettings(Optional<URI> endpoint, Optional<String> region, Duration callTimeout) {
        this(endpoint, region, callTimeout, java.util.Map.of());
    }

    public DestinationSettings withOption(String key, String value) {
        var all = new java.util.HashMap<>(options);
        all.put(key, value);
        return new DestinationSettings(endpoint, region, callTimeout, all);
    }

    /** The SDK's own endpoint and region resolution, 30 s per call. */
    public static DestinationSettings defaults() {
        return new DestinationSettings(Optional.empty(), Optional.empty(), Duration.ofSeconds(30));
    }

    public DestinationSettings withEndpoint(URI value) {
        return new DestinationSettings(Optional.of(value), region, callTimeout, options);
    }

    public DestinationSettings withRegion(String value) {
        return new DestinationSettings(endpoint, Optional.of(value), callTimeout, options);
    }
}
