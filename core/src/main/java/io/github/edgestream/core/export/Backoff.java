package io.github.edgestream.core.export;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: the n-th consecutive failure waits a random time between half and all of
 * {@code first * 2^(n-1)}, capped at {@code max}. The random half spreads the retries of many exports that failed
 * together (a link coming back) instead of sending them all in the same second. Thread-safe if the random
 * generator is.
 */
final class Backoff {

    private final Duration first;
    private final Duration max;
    private final RandomGenerator random;

    Backoff(Duration first, Duration max, RandomGenerator random) {
        this.first = first;
        this.max = max;
        this.random = random;
    }

    /** The wait after the {@code failures}-th consecutive failure (1 for the first). */
    Duration delay(int failures) {
        long ceiling = max.toMillis();
        long millis = first.toMillis();
        for (int i = 1; i < failures && millis < ceiling; i++) {
            millis *= 2;
        }
        millis = Math.min(millis, ceiling);
        long half = millis / 2;
        return Duration.ofMillis(half + random.nextLong(millis - half + 1));
    }
}
