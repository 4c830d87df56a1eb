package io.github.edgestream.api.reductstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.http.BodyCodecs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Query ids live their ttl after the last read, and a bounded number of queries are open at once. */
class QueriesTest {

    private final ManualClock clock = ManualClock.startingAt2026();
    private final Queries queries = new Queries(clock);
    private final Condition all = Condition.parse(BodyCodecs.json().createObjectNode(), false);

    private long open(String bucket, Duration ttl) {
        return queries.open(bucket, Map.of(), Map.of(), 0, Long.MAX_VALUE, all, ttl, true, false);
    }

    @Test
    void aQueryExpiresItsTtlAfterItsLastRead() {
        long id = open("b", Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(4));
        queries.next(queries.get("b", id)).toCompletableFuture().join(); // a read renews the ttl
        clock.advance(Duration.ofSeconds(4));
        assertThat(queries.get("b", id)).isNotNull();

        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> queries.get("b", id)).isInstanceOfSatisfying(ReductException.class,
                e -> assertThat(e.status()).isEqualTo(404)).hasMessageContaining("ttl");
    }

    @Test
    void aQueryIsItsBucketsOnlyAndOpenQueriesAreBounded() {
        long id = open("b", Duration.ofSeconds(60));
        assertThatThrownBy(() -> queries.get("other", id)).isInstanceOf(ReductException.class);
        for (int i = 1; i < Queries.MAX_QUERIES; i++) {
            open("b", Duration.ofSeconds(60));
        }
        assertThatThrownBy(() -> open("b", Duration.ofSeconds(60))).isInstanceOfSatisfying(ReductException.class,
                e -> assertThat(e.status()).isEqualTo(503)).hasMessageContaining("too many open queries");
        clock.advance(Duration.ofSeconds(61));
        assertThat(open("b", Duration.ofSeconds(60))).as("expired queries make room").isPositive();
    }
}
