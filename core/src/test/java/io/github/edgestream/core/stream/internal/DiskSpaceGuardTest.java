package io.github.edgestream.core.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The reserve holds at any append rate: between two measurements the guard counts what appends wrote. The disk here
 * is a counter that loses what the guard lets through, and the clock never moves, so a guard that only measured
 * once a second would let every append through.
 */
class DiskSpaceGuardTest {

    private static final long MIB = 1 << 20;

    private final ManualClock clock = ManualClock.startingAt2026();
    private final AtomicLong free = new AtomicLong(100 * MIB);
    private final AtomicInteger measurements = new AtomicInteger();
    private final DiskSpaceGuard guard = new DiskSpaceGuard(Path.of("/store"), DataSize.ofMebibytes(64), clock, () -> {
        measurements.incrementAndGet();
        return free.get();
    });

    /** An append the guard allows, then written to the "disk". */
    private void append(long bytes) {
        guard.check(bytes);
        free.addAndGet(-bytes);
    }

    @Test
    void aBurstWithinOneSecondStopsAtTheReserve() {
        int accepted = 0;
        while (accepted < 200) { // 100 MiB free: a guard that lets everything through stops here
            try {
                append(MIB);
                accepted++;
            } catch (StoreWriteException refused) {
                assertThat(refused).hasMessageContaining("reserve of 64 MiB").hasMessageContaining("/store");
                break;
            }
        }

        assertThat(accepted).isEqualTo(36);
        assertThat(free.get()).isEqualTo(64 * MIB);
    }

    @Test
    void farFromTheReserveTheDiskIsMeasuredAtMostOnceASecond() {
        free.set(10_000 * MIB);
        for (int i = 0; i < 1000; i++) {
            append(1024);
        }
        assertThat(measurements).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        append(1024);

        assertThat(measurements).hasValue(2);
    }

    @Test
    void spaceFreedByOthersIsSeenAgainOnceTheEstimateReachesTheReserve() {
        for (int i = 0; i < 36; i++) {
            append(MIB);
        }
        assertThatThrownBy(() -> append(MIB)).isInstanceOf(StoreWriteException.class);

        free.addAndGet(10 * MIB); // retention, or another program deleting files

        append(MIB);
        assertThat(free.get()).isEqualTo(73 * MIB);
    }

    @Test
    void writesOfOtherProgramsShowUpAtTheNextMeasurement() {
        append(MIB);
        free.addAndGet(-30 * MIB); // another program fills the disk; our estimate does not know yet
        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> append(6 * MIB)).isInstanceOf(StoreWriteException.class)
                .hasMessageContaining("69 MiB free");
    }
}
