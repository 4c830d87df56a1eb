package io.github.edgestream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiOptionsTest {

    @Test
    void readsOptionsAndReportsEveryProblemAtOnce() {
        ApiOptions fine = new ApiOptions("s2", Map.of("enabled", "true", "flushOnWrite", "FALSE", "maxSize", "10"),
                Set.of("flushOnWrite", "maxSize", "strategyOnFull"));
        assertThat(fine.get("flushOnWrite", ApiOptions::bool, true)).isFalse();
        assertThat(fine.get("maxSize", ApiOptions.range(1, 100), 5L)).isEqualTo(10L);
        assertThat(fine.get("strategyOnFull", ApiOptions::strategy, StrategyOnFull.REJECT_NEW_DATA))
                .as("absent: the default").isEqualTo(StrategyOnFull.REJECT_NEW_DATA);
        fine.check();

        ApiOptions bad = new ApiOptions("s2", Map.of("typo", "1", "maxSize", "x", "strategyOnFull", "drop"),
                Set.of("maxSize", "strategyOnFull"));
        assertThat(bad.get("maxSize", ApiOptions.range(1, 100), 5L)).isEqualTo(5L);
        bad.get("strategyOnFull", ApiOptions::strategy, StrategyOnFull.REJECT_NEW_DATA);
        assertThatThrownBy(bad::check).hasMessageContaining("api.s2.typo is not a setting")
                .hasMessageContaining("api.s2.maxSize is \"x\" but must be a number")
                .hasMessageContaining("api.s2.strategyOnFull is \"drop\" but must be RejectNewData or"
                        + " OverwriteOldestData");
        assertThatThrownBy(() -> ApiOptions.range(1, 10).apply("11")).hasMessage("must be between 1 and 10");
    }

    @Test
    void streamDefaultsReadTheFiveStreamOptionsKeepingTheFallbackWhereAbsentOrWrong() {
        ApiOptions.StreamDefaults fallback = new ApiOptions.StreamDefaults(Persistence.FILE, DataSize.ofBytes(1024),
                DataSize.ofBytes(2048), StrategyOnFull.REJECT_NEW_DATA, false);
        ApiOptions options = new ApiOptions("oci", Map.of("persistence", "memory", "maxSize", "4096",
                "flushOnWrite", "maybe"), ApiOptions.StreamDefaults.KEYS);

        ApiOptions.StreamDefaults read = options.streamDefaults(fallback);

        assertThat(read).isEqualTo(new ApiOptions.StreamDefaults(Persistence.MEMORY, DataSize.ofBytes(4096),
                DataSize.ofBytes(2048), StrategyOnFull.REJECT_NEW_DATA, false));
        assertThatThrownBy(options::check).hasMessage("api.oci.flushOnWrite is \"maybe\" but must be true or false");
    }
}
