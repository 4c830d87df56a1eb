package io.github.edgestream.core.export;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket over all exports' payload bytes. {@link #reserve} never blocks: it books the bytes (the bucket may
 * go into debt, so a batch larger than the bucket still goes) and says how long the caller must wait before sending.
 * The bucket holds one second's worth of bytes, so an idle link may burst for a second. Thread-safe.
 */
final class BandwidthLimiter {

    private final Clock clock;
    private final double bytesPerMilli;
    private final double capacity;
    private double available;
    private long updatedMillis;

    /** @param kbps kilobits per second; one kilobit is 1000 bits */
    BandwidthLimiter(long kbps, Clock clock) {
        this.clock = clock;
        this.bytesPerMilli = kbps * 1000.0 / 8 / 1000;
        this.capacity = bytesPerMilli * 1000;
        this.available = capacity;
        this.updatedMillis = clock.millis();
    }

    /** Books {@code bytes} and returns how long to wait before sending them (zero: send now). */
    synchronized Duration reserve(long bytes) {
        long now = clock.millis();
        available = Math.min(capacity, available + (now - updatedMillis) * bytesPerMilli);
        updatedMillis = now;
        double waitMillis = available >= bytes ? 0 : (bytes - available) / bytesPerMilli;
        available -= bytes;
        return Duration.ofMillis((long) Math.ceil(waitMillis));
    }
}
