package io.github.edgestream.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BandwidthLimiterTest {

    private final ManualClock clock = ManualClock.startingAt2026();
    private final BandwidthLimiter limiter = new BandwidthLimiter(80, clock);   // 10,000 bytes per second

    @Test
    void anIdleLinkMayBurstOneSecondThenBytesWaitTheirTurn() {
        assertThat(limiter.reserve(10_000)).isZero();
        assertThat(limiter.reserve(5_000)).isEqualTo(Duration.ofMillis(500));
        assertThat(limiter.reserve(5_000)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void timeRefillsTheBucketButNotBeyondOneSecond() {
        limiter.reserve(10_000);
        clock.advance(Duration.ofMillis(300));
        assertThat(limiter.reserve(3_000)).isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(limiter.reserve(10_000)).isZero();
        assertThat(limiter.reserve(1)).isPositive();
    }

    // a batch larger than the bucket still goes, and the debt delays what follows
    @Test
    void aBatchLargerThanTheBucketGoesAndDelaysTheNext() {
        assertThat(limiter.reserve(30_000)).isEqualTo(Duration.ofSeconds(2));
        assertThat(limiter.reserve(10_000)).isEqualTo(Duration.ofSeconds(3));
    }
}
