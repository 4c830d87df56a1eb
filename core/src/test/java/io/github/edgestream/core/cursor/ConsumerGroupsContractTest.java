package io.github.edgestream.core.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.Persistence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of {@link ConsumerGroups} (three partitions), run over the checkpoints of a FILE stream
 * ({@link ConsumerGroupsFileTest}) and a MEMORY stream ({@link ConsumerGroupsMemoryTest}). Reservations expire by
 * advancing the {@code ManualClock}.
 */
abstract class ConsumerGroupsContractTest extends StreamCheckpointsFixture {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    protected CursorStore cursors;
    protected ConsumerGroups groups;

    @Override
    protected void opened() {
        cursors = new CursorStore(checkpoints(), clock);
        groups = new ConsumerGroups(cursors, 3);
    }

    // ------------------------------------------------------------------------------------------ join

    @Test
    void joinReservesTheLowestFreePartitionUntilNowPlusTimeout() {
        assertThat(groups.join("app", "i1", TIMEOUT)).contains(new Reservation("app", "i1", 0, T0.plus(TIMEOUT), 0, 1));
        assertThat(groups.join("app", "i2", TIMEOUT).orElseThrow().partition()).isEqualTo(1);
        assertThat(groups.join("app", "i3", Duration.ofSeconds(5)))
                .contains(new Reservation("app", "i3", 2, T0.plusSeconds(5), 0, 1));
        assertThat(groups.list()).containsExactly("app");
    }

    @Test
    void joinWhenEveryPartitionIsHeldByALiveInstanceIsEmpty() {
        joinAll("app", "i1", "i2", "i3");

        assertThat(groups.join("app", "i4", TIMEOUT)).isEmpty();
    }

    @Test
    void theSameInstanceJoiningAgainGetsItsReservationBackRenewed() {
        groups.join("app", "i1", TIMEOUT);
        groups.join("app", "i2", TIMEOUT);
        clock.advance(Duration.ofSeconds(10));

        assertThat(groups.join("app", "i2", TIMEOUT))
                .contains(new Reservation("app", "i2", 1, T0.plusSeconds(40), 0, 1));
        assertThat(groups.describe("app").orElseThrow().partitions())
                .extracting(GroupDescription.Partition::reservedInstance)
                .containsExactly(Optional.of("i1"), Optional.of("i2"), Optional.empty());
    }

    @Test
    void anExpiredReservationGoesToTheNextInstanceThatJoins() {
        joinAll("app", "i1", "i2", "i3");
        clock.advance(Duration.ofSeconds(10));
        groups.heartbeat("app", "i1");
        groups.heartbeat("app", "i3");
        clock.advance(TIMEOUT.minusSeconds(10)); // i2 is now at its reservedUntil: expired; i1, i3 renewed

        assertThat(groups.join("app", "i4", TIMEOUT).orElseThrow().partition()).isEqualTo(1);
        assertThat(groups.join("app", "i5", TIMEOUT)).isEmpty();
    }

    @Test
    void aReservationIsLiveUntilTheMillisecondBeforeItsReservedUntil() {
        joinAll("app", "i1", "i2", "i3");
        clock.advance(TIMEOUT.minusMillis(1));
        assertThat(groups.join("app", "late", TIMEOUT)).isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(groups.join("app", "late", TIMEOUT).orElseThrow().partition()).isZero();
    }

    @Test
    void theNextHolderOfAPartitionStartsAtTheGroupsCommittedPosition() {
        groups.join("app", "i1", TIMEOUT);
        groups.commit("app", "i1", 0, 250);
        clock.advance(TIMEOUT);

        Reservation taken = groups.join("app", "i2", TIMEOUT).orElseThrow();
        assertThat(taken.partition()).isZero();
        assertThat(taken.committedPosition()).isEqualTo(250);
        assertThat(taken.generation()).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------------ heartbeat

    @Test
    void heartbeatRenewsByTheTimeoutOfTheJoin() {
        groups.join("app", "i1", Duration.ofSeconds(8));
        clock.advance(Duration.ofSeconds(7));

        assertThat(groups.heartbeat("app", "i1").reservedUntil()).isEqualTo(T0.plusSeconds(15));
        clock.advance(Duration.ofSeconds(7));
        assertThat(groups.heartbeat("app", "i1").reservedUntil()).isEqualTo(T0.plusSeconds(22));
    }

    @Test
    void heartbeatOfAnInstanceThatNeverJoinedFails() {
        groups.join("app", "i1", TIMEOUT);

        assertThatThrownBy(() -> groups.heartbeat("app", "stranger"))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessage("instance \"stranger\" of group \"app\" holds no live reservation: it has not joined, or a"
                        + " reset cleared its reservation; join again");
        assertThatThrownBy(() -> groups.heartbeat("no-group", "i1")).isInstanceOf(ReservationConflictException.class);
        assertThat(groups.list()).containsExactly("app");
    }

    @Test
    void heartbeatAfterTheReservationExpiredFailsSayingWhen() {
        groups.join("app", "i1", TIMEOUT);
        clock.advance(TIMEOUT);

        assertThatThrownBy(() -> groups.heartbeat("app", "i1"))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("its reservation of partition 0 expired at 2026-01-01T00:00:30Z")
                .hasMessageContaining("join again");
    }

    // ------------------------------------------------------------------------------------------ commit

    @Test
    void commitByTheHolderSavesThePositionAndRenews() {
        groups.join("app", "i1", TIMEOUT);
        groups.join("app", "i2", TIMEOUT);
        clock.advance(Duration.ofSeconds(20));

        Reservation committed = groups.commit("app", "i2", 1, 77);

        assertThat(committed).isEqualTo(new Reservation("app", "i2", 1, T0.plusSeconds(50), 77, 2));
        GroupDescription described = groups.describe("app").orElseThrow();
        assertThat(described.generation()).isEqualTo(2);
        assertThat(described.updatedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(described.partitions()).extracting(GroupDescription.Partition::committedPosition)
                .containsExactly(0L, 77L, 0L);
        assertThat(cursors.get("app")).contains(new Cursor("app", CursorKind.GROUP, 0, 2, T0.plusSeconds(20)));
    }

    @Test
    void commitOnAPartitionHeldByAnotherInstanceFailsNamingTheHolderAndUntilWhen() {
        groups.join("app", "i1", TIMEOUT);

        assertThatThrownBy(() -> groups.commit("app", "i2", 0, 5))
                .isInstanceOfSatisfying(ReservationConflictException.class, e -> {
                    assertThat(e.group()).isEqualTo("app");
                    assertThat(e.instance()).isEqualTo("i2");
                })
                .hasMessage("partition 0 of group \"app\" is reserved by instance \"i1\" until 2026-01-01T00:00:30Z;"
                        + " instance \"i2\" may not commit it");
        assertThat(groups.describe("app").orElseThrow().partitions().get(0).committedPosition()).isZero();
    }

    @Test
    void commitOnAnUnreservedOrExpiredPartitionFails() {
        groups.join("app", "i1", TIMEOUT);

        assertThatThrownBy(() -> groups.commit("app", "i1", 1, 5))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("partition 1 of group \"app\" is not reserved by anyone");
        clock.advance(TIMEOUT);
        assertThatThrownBy(() -> groups.commit("app", "i1", 0, 5))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("the reservation of instance \"i1\" expired at 2026-01-01T00:00:30Z");
        assertThat(groups.describe("app").orElseThrow().generation()).isEqualTo(1);
    }

    @Test
    void commitNeverMovesAPartitionBack() {
        groups.join("app", "i1", TIMEOUT);
        groups.commit("app", "i1", 0, 100);
        groups.commit("app", "i1", 0, 100);

        assertThatThrownBy(() -> groups.commit("app", "i1", 0, 99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 99 is below its committed position 100");
    }

    // ------------------------------------------------------------------------------------------ describe, reset

    @Test
    void describeShowsLiveHoldersOnly() {
        groups.join("app", "i1", Duration.ofSeconds(10));
        groups.join("app", "i2", Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(10));

        assertThat(groups.describe("app").orElseThrow().partitions()).containsExactly(
                new GroupDescription.Partition(0, 0, Optional.empty(), Optional.empty()),
                new GroupDescription.Partition(1, 0, Optional.of("i2"), Optional.of(T0.plusSeconds(60))),
                new GroupDescription.Partition(2, 0, Optional.empty(), Optional.empty()));
        assertThat(groups.describe("unknown")).isEmpty();
    }

    @Test
    void resetSetsEveryPositionAndClearsTheReservations() {
        groups.join("app", "i1", TIMEOUT);
        groups.commit("app", "i1", 0, 500);
        groups.join("app", "i2", TIMEOUT);

        GroupDescription reset = groups.reset("app", List.of(10L, 20L, 30L));

        assertThat(reset.generation()).isEqualTo(3);
        assertThat(reset.partitions()).containsExactly(
                new GroupDescription.Partition(0, 10, Optional.empty(), Optional.empty()),
                new GroupDescription.Partition(1, 20, Optional.empty(), Optional.empty()),
                new GroupDescription.Partition(2, 30, Optional.empty(), Optional.empty()));
        assertThatThrownBy(() -> groups.heartbeat("app", "i1")).isInstanceOf(ReservationConflictException.class);
        assertThatThrownBy(() -> groups.commit("app", "i1", 0, 600)).isInstanceOf(ReservationConflictException.class);
        assertThat(groups.join("app", "i1", TIMEOUT)).contains(new Reservation("app", "i1", 0, T0.plus(TIMEOUT), 10,
                3));
    }

    @Test
    void resetCreatesAGroupAndRejectsTheWrongNumberOfPositions() {
        assertThat(groups.reset("new", List.of(1L, 2L, 3L)).generation()).isEqualTo(1);

        assertThatThrownBy(() -> groups.reset("new", List.of(1L, 2L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("positions has 2 entries; the stream has 3 partitions");
        assertThatThrownBy(() -> groups.reset("new", List.of(1L, -2L, 3L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("positions[1] -2 is negative (positions are >= 0)");
    }

    @Test
    void deleteRemovesTheGroupAndItsReservations() {
        groups.join("app", "i1", TIMEOUT);
        groups.commit("app", "i1", 0, 9);
        groups.delete("app");
        groups.delete("app"); // harmless when absent

        assertThat(groups.list()).isEmpty();
        assertThat(groups.describe("app")).isEmpty();
        assertThatThrownBy(() -> groups.heartbeat("app", "i1")).isInstanceOf(ReservationConflictException.class);
        assertThat(groups.join("app", "i1", TIMEOUT).orElseThrow().committedPosition()).isZero();
    }

    @Test
    void groupsAndConsumerCursorsShareOneNamespace() {
        cursors.commit("taken", 5, 0);

        assertThatThrownBy(() -> groups.join("taken", "i1", TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cursor \"taken\" is a CONSUMER cursor, not a GROUP; choose another group name");
        assertThatThrownBy(() -> groups.reset("taken", List.of(0L, 0L, 0L))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> groups.delete("taken")).isInstanceOf(IllegalStateException.class);
        assertThat(groups.list()).isEmpty();
        assertThat(cursors.get("taken").orElseThrow().position()).isEqualTo(5);
    }

    @Test
    void listNamesOnlyGroupsSorted() {
        groups.join("zeta", "i1", TIMEOUT);
        groups.reset("alpha", List.of(0L, 0L, 0L));
        cursors.commit("consumer", 1, 0);

        assertThat(groups.list()).containsExactly("alpha", "zeta");
    }

    // ------------------------------------------------------------------------------------------ validation

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, Integer.MAX_VALUE})
    void aPartitionOutsideTheStreamIsRejectedNamingTheRange(int partition) {
        groups.join("app", "i1", TIMEOUT);

        assertThatThrownBy(() -> groups.commit("app", "i1", partition, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition " + partition + " is out of range 0..2");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 86_400_001})
    void aTimeoutOutsideOneMillisecondToOneDayIsRejected(long millis) {
        assertThatThrownBy(() -> groups.join("app", "i1", Duration.ofMillis(millis)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("timeout " + Duration.ofMillis(millis))
                .hasMessageEndingWith("is out of range 1 ms..PT24H");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 86_400_000})
    void timeoutsOfOneMillisecondAndOneDayAreAccepted(long millis) {
        assertThat(groups.join("app", "i1", Duration.ofMillis(millis)).orElseThrow().reservedUntil())
                .isEqualTo(T0.plusMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 257})
    void aPartitionCountOutsideOneTo256IsRejected(int partitions) {
        assertThatThrownBy(() -> new ConsumerGroups(cursors, partitions))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitions " + partitions + " is out of range 1..256");
    }

    @Test
    void invalidGroupAndInstanceNamesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> groups.join("my group", "i1", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group \"my group\" is invalid: 1 to 128 characters of A-Z a-z 0-9 _ . -");
        assertThatThrownBy(() -> groups.join("app", "", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("instance \"\" is invalid");
        assertThatThrownBy(() -> groups.commit("app", "i/1", 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("instance \"i/1\" is invalid");
        assertThatThrownBy(() -> groups.commit("app", "i1", 0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("position -1 is negative (positions are >= 0)");
        assertThat(groups.list()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ durability

    @Test
    void committedPositionsLastAsLongAsTheCheckpointsButReservationsDoNot() {
        groups.join("app", "i1", TIMEOUT);
        groups.join("app", "i2", TIMEOUT);
        groups.commit("app", "i1", 0, 40);
        groups.commit("app", "i2", 1, 41);
        reopen();

        if (persistence() == Persistence.FILE) {
            GroupDescription after = groups.describe("app").orElseThrow();
            assertThat(after.generation()).isEqualTo(3);
            assertThat(after.partitions()).containsExactly(
                    new GroupDescription.Partition(0, 40, Optional.empty(), Optional.empty()),
                    new GroupDescription.Partition(1, 41, Optional.empty(), Optional.empty()),
                    new GroupDescription.Partition(2, 0, Optional.empty(), Optional.empty()));
            // reservations were in memory: i3 may take partition 0 although i1's has not expired by the clock
            assertThat(groups.join("app", "i3", TIMEOUT))
                    .contains(new Reservation("app", "i3", 0, T0.plus(TIMEOUT), 40, 3));
        } else {
            assertThat(groups.list()).as("a memory stream restarts empty, groups included").isEmpty();
        }
    }

    @Test
    void aGroupSavedWithFewerPartitionsReadsZeroForTheNewOnes() {
        new ConsumerGroups(cursors, 1).reset("app", List.of(12L));

        assertThat(groups.describe("app").orElseThrow().partitions())
                .extracting(GroupDescription.Partition::committedPosition)
                .containsExactly(12L, 0L, 0L);
    }

    // ------------------------------------------------------------------------------------------ concurrency

    /** 8 instances join at once, 50 rounds: each round the 3 partitions go to 3 distinct instances, the rest wait. */
    @Test
    void concurrentJoinsNeverGiveOnePartitionToTwoInstances() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<Reservation>>> joins = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String instance = "r" + round + "-i" + i;
                    joins.add(pool.submit(() -> {
                        start.await();
                        return groups.join("app", instance, TIMEOUT);
                    }));
                }
                start.countDown();
                List<Reservation> won = new ArrayList<>();
                for (Future<Optional<Reservation>> join : joins) {
                    join.get(1, TimeUnit.MINUTES).ifPresent(won::add);
                }
                assertThat(won).extracting(Reservation::partition).containsExactlyInAnyOrder(0, 1, 2);
                clock.advance(TIMEOUT); // every reservation expires before the next round
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void joinAll(String group, String... instances) {
        for (String instance : instances) {
            assertThat(groups.join(group, instance, TIMEOUT)).isPresent();
        }
    }
}
