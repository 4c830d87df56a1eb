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

    // ------------------------------------------------------------------------------------------ join, balance

    @Test
    void theFirstInstanceTakesEveryPartitionUntilNowPlusTimeout() {
        List<Reservation> held = groups.join("app", "i1", TIMEOUT);

        assertThat(held).extracting(Reservation::partition).containsExactly(0, 1, 2);
        assertThat(held).allSatisfy(r -> {
            assertThat(r.reservedUntil()).isEqualTo(T0.plus(TIMEOUT));
            assertThat(r.committedPosition()).isZero();
            assertThat(r.generation()).isEqualTo(1);
            assertThat(r.instance()).isEqualTo("i1");
        });
        assertThat(held).extracting(Reservation::epoch).doesNotHaveDuplicates();
        assertThat(groups.list()).containsExactly("app");
    }

    @Test
    void aSecondInstanceTakesTheHighestPartitionsAboveTheFirstsShare() {
        List<Reservation> first = groups.join("app", "i1", TIMEOUT);

        assertThat(partitionsOf(groups.join("app", "i2", TIMEOUT))).containsExactly(2);
        List<Reservation> firstAgain = groups.heartbeat("app", "i1");
        assertThat(partitionsOf(firstAgain)).containsExactly(0, 1);
        assertThat(firstAgain).extracting(Reservation::epoch)
                .as("partitions 0 and 1 never changed hands: same epochs")
                .containsExactly(first.get(0).epoch(), first.get(1).epoch());
        assertThat(partitionsOf(groups.join("app", "i3", TIMEOUT))).containsExactly(1);
        assertThat(partitionsOf(groups.join("app", "i4", TIMEOUT))).as("more instances than partitions").isEmpty();
        assertThat(groups.describe("app").orElseThrow().partitions())
                .extracting(GroupDescription.Partition::reservedInstance)
                .containsExactly(Optional.of("i1"), Optional.of("i3"), Optional.of("i2"));
    }

    @Test
    void theSameInstanceJoiningAgainKeepsItsPartitionsAndEpochsRenewed() {
        List<Reservation> before = groups.join("app", "i1", TIMEOUT);
        clock.advance(Duration.ofSeconds(10));

        List<Reservation> after = groups.join("app", "i1", TIMEOUT);

        assertThat(after).extracting(Reservation::epoch)
                .containsExactlyElementsOf(before.stream().map(Reservation::epoch).toList());
        assertThat(after).extracting(Reservation::reservedUntil).containsOnly(T0.plusSeconds(40));
    }

    @Test
    void anInstanceThatStopsHeartbeatingLosesItsPartitionsToTheOthersUnderNewEpochs() {
        groups.join("app", "i1", TIMEOUT);
        Reservation taken = groups.join("app", "i2", TIMEOUT).get(0);
        clock.advance(Duration.ofSeconds(20));
        groups.heartbeat("app", "i1");
        clock.advance(Duration.ofSeconds(10)); // i2 is now at its end: expired; i1 renewed until 50 s

        List<Reservation> all = groups.heartbeat("app", "i1");

        assertThat(partitionsOf(all)).containsExactly(0, 1, 2);
        assertThat(all.get(2).epoch()).isNotEqualTo(taken.epoch());
        assertThatThrownBy(() -> groups.heartbeat("app", "i2"))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("instance \"i2\" of group \"app\" is not a live member");
    }

    @Test
    void anInstanceWhosePartitionsNobodyTookGetsThemBackUnderTheSameEpochs() {
        List<Reservation> before = groups.join("app", "i1", TIMEOUT);
        clock.advance(TIMEOUT.plusSeconds(5));

        List<Reservation> again = groups.join("app", "i1", TIMEOUT);

        assertThat(again).extracting(Reservation::epoch)
                .containsExactlyElementsOf(before.stream().map(Reservation::epoch).toList());
    }

    @Test
    void aMembershipIsLiveUntilTheMillisecondBeforeItsEnd() {
        groups.join("app", "i1", TIMEOUT);
        clock.advance(TIMEOUT.minusMillis(1));
        assertThat(partitionsOf(groups.join("app", "late", TIMEOUT))).containsExactly(2);

        clock.advance(Duration.ofMillis(1));
        assertThat(partitionsOf(groups.heartbeat("app", "late"))).containsExactly(0, 1, 2);
    }

    @Test
    void theNextHolderOfAPartitionStartsAtTheGroupsCommittedPosition() {
        groups.join("app", "i1", TIMEOUT);
        groups.commit("app", "i1", 0, 250);
        clock.advance(TIMEOUT);

        Reservation taken = groups.join("app", "i2", TIMEOUT).get(0);
        assertThat(taken.partition()).isZero();
        assertThat(taken.committedPosition()).isEqualTo(250);
        assertThat(taken.generation()).isEqualTo(2);
    }

    @Test
    void sharesStayBalancedAsInstancesComeAndGo() {
        ConsumerGroups seven = new ConsumerGroups(cursors, 7);
        for (String instance : List.of("a", "b", "c")) {
            seven.join("wide", instance, TIMEOUT);
        }
        assertThat(List.of("a", "b", "c")).extracting(i -> seven.heartbeat("wide", i).size())
                .containsExactly(3, 2, 2);
        clock.advance(Duration.ofSeconds(29));
        seven.heartbeat("wide", "a");
        seven.heartbeat("wide", "c");
        clock.advance(Duration.ofSeconds(1)); // b ends

        assertThat(seven.heartbeat("wide", "a").size() + seven.heartbeat("wide", "c").size()).isEqualTo(7);
        assertThat(seven.describe("wide").orElseThrow().partitions())
                .extracting(GroupDescription.Partition::reservedInstance)
                .allSatisfy(holder -> assertThat(holder).isPresent().get().isIn("a", "c"));
    }

    @Test
    void aGroupTakesAtMost1024LiveInstances() {
        ConsumerGroups one = new ConsumerGroups(cursors, 1);
        for (int i = 0; i < ConsumerGroups.MAX_INSTANCES; i++) {
            one.join("crowd", "i" + i, TIMEOUT);
        }
        assertThatThrownBy(() -> one.join("crowd", "extra", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group \"crowd\" has 1024 live instances, the most a group may have (1024)");

        clock.advance(TIMEOUT);
        assertThat(one.join("crowd", "extra", TIMEOUT)).hasSize(1);
    }

    @Test
    void aStreamTakesAtMostItsLimitOfGroups() {
        assertThat(ConsumerGroups.MAX_GROUPS).isEqualTo(1024);
        ConsumerGroups few = new ConsumerGroups(cursors, 3, 8);
        for (int i = 0; i < 8; i++) {
            few.createIfAbsent("g" + i, List.of(0L, 0L, 0L));
        }
        assertThatThrownBy(() -> few.join("one-more", "i1", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group \"one-more\" cannot be created: the stream has 8 consumer groups, the most a"
                        + " stream may have (8)");
        assertThatThrownBy(() -> few.reset("one-more", List.of(0L, 0L, 0L))).isInstanceOf(
                IllegalArgumentException.class);
        assertThat(few.join("g7", "i1", TIMEOUT)).as("existing groups work on").hasSize(3);
        few.delete("g0");
        assertThat(few.createIfAbsent("one-more", List.of(0L, 0L, 0L))).isTrue();
    }

    // ------------------------------------------------------------------------------------------ heartbeat

    @Test
    void heartbeatRenewsByTheTimeoutOfTheJoin() {
        groups.join("app", "i1", Duration.ofSeconds(8));
        clock.advance(Duration.ofSeconds(7));

        assertThat(groups.heartbeat("app", "i1").get(0).reservedUntil()).isEqualTo(T0.plusSeconds(15));
        clock.advance(Duration.ofSeconds(7));
        assertThat(groups.heartbeat("app", "i1").get(0).reservedUntil()).isEqualTo(T0.plusSeconds(22));
    }

    @Test
    void heartbeatOfAnInstanceThatNeverJoinedFails() {
        groups.join("app", "i1", TIMEOUT);

        assertThatThrownBy(() -> groups.heartbeat("app", "stranger"))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessage("instance \"stranger\" of group \"app\" is not a live member: it has not joined, or its"
                        + " membership ended long ago; join again");
        assertThatThrownBy(() -> groups.heartbeat("no-group", "i1")).isInstanceOf(ReservationConflictException.class);
        assertThat(groups.list()).containsExactly("app");
    }

    @Test
    void heartbeatAfterTheMembershipEndedFailsSayingWhen() {
        groups.join("app", "i1", TIMEOUT);
        clock.advance(TIMEOUT);

        assertThatThrownBy(() -> groups.heartbeat("app", "i1"))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("its membership ended at 2026-01-01T00:00:30Z")
                .hasMessageContaining("join again");
    }

    // ------------------------------------------------------------------------------------------ commit

    @Test
    void commitByTheHolderSavesThePositionAndRenews() {
        groups.join("app", "i1", TIMEOUT);
        groups.join("app", "i2", TIMEOUT);
        clock.advance(Duration.ofSeconds(20));

        Reservation committed = groups.commit("app", "i2", 2, 77);

        assertThat(committed.partition()).isEqualTo(2);
        assertThat(committed.reservedUntil()).isEqualTo(T0.plusSeconds(50));
        assertThat(committed.committedPosition()).isEqualTo(77);
        assertThat(committed.generation()).isEqualTo(2);
        GroupDescription described = groups.describe("app").orElseThrow();
        assertThat(described.generation()).isEqualTo(2);
        assertThat(described.updatedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(described.partitions()).extracting(GroupDescription.Partition::committedPosition)
                .containsExactly(0L, 0L, 77L);
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
        assertThatThrownBy(() -> groups.commit("app", "i1", 1, 5))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("partition 1 of group \"app\" is not reserved by anyone");
        groups.join("app", "i1", TIMEOUT);
        clock.advance(TIMEOUT);
        assertThatThrownBy(() -> groups.commit("app", "i1", 0, 5))
                .isInstanceOf(ReservationConflictException.class)
                .hasMessageContaining("the membership of instance \"i1\" ended at 2026-01-01T00:00:30Z");
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

    @Test
    void commitAllSavesOnlyWhatWasReadUnderTheCurrentEpochsInOneWrite() {
        List<Reservation> first = groups.join("app", "i1", TIMEOUT);
        Reservation lost = first.get(2);
        groups.join("app", "i2", TIMEOUT); // takes partition 2: i1's epoch for it is stale now

        List<Reservation> after = groups.commitAll("app", "i1", List.of(
                new ConsumerGroups.Commit(0, first.get(0).epoch(), 10),
                new ConsumerGroups.Commit(1, first.get(1).epoch() + 1, 11), // an epoch it never held
                new ConsumerGroups.Commit(2, lost.epoch(), 12)));

        assertThat(partitionsOf(after)).containsExactly(0, 1);
        GroupDescription described = groups.describe("app").orElseThrow();
        assertThat(described.partitions()).extracting(GroupDescription.Partition::committedPosition)
                .containsExactly(10L, 0L, 0L);
        assertThat(described.generation()).as("one write for the whole commit").isEqualTo(2);

        groups.commitAll("app", "i1", List.of(new ConsumerGroups.Commit(0, first.get(0).epoch(), 4)));
        assertThat(groups.describe("app").orElseThrow().generation()).as("an older position is left out").isEqualTo(2);
        assertThatThrownBy(() -> groups.commitAll("app", "stranger", List.of()))
                .isInstanceOf(ReservationConflictException.class);
    }

    // ------------------------------------------------------------------------------------------ describe, reset

    @Test
    void describeShowsLiveHoldersOnly() {
        groups.join("app", "i1", Duration.ofSeconds(10));
        groups.join("app", "i2", Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(10));

        assertThat(groups.describe("app").orElseThrow().partitions()).containsExactly(
                new GroupDescription.Partition(0, 0, Optional.empty(), Optional.empty()),
                new GroupDescription.Partition(1, 0, Optional.empty(), Optional.empty()),
                new GroupDescription.Partition(2, 0, Optional.of("i2"), Optional.of(T0.plusSeconds(60))));
        assertThat(groups.describe("unknown")).isEmpty();
    }

    @Test
    void resetSetsEveryPositionAndEndsTheReservationsUnderNewEpochs() {
        List<Reservation> before = groups.join("app", "i1", TIMEOUT);
        groups.commit("app", "i1", 0, 500);

        GroupDescription reset = groups.reset("app", List.of(10L, 20L, 30L));

        assertThat(reset.generation()).isEqualTo(3);
        assertThat(reset.partitions()).containsExactly(
                new GroupDescription.Partition(0, 10, Optional.empty(), Optional.empty()),
                new GroupDescription.Partition(1, 20, Optional.empty(), Optional.empty()),
                new GroupDescription.Partition(2, 30, Optional.empty(), Optional.empty()));
        assertThatThrownBy(() -> groups.commit("app", "i1", 0, 600)).isInstanceOf(ReservationConflictException.class);
        List<Reservation> after = groups.heartbeat("app", "i1");
        assertThat(after).extracting(Reservation::committedPosition).containsExactly(10L, 20L, 30L);
        assertThat(after).extracting(Reservation::epoch)
                .doesNotContainAnyElementsOf(before.stream().map(Reservation::epoch).toList());
    }

    @Test
    void createIfAbsentStartsANewGroupAtItsPositionsAndLeavesAnExistingOneAlone() {
        assertThat(groups.createIfAbsent("app", List.of(5L, 6L, 7L))).isTrue();
        assertThat(groups.createIfAbsent("app", List.of(0L, 0L, 0L))).isFalse();

        assertThat(groups.join("app", "i1", TIMEOUT)).extracting(Reservation::committedPosition)
                .containsExactly(5L, 6L, 7L);
        cursors.commit("consumer", 1, 0);
        assertThatThrownBy(() -> groups.createIfAbsent("consumer", List.of(0L, 0L, 0L)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> groups.createIfAbsent("other", List.of(0L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positions has 1 entries");
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
        assertThat(groups.join("app", "i1", TIMEOUT).get(0).committedPosition()).isZero();
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
        assertThat(groups.join("app", "i1", Duration.ofMillis(millis)).get(0).reservedUntil())
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
        groups.commit("app", "i1", 0, 40);
        groups.commit("app", "i1", 1, 41);
        reopen();

        if (persistence() == Persistence.FILE) {
            GroupDescription after = groups.describe("app").orElseThrow();
            assertThat(after.generation()).isEqualTo(3);
            assertThat(after.partitions()).containsExactly(
                    new GroupDescription.Partition(0, 40, Optional.empty(), Optional.empty()),
                    new GroupDescription.Partition(1, 41, Optional.empty(), Optional.empty()),
                    new GroupDescription.Partition(2, 0, Optional.empty(), Optional.empty()));
            // memberships were in memory: i3 takes every partition although i1's has not ended by the clock
            assertThat(groups.join("app", "i3", TIMEOUT)).extracting(Reservation::committedPosition)
                    .containsExactly(40L, 41L, 0L);
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

    /**
     * 8 instances join at once, 50 rounds: after each round the 3 partitions are held by 3 distinct live instances
     * and nobody else.
     */
    @Test
    void concurrentJoinsNeverGiveOnePartitionToTwoInstances() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<String> instances = new ArrayList<>();
                List<Future<List<Reservation>>> joins = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String instance = "r" + round + "-i" + i;
                    instances.add(instance);
                    joins.add(pool.submit(() -> {
                        start.await();
                        return groups.join("app", instance, TIMEOUT);
                    }));
                }
                start.countDown();
                for (Future<List<Reservation>> join : joins) {
                    join.get(1, TimeUnit.MINUTES);
                }
                List<Integer> held = new ArrayList<>();
                for (String instance : instances) {
                    groups.heartbeat("app", instance).forEach(r -> held.add(r.partition()));
                }
                assertThat(held).containsExactlyInAnyOrder(0, 1, 2);
                assertThat(groups.describe("app").orElseThrow().partitions())
                        .extracting(p -> p.reservedInstance().orElseThrow()).doesNotHaveDuplicates();
                clock.advance(TIMEOUT); // every membership ends before the next round
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Integer> partitionsOf(List<Reservation> reservations) {
        return reservations.stream().map(Reservation::partition).toList();
    }
}
