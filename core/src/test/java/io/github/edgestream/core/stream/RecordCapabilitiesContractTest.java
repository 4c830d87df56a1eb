package io.github.edgestream.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The record capabilities the HTTP APIs need, for both persistences: timestamps, keys and headers; atomic and
 * conditional batches; fencing; trim; seek by time and time ranges. {@code File…} and {@code Memory…} subclasses run
 * it; what must survive a restart is checked for file streams only.
 */
public abstract class RecordCapabilitiesContractTest extends StoreTestFixture {

    private static final long T0 = 1_800_000_000_000_000L; // µs, in 2027

    private MessageStream stream(String name) {
        return create(definition(name, StrategyOnFull.REJECT_NEW_DATA).segmentSize(DataSize.ofKibibytes(4)));
    }

    private static AppendRecord record(String payload) {
        return AppendRecord.of(bytes(payload));
    }

    private static List<AppendRecord> records(int count, String prefix) {
        return IntStream.range(0, count).mapToObj(i -> record(prefix + i)).toList();
    }

    private static List<String> payloads(List<Message> messages) {
        return messages.stream().map(m -> new String(m.payload())).toList();
    }

    @Nested
    class TimestampsKeysAndHeaders {

        @Test
        void aRecordKeepsItsTimestampKeyAndHeadersAcrossReadsAndRestarts() {
            MessageStream stream = stream("rich");
            List<Header> headers = List.of(Header.of("content-type", "application/json"),
                    new Header(new byte[0], new byte[] {0, (byte) 0xff}));
            AppendResult result = stream.appendBatch(AppendBatch.of(AppendRecord.of(bytes("{}"))
                    .withTimestampMicros(T0 + 7).withKey(bytes("pump-3")).withHeaders(headers)));

            assertThat(result.firstSequence()).isZero();
            assertThat(result.firstTimestampMicros()).isEqualTo(T0 + 7);
            Message expected = new Message(0, clock.millis(), T0 + 7, bytes("pump-3"), headers, bytes("{}"));
            assertThat(readAll(stream, 0)).containsExactly(expected);
            if (persistence() == Persistence.FILE) {
                reopen();
                MessageStream again = store.get(stream.name());
                assertThat(readAll(again, 0)).containsExactly(expected);
                assertThat(again.newestTimestampMicros()).isEqualTo(T0 + 7);
            }
        }

        @Test
        void sizeAccountingCountsKeyAndHeaders() {
            MessageStream stream = stream("sized");
            stream.appendBatch(AppendBatch.of(record("abc").withKey(bytes("kk"))
                    .withHeaders(List.of(Header.of("n", "vv")))));

            assertThat(stream.info().totalSize().bytes()).isEqualTo(3 + 2 + (6 + 1 + 2) + OVERHEAD);
        }

        @Test
        void withoutAProducerTimestampARecordGetsItsIngestTime() {
            MessageStream stream = stream("ingest");
            stream.append(bytes("plain"));

            Message message = readAll(stream, 0).get(0);
            assertThat(message.timestampMicros()).isEqualTo(clock.millis() * 1000);
            assertThat(message.hasKey()).isFalse();
            assertThat(message.headers()).isEmpty();
        }

        @Test
        void anEarlierProducerTimestampIsRefusedNamingBothAndAnEqualOneIsFine() {
            MessageStream stream = stream("ordered");
            stream.appendBatch(AppendBatch.of(record("a").withTimestampMicros(T0)));
            stream.appendBatch(AppendBatch.of(record("b").withTimestampMicros(T0)));

            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(record("c").withTimestampMicros(T0 - 1))))
                    .isInstanceOf(TimestampOrderException.class)
                    .hasMessageContaining(Long.toString(T0 - 1)).hasMessageContaining(Long.toString(T0));
            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(record("d").withTimestampMicros(T0))
                    .withTimestampRule(AppendBatch.TimestampRule.INCREASING)))
                    .isInstanceOf(TimestampOrderException.class).hasMessageContaining("must increase");
            assertThat(stream.info().newestSequenceNumber()).isEqualTo(1);
        }

        @Test
        void underTheRaiseRuleAnEarlierProducerTimestampIsRaisedToTheNewest() {
            MessageStream stream = stream("raised");
            stream.appendBatch(AppendBatch.of(record("a").withTimestampMicros(T0)));
            AppendResult raised = stream.appendBatch(AppendBatch.of(List.of(record("b").withTimestampMicros(T0 - 5),
                    record("c").withTimestampMicros(T0 + 3), record("d").withTimestampMicros(T0 + 1)))
                    .withTimestampRule(AppendBatch.TimestampRule.RAISE));

            assertThat(raised.firstTimestampMicros()).isEqualTo(T0);
            assertThat(readAll(stream, 0).stream().map(Message::timestampMicros).toList())
                    .containsExactly(T0, T0, T0 + 3, T0 + 3);
        }

        @Test
        void aClockBehindTheNewestTimestampCannotMakeTimestampsDecrease() {
            MessageStream stream = stream("future");
            long future = (clock.millis() + 60_000) * 1000;
            stream.appendBatch(AppendBatch.of(record("ahead").withTimestampMicros(future)));
            stream.append(bytes("now"));

            assertThat(readAll(stream, 0)).extracting(Message::timestampMicros).containsExactly(future, future);
        }

        @Test
        void limitsAreCheckedNamingTheFieldTheValueAndTheLimit() {
            MessageStream stream = stream("limits");
            byte[] longKey = new byte[RecordLimits.MAX_KEY_BYTES + 1];

            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(List.of(record("ok"),
                    record("x").withKey(longKey)))))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("records[1].key").hasMessageContaining("1025")
                    .hasMessageContaining("1024");
            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(records(1001, "r"))))
                    .isInstanceOf(InvalidRecordException.class).hasMessageContaining("1001")
                    .hasMessageContaining("1000");
            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(record("t").withTimestampMicros(-5))))
                    .isInstanceOf(InvalidRecordException.class).hasMessageContaining("timestamp");
            assertThat(stream.info().newestSequenceNumber()).isEqualTo(-1);
        }
    }

    @Nested
    class Batches {

        @Test
        void aBatchGetsConsecutiveNumbersAndReadsBackInOrder() {
            MessageStream stream = stream("batch");
            stream.append(bytes("before"));
            AppendResult result = stream.appendBatch(AppendBatch.of(records(100, "b")));

            assertThat(result.firstSequence()).isEqualTo(1);
            assertThat(result.nextSequence()).isEqualTo(101);
            assertThat(result.count()).isEqualTo(100);
            assertThat(payloads(readAll(stream, 1))).isEqualTo(IntStream.range(0, 100).mapToObj(i -> "b" + i)
                    .toList());
        }

        @Test
        void aBatchIsNeverSplitAcrossSegmentsAndFailsWhollyWhenTheStreamIsFull() {
            MessageStream stream = create(definition("full", StrategyOnFull.REJECT_NEW_DATA)
                    .maxSize(DataSize.ofKibibytes(64)).segmentSize(DataSize.ofKibibytes(4)));
            stream.appendBatch(AppendBatch.of(records(30, "x")));
            byte[] big = new byte[2000];
            List<AppendRecord> tooMuch = IntStream.range(0, 32).mapToObj(i -> AppendRecord.of(big)).toList();

            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(tooMuch)))
                    .isInstanceOf(StreamFullException.class);
            assertThat(stream.info().newestSequenceNumber()).isEqualTo(29);
        }

        @Test
        void aDurableBatchIsAcknowledgedOnceWhole() {
            MessageStream stream = create(definition("durable", StrategyOnFull.REJECT_NEW_DATA).flushOnWrite(true));
            CompletionStage<AppendResult> first = stream.appendBatchAsync(AppendBatch.of(records(10, "d")));
            CompletionStage<AppendResult> second = stream.appendBatchAsync(AppendBatch.of(records(5, "e")));

            assertThat(await(first).nextSequence()).isEqualTo(10);
            assertThat(await(second).firstSequence()).isEqualTo(10);
            assertThat(readAll(stream, 0)).hasSize(15);
        }
    }

    @Nested
    class ConditionalAppends {

        @Test
        void theExpectedNextSequenceMustMatchAndAMismatchNamesTheActualTail() {
            MessageStream stream = stream("cas");
            stream.appendBatch(AppendBatch.of(records(3, "a")).expectingNext(0));

            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(record("late")).expectingNext(2)))
                    .isInstanceOfSatisfying(SequenceMismatchException.class, e -> {
                        assertThat(e.expected()).isEqualTo(2);
                        assertThat(e.actual()).isEqualTo(3);
                    }).hasMessageContaining("expected the next sequence number to be 2 but it is 3");
            assertThat(stream.appendBatch(AppendBatch.of(record("next")).expectingNext(3)).firstSequence())
                    .isEqualTo(3);
            assertThat(payloads(readAll(stream, 0))).containsExactly("a0", "a1", "a2", "next");
        }
    }

    @Nested
    class Fencing {

        @Test
        void aFenceLocksOutWritersWithAnotherTokenAndLetsUnfencedAppendsThrough() {
            MessageStream stream = stream("fenced");
            assertThat(stream.fence("writer-2", Optional.empty())).isEmpty();

            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(record("stale")).withFencingToken("writer-1")))
                    .isInstanceOfSatisfying(FencingTokenMismatchException.class,
                            e -> assertThat(e.current()).isEqualTo("writer-2"));
            stream.appendBatch(AppendBatch.of(record("fresh")).withFencingToken("writer-2"));
            stream.append(bytes("unfenced"));
            assertThat(payloads(readAll(stream, 0))).containsExactly("fresh", "unfenced");
        }

        @Test
        void aBatchCanSetTheTokenAtomicallyWithItsRecords() {
            MessageStream stream = stream("command-fence");
            stream.fence("old", Optional.empty());

            AppendResult fenced = stream.appendBatch(AppendBatch.of(record("fence-command")).withFencingToken("old")
                    .fencingTo("new"));
            assertThat(fenced.firstSequence()).isZero();
            assertThat(stream.fencingToken()).isEqualTo("new");
            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(record("stale")).withFencingToken("old")))
                    .isInstanceOf(FencingTokenMismatchException.class);
            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(record("x")).withFencingToken("old")
                    .fencingTo("other"))).as("the batch is checked against the token before it")
                    .isInstanceOf(FencingTokenMismatchException.class);
            assertThat(stream.fencingToken()).isEqualTo("new");
            assertThatThrownBy(() -> stream.appendBatch(AppendBatch.of(record("x")).expectingNext(7)
                    .fencingTo("never"))).isInstanceOf(SequenceMismatchException.class);
            assertThat(stream.fencingToken()).as("a refused batch sets nothing").isEqualTo("new");
            reopen();
            assertThat(store.get(stream.name()).fencingToken())
                    .isEqualTo(persistence() == Persistence.FILE ? "new" : "");
        }

        @Test
        void aConditionalFenceNeedsTheCurrentToken() {
            MessageStream stream = stream("cfence");
            stream.fence("a", Optional.empty());

            assertThatThrownBy(() -> stream.fence("c", Optional.of("b")))
                    .isInstanceOf(FencingTokenMismatchException.class);
            assertThat(stream.fence("c", Optional.of("a"))).isEqualTo("a");
            assertThat(stream.fencingToken()).isEqualTo("c");
        }

        @Test
        void theFencingTokenSurvivesARestartOfAFileStream() {
            MessageStream stream = stream("persisted-fence");
            stream.fence("epoch-9", Optional.empty());
            reopen();

            String expected = persistence() == Persistence.FILE ? "epoch-9" : "";
            assertThat(store.get(stream.name()).fencingToken()).isEqualTo(expected);
        }

        @Test
        void aTooLongTokenIsRefused() {
            MessageStream stream = stream("long-fence");
            assertThatThrownBy(() -> stream.fence("t".repeat(RecordLimits.MAX_FENCING_TOKEN_BYTES + 1),
                    Optional.empty())).isInstanceOf(InvalidRecordException.class).hasMessageContaining("257");
        }
    }

    @Nested
    class Trim {

        @Test
        void aTrimHidesEverythingBelowItAndDeletesWholeSegments() {
            MessageStream stream = stream("trim");
            for (int i = 0; i < 400; i++) {
                stream.append(payload(100, i));
            }
            int segmentsBefore = stream.info().segmentCount();

            assertThat(stream.trim(250)).isEqualTo(250);
            assertThat(stream.info().oldestSequenceNumber()).isEqualTo(250);
            assertThat(stream.info().segmentCount()).isLessThan(segmentsBefore);
            assertThat(readAll(stream, 0).get(0).sequenceNumber()).isEqualTo(250);
            assertThat(stream.trim(100)).as("never backwards").isEqualTo(250);
            assertThat(listener.evictions()).as("a trim is not an eviction").isEmpty();
        }

        @Test
        void aTrimPastTheTailEmptiesTheStreamAndNumberingGoesOn() {
            MessageStream stream = stream("trim-all");
            stream.appendBatch(AppendBatch.of(records(5, "x")));

            assertThat(stream.trim(1_000)).isEqualTo(5);
            assertThat(readAll(stream, 0)).isEmpty();
            assertThat(stream.append(bytes("after"))).isEqualTo(5);
        }

        @Test
        void aTrimSurvivesARestartOfAFileStream() {
            MessageStream stream = stream("trim-restart");
            stream.appendBatch(AppendBatch.of(records(10, "x")));
            stream.trim(4);
            reopen();

            if (persistence() == Persistence.FILE) {
                assertThat(store.get(stream.name()).info().oldestSequenceNumber()).isEqualTo(4);
                assertThat(readAll(store.get(stream.name()), 0)).extracting(Message::sequenceNumber)
                        .startsWith(4L);
            }
        }
    }

    @Nested
    class SeekByTime {

        /** 1,000 records over many segments, record i at T0 + 10·i µs. */
        private MessageStream timeline() {
            MessageStream stream = stream("timeline");
            for (int batch = 0; batch < 10; batch++) {
                List<AppendRecord> records = new ArrayList<>();
                for (int i = batch * 100; i < batch * 100 + 100; i++) {
                    records.add(AppendRecord.of(payload(50, i)).withTimestampMicros(T0 + 10L * i));
                }
                stream.appendBatch(AppendBatch.of(records));
            }
            return stream;
        }

        @Test
        void seekFindsTheFirstRecordAtOrAfterATime() {
            MessageStream stream = timeline();
            assertThat(stream.info().segmentCount()).isGreaterThan(5);

            assertThat(stream.seekTime(T0)).isZero();
            assertThat(stream.seekTime(T0 - 1_000_000)).isZero();
            assertThat(stream.seekTime(T0 + 10 * 537)).isEqualTo(537);
            assertThat(stream.seekTime(T0 + 10 * 537 - 3)).isEqualTo(537);
            assertThat(stream.seekTime(T0 + 10 * 999)).isEqualTo(999);
            assertThat(stream.seekTime(T0 + 10 * 999 + 1)).as("after the newest: the tail").isEqualTo(1000);
        }

        @Test
        void seekNeverAnswersBelowTheOldest() {
            MessageStream stream = timeline();
            stream.trim(600);

            assertThat(stream.seekTime(T0)).isEqualTo(600);
            assertThat(stream.seekTime(T0 + 10 * 700)).isEqualTo(700);
        }

        @Test
        void aTimeRangeReadStopsBeforeItsEndAndAnswersAtOnceWhenTheRangeIsClosed() {
            MessageStream stream = timeline();
            long start = stream.seekTime(T0 + 10 * 100);
            ReadRequest range = new ReadRequest(start, 50, 1000, Duration.ofMinutes(5), ReadRequest.UNLIMITED)
                    .stoppingBefore(T0 + 10 * 120);

            List<Message> read = await(stream.read(range));
            assertThat(read).extracting(Message::sequenceNumber).isEqualTo(range(100, 119));
        }

        @Test
        void aTimeRangeReadHonoursCountAndByteLimits() {
            MessageStream stream = timeline();
            ReadRequest byCount = ReadRequest.upTo(0, 7).stoppingBefore(T0 + 10 * 500);
            ReadRequest byBytes = new ReadRequest(0, 1, 1000, Duration.ZERO, DataSize.ofBytes(3 * (50 + 24)))
                    .stoppingBefore(T0 + 10 * 500);

            assertThat(await(stream.read(byCount))).hasSize(7);
            assertThat(await(stream.read(byBytes))).hasSize(3);
        }

        @Test
        void seekWorksAfterARestart() {
            MessageStream stream = timeline();
            reopen();
            if (persistence() == Persistence.FILE) {
                assertThat(store.get(stream.name()).seekTime(T0 + 10 * 321)).isEqualTo(321);
                assertThat(store.get(stream.name()).newestTimestampMicros()).isEqualTo(T0 + 10 * 999);
            }
        }
    }

    @Nested
    class Partitions {

        private MessageStream partitioned() {
            return create(definition("shards", StrategyOnFull.REJECT_NEW_DATA).partitions(4)
                    .segmentSize(DataSize.ofKibibytes(4)));
        }

        @Test
        void eachPartitionIsItsOwnLogNumberedFromZero() {
            partitioned();
            List<MessageStream> partitions = store.partitions(io.github.edgestream.core.model.StreamName.of("shards"));
            assertThat(partitions).hasSize(4);
            PartitionRouter router = PartitionRouter.even(4);
            int[] counts = new int[4];
            for (int i = 0; i < 200; i++) {
                String key = "device-" + i;
                int p = router.partitionOf(key);
                long sequence = partitions.get(p).appendBatch(AppendBatch.of(record("r" + i)
                        .withKey(bytes(key)))).firstSequence();
                assertThat(sequence).isEqualTo(counts[p]++);
            }
            for (int p = 0; p < 4; p++) {
                int partition = p;
                assertThat(readAll(partitions.get(p), 0)).hasSize(counts[p])
                        .allSatisfy(m -> assertThat(router.partitionOf(m.key())).isEqualTo(partition));
            }
        }

        @Test
        void theStreamAsAWholeDescribesItselfAndRefusesReadsAndWrites() {
            MessageStream whole = partitioned();
            store.partitions(whole.name()).get(2).append(bytes("x"));

            assertThat(whole.definition().partitions()).isEqualTo(4);
            assertThat(whole.info().totalSize().bytes()).isEqualTo(1 + OVERHEAD);
            assertThatThrownBy(() -> whole.append(bytes("y"))).isInstanceOf(PartitionedStreamException.class)
                    .hasMessageContaining("has 4 partitions");
            assertThatThrownBy(() -> await(whole.read(ReadRequest.upTo(0, 1))))
                    .isInstanceOf(PartitionedStreamException.class);
            assertThatThrownBy(() -> whole.trim(1)).isInstanceOf(PartitionedStreamException.class);
        }

        @Test
        void partitionsComeBackAfterARestartAndGoWithTheStream() {
            MessageStream whole = partitioned();
            store.partitions(whole.name()).get(3).appendBatch(AppendBatch.of(records(3, "p3-")));
            reopen();

            List<MessageStream> partitions = store.partitions(whole.name());
            assertThat(partitions).hasSize(4);
            int expected = persistence() == Persistence.FILE ? 3 : 0;
            assertThat(readAll(partitions.get(3), 0)).hasSize(expected);
            store.delete(whole.name());
            assertThatThrownBy(() -> store.partitions(whole.name())).isInstanceOf(StreamNotFoundException.class);
            assertThatThrownBy(() -> partitions.get(3).append(bytes("z")))
                    .isInstanceOf(StreamNotFoundException.class);
        }

        @Test
        void thePartitionCountCannotChangeByUpdate() {
            MessageStream whole = partitioned();
            assertThatThrownBy(() -> store.update(whole.definition().toBuilder().partitions(2).build()))
                    .isInstanceOf(UpdateNotAllowedException.class).hasMessageContaining("partitions");
            store.update(whole.definition().toBuilder().maxSize(DataSize.ofMebibytes(1)).build());
            assertThat(store.partitions(whole.name()).get(1).definition().maxSize())
                    .isEqualTo(DataSize.ofMebibytes(1));
        }

        @Test
        void aStreamOfOnePartitionIsItsOwnOnlyPartition() {
            MessageStream plain = stream("plain");
            assertThat(store.partitions(plain.name())).containsExactly(plain);
        }
    }

    @Nested
    class Namespaces {

        private final Namespace basin = Namespace.of("s2.plant-a");
        private final Namespace bucket = Namespace.of("reductstore.plant-a");

        @Test
        void equalNamesInTwoNamespacesAreTwoStreams() {
            MessageStream inDefault = stream("telemetry");
            StreamStore s2 = store.createNamespace(basin);
            StreamStore reduct = store.createNamespace(bucket);
            MessageStream inBasin = s2.create(definition("telemetry", StrategyOnFull.REJECT_NEW_DATA).build());

            inDefault.append(bytes("default"));
            inBasin.appendBatch(AppendBatch.of(records(2, "basin")));

            assertThat(payloads(readAll(store.get(inDefault.name()), 0))).containsExactly("default");
            assertThat(payloads(readAll(s2.get(inBasin.name()), 0))).containsExactly("basin0", "basin1");
            assertThat(reduct.list()).isEmpty();
            assertThat(store.list()).containsExactly(inDefault.name());
            assertThat(store.namespaces()).containsExactly(Namespace.DEFAULT, bucket, basin);
            assertThat(s2.namespace()).isEqualTo(basin);
            assertThat(store.createNamespace(basin)).as("idempotent").isSameAs(s2);
            assertThat(store.createNamespace(Namespace.DEFAULT)).isSameAs(store);
        }

        @Test
        void namespacesAndTheirStreamsComeBackAfterARestart() {
            StreamStore s2 = store.createNamespace(basin);
            s2.create(definition("events", StrategyOnFull.REJECT_NEW_DATA).build()).append(bytes("e"));
            reopen();

            StreamStore again = store.findNamespace(basin).orElseThrow();
            MessageStream events = again.get(io.github.edgestream.core.model.StreamName.of("events"));
            assertThat(readAll(events, 0)).hasSize(persistence() == Persistence.FILE ? 1 : 0);
            assertThat(store.namespaces()).containsExactly(Namespace.DEFAULT, basin);
        }

        @Test
        void streamNamesOutsideThePortableRuleWorkAndComeBackAfterARestart() {
            StreamStore s2 = store.createNamespace(basin);
            io.github.edgestream.core.model.StreamName slashed =
                    io.github.edgestream.core.model.StreamName.anyOf("orders/eu-1 \u00e9v\u00e9nements \u2603");
            io.github.edgestream.core.model.StreamName upper =
                    io.github.edgestream.core.model.StreamName.anyOf("Orders/EU-1 \u00c9v\u00e9nements \u2603");
            s2.create(io.github.edgestream.core.model.StreamDefinition.builder(slashed,
                    StrategyOnFull.REJECT_NEW_DATA).persistence(persistence()).build()).append(bytes("a"));
            s2.create(io.github.edgestream.core.model.StreamDefinition.builder(upper,
                    StrategyOnFull.REJECT_NEW_DATA).persistence(persistence()).build()).append(bytes("b"));
            reopen();

            StreamStore again = store.findNamespace(basin).orElseThrow();
            assertThat(again.list()).as("exact names, told apart by case").containsExactlyInAnyOrder(slashed, upper);
            assertThat(payloads(readAll(again.get(slashed), 0)))
                    .containsExactlyElementsOf(persistence() == Persistence.FILE ? List.of("a") : List.of());
        }

        @Test
        void aNamespaceKeepsItsAttributesAcrossRestartsAndIsAddedOnce() {
            assertThat(store.addNamespace(basin, java.util.Map.of("createdAt", "2026-12-05T00:00:00Z"))).isTrue();
            assertThat(store.addNamespace(basin, java.util.Map.of("createdAt", "later"))).as("exists").isFalse();
            StreamStore s2 = store.findNamespace(basin).orElseThrow();
            assertThat(s2.namespaceAttributes()).containsExactly(java.util.Map.entry("createdAt",
                    "2026-12-05T00:00:00Z"));
            s2.setNamespaceAttributes(java.util.Map.of("config", "{\"create_stream_on_append\":true}", "a.b-c_d",
                    "\u00e9\n="));
            assertThatThrownBy(() -> s2.setNamespaceAttributes(java.util.Map.of("bad key", "v")))
                    .hasMessageContaining("bad key").hasMessageContaining("A-Z a-z 0-9 . _ -");
            assertThatThrownBy(() -> s2.setNamespaceAttributes(java.util.Map.of("k", "v".repeat(16 * 1024 + 1))))
                    .hasMessageContaining("16384");
            assertThatThrownBy(() -> store.setNamespaceAttributes(java.util.Map.of()))
                    .isInstanceOf(UnsupportedOperationException.class);
            reopen();

            assertThat(store.findNamespace(basin).orElseThrow().namespaceAttributes()).containsOnly(
                    java.util.Map.entry("config", "{\"create_stream_on_append\":true}"),
                    java.util.Map.entry("a.b-c_d", "\u00e9\n="));
            assertThat(store.namespaceAttributes()).isEmpty();
        }

        @Test
        void deletingANamespaceDeletesItsStreamsForGood() {
            StreamStore s2 = store.createNamespace(basin);
            MessageStream events = s2.create(definition("events", StrategyOnFull.REJECT_NEW_DATA).build());
            events.append(bytes("e"));

            assertThat(store.deleteNamespace(basin)).isTrue();
            assertThat(store.deleteNamespace(basin)).isFalse();
            assertThat(store.findNamespace(basin)).isEmpty();
            assertThatThrownBy(() -> events.append(bytes("late"))).isInstanceOf(StreamNotFoundException.class);
            reopen();
            assertThat(store.namespaces()).containsExactly(Namespace.DEFAULT);
            assertThat(store.createNamespace(basin).list()).as("a new namespace of that name is empty").isEmpty();
        }

        @Test
        void renamingANamespaceKeepsItsStreamsMessagesAndAttributes() {
            assertThat(store.addNamespace(basin, java.util.Map.of("k", "v"))).isTrue();
            MessageStream events = store.findNamespace(basin).orElseThrow()
                    .create(definition("events", StrategyOnFull.REJECT_NEW_DATA).build());
            events.append(bytes("e"));
            Namespace renamed = Namespace.of("renamed-basin");
            if (persistence() != Persistence.FILE) {
                assertThatThrownBy(() -> store.renameNamespace(basin, renamed))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Memory stream");
                assertThat(store.findNamespace(basin)).isPresent();
                return;
            }

            store.renameNamespace(basin, renamed);

            assertThat(store.findNamespace(basin)).isEmpty();
            StreamStore moved = store.findNamespace(renamed).orElseThrow();
            assertThat(moved.namespaceAttributes()).containsEntry("k", "v");
            io.github.edgestream.core.model.StreamName name = io.github.edgestream.core.model.StreamName.of("events");
            assertThat(payloads(readAll(moved.get(name), 0))).containsExactly("e");
            assertThatThrownBy(() -> events.append(bytes("late"))).isInstanceOf(StreamNotFoundException.class)
                    .hasMessageContaining("namespace was renamed to \"renamed-basin\"");
            moved.get(name).append(bytes("f"));
            reopen();
            assertThat(store.namespaces()).containsExactly(Namespace.DEFAULT, renamed);
            assertThat(payloads(readAll(store.findNamespace(renamed).orElseThrow().get(name), 0)))
                    .containsExactly("e", "f");
            assertThatThrownBy(() -> store.renameNamespace(basin, bucket))
                    .isInstanceOf(NamespaceNotFoundException.class);
            store.createNamespace(bucket);
            assertThatThrownBy(() -> store.renameNamespace(renamed, bucket))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
            assertThatThrownBy(() -> store.renameNamespace(Namespace.DEFAULT, basin))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void theDefaultNamespaceCannotBeDeletedAndNamesAreChecked() {
            assertThatThrownBy(() -> store.deleteNamespace(Namespace.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Namespace.of("a/b")).hasMessageContaining("a/b")
                    .hasMessageContaining("1 to 128 characters");
            assertThatThrownBy(() -> Namespace.of("..")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.createNamespace(basin).createNamespace(bucket))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("do not nest");
        }

        @Test
        void aNamespacesStreamsAreNotReportedToTheStoreListener() {
            int before = listener.catalogEvents().size();
            store.createNamespace(basin).create(definition("quiet", StrategyOnFull.REJECT_NEW_DATA).build());
            assertThat(listener.catalogEvents()).hasSize(before);
        }
    }

    @Test
    void plainAppendsStillWorkBesideBatches() {
        MessageStream stream = stream("mixed");
        stream.append(ByteBuffer.wrap(bytes("one")));
        stream.appendBatch(AppendBatch.of(records(2, "two")));
        assertThat(payloads(readAll(stream, 0))).containsExactly("one", "two0", "two1");
    }
}
