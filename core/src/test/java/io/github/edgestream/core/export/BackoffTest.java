package io.github.edgestream.core.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new SplittableRandom(3));

    @ParameterizedTest(name = "failure {0}: between {1} and {2} ms")
    @CsvSource({"1, 500, 1000", "2, 1000, 2000", "3, 2000, 4000", "9, 128000, 256000", "10, 150000, 300000",
            "1000, 150000, 300000"})
    void doublesWithJitterUpToFiveMinutes(int failures, long lowest, long highest) {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(failures).toMillis()).isBetween(lowest, highest);
        }
    }
}
