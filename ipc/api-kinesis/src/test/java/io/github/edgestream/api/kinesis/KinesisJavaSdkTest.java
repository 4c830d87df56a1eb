package io.github.edgestream.api.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.api.kinesis.KinesisFixture.ClientMode;
import io.github.edgestream.core.stream.PartitionRouter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamMode;

/**
 * The official AWS SDK for Java v2 drives every supported Kinesis operation and error against a real server, in
 * each of its four wire modes: sync (HTTP/1.1) and async (Netty, h2c with prior knowledge), each in CBOR (the SDK's
 * default) and JSON. Every test uses streams of its own, so one server serves the class.
 */
class KinesisJavaSdkTest {

    @TempDir
    static Path root;
    private static KinesisFixture fixture;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void start() {
        fixture = new KinesisFixture(root);
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static String name(String base) {
        return base + "-" + NAMES.incrementAndGet();
    }

    private static String errorCode(Throwable e) {
        return ((AwsServiceException) e).awsErrorDetails().errorCode();
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void streamsAreCreatedDescribedListedAndDeleted(ClientMode mode) {
        KinesisClient kinesis = fixture.client(mode);
        String name = name("lifecycle");
        Instant before = fixture.clock.instant().minusSeconds(1);
        kinesis.createStream(r -> r.streamName(name).shardCount(3));

        DescribeStreamResponse described = kinesis.describeStream(r -> r.streamName(name));
        var description = described.streamDescription();
        assertThat(description.streamStatusAsString()).isEqualTo("ACTIVE");
        assertThat(description.streamARN()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/" + name);
        assertThat(description.retentionPeriodHours()).isEqualTo(24);
        assertThat(description.streamModeDetails().streamMode()).isEqualTo(StreamMode.PROVISIONED);
        assertThat(description.streamCreationTimestamp()).isBetween(before, fixture.clock.instant().plusSeconds(1));
        assertThat(description.hasMoreShards()).isFalse();
        List<Shard> shards = description.shards();
        assertThat(shards).extracting(Shard::shardId).containsExactly("shardId-000000000000",
                "shardId-000000000001", "shardId-000000000002");
        assertThat(new BigInteger(shards.get(0).hashKeyRange().startingHashKey())).isZero();
        for (int i = 1; i < 3; i++) {
            assertThat(new BigInteger(shards.get(i).hashKeyRange().startingHashKey())).isEqualTo(
                    new BigInteger(shards.get(i - 1).hashKeyRange().endingHashKey()).add(BigInteger.ONE));
        }
        assertThat(new BigInteger(shards.get(2).hashKeyRange().endingHashKey()))
                .isEqualTo(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));

        var page = kinesis.describeStream(r -> r.streamName(name).limit(2)).streamDescription();
        assertThat(page.shards()).hasSize(2);
        assertThat(page.hasMoreShards()).isTrue();
        var rest = kinesis.describeStream(r -> r.streamName(name).exclusiveStartShardId("shardId-000000000001"))
                .streamDescription();
        assertThat(rest.shards()).extracting(Shard::shardId).containsExactly("shardId-000000000002");

        var summary = kinesis.describeStreamSummary(r -> r.streamARN(description.streamARN()))
                .streamDescriptionSummary();
        assertThat(summary.openShardCount()).isEqualTo(3);
        assertThat(kinesis.describeLimits(r -> { }).openShardCount()).isGreaterThanOrEqualTo(3);
        assertThat(summary.streamName()).isEqualTo(name);

        String onDemand = name("on-demand");
        kinesis.createStream(r -> r.streamName(onDemand).streamModeDetails(d -> d.streamMode(StreamMode.ON_DEMAND)));
        assertThat(kinesis.describeStreamSummary(r -> r.streamName(onDemand)).streamDescriptionSummary()
                .streamModeDetails().streamMode()).isEqualTo(StreamMode.ON_DEMAND);

        assertThatThrownBy(() -> kinesis.createStream(r -> r.streamName(name).shardCount(1)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ResourceInUseException"));
        kinesis.deleteStream(r -> r.streamARN(description.streamARN()));
        assertThatThrownBy(() -> kinesis.describeStream(r -> r.streamName(name)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ResourceNotFoundException"));
        kinesis.deleteStream(r -> r.streamName(onDemand));
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void listStreamsAndListShardsPageBothWays(ClientMode mode) {
        KinesisClient kinesis = fixture.client(mode);
        String prefix = name("page");
        List<String> mine = List.of(prefix + "-a", prefix + "-b", prefix + "-c");
        for (String stream : mine) {
            kinesis.createStream(r -> r.streamName(stream).shardCount(1));
        }
        List<String> byToken = new ArrayList<>();
        ListStreamsResponse first = kinesis.listStreams(r -> r.limit(1));
        byToken.addAll(first.streamNames());
        String token = first.nextToken();
        while (token != null) {
            String at = token;
            ListStreamsResponse next = kinesis.listStreams(r -> r.nextToken(at).limit(1));
            assertThat(next.streamNames()).hasSize(1);
            assertThat(next.streamSummaries()).hasSize(1);
            byToken.addAll(next.streamNames());
            token = next.hasMoreStreams() ? next.nextToken() : null;
        }
        assertThat(byToken).containsAll(mine).isSorted();
        List<String> byName = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            String at = after;
            ListStreamsResponse next = kinesis.listStreams(r -> r.limit(2).exclusiveStartStreamName(at));
            byName.addAll(next.streamNames());
            after = next.streamNames().isEmpty() ? after : next.streamNames().get(next.streamNames().size() - 1);
            more = next.hasMoreStreams();
        }
        assertThat(byName).isEqualTo(byToken);

        String sharded = name("shards");
        kinesis.createStream(r -> r.streamName(sharded).shardCount(3));
        ListShardsResponse one = kinesis.listShards(r -> r.streamName(sharded).maxResults(1));
        assertThat(one.shards()).extracting(Shard::shardId).containsExactly("shardId-000000000000");
        ListShardsResponse two = kinesis.listShards(r -> r.nextToken(one.nextToken()).maxResults(2));
        assertThat(two.shards()).extracting(Shard::shardId).containsExactly("shardId-000000000001",
                "shardId-000000000002");
        assertThat(two.nextToken()).isNull();
        assertThat(kinesis.listShards(r -> r.streamName(sharded).shardFilter(f -> f.type(
                ShardFilterType.AFTER_SHARD_ID).shardId("shardId-000000000000"))).shards()).hasSize(2);
        assertThat(kinesis.listShards(r -> r.streamName(sharded).shardFilter(f -> f.type(
                ShardFilterType.AT_TIMESTAMP).timestamp(Instant.now()))).shards()).hasSize(3);
        assertThatThrownBy(() -> kinesis.listShards(r -> r.streamName(sharded).nextToken(one.nextToken())))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidArgumentException"));
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void recordsGoToTheShardOfTheirKeysMd5AndComeBackWithEveryIteratorType(ClientMode mode) {
        KinesisClient kinesis = fixture.client(mode);
        String name = name("records");
        kinesis.createStream(r -> r.streamName(name).shardCount(4));
        List<Shard> shards = kinesis.listShards(r -> r.streamName(name)).shards();
        Instant beforePuts = fixture.clock.instant();

        Map<String, List<String>> sequencesByShard = new HashMap<>();
        Map<String, List<String>> dataByShard = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String key = "device-" + i;
            String data = "reading " + i + " of " + key;
            PutRecordResponse put = kinesis.putRecord(r -> r.streamName(name).partitionKey(key)
                    .data(SdkBytes.fromUtf8String(data)));
            BigInteger hash = PartitionRouter.hashKeyOf(key);
            Shard owner = shards.stream().filter(s -> hash.compareTo(new BigInteger(s.hashKeyRange()
                    .startingHashKey())) >= 0 && hash.compareTo(new BigInteger(s.hashKeyRange().endingHashKey())) <= 0)
                    .findFirst().orElseThrow();
            assertThat(put.shardId()).as("shard of " + key).isEqualTo(owner.shardId());
            assertThat(put.sequenceNumber()).matches("[1-9][0-9]{23}");
            sequencesByShard.computeIfAbsent(put.shardId(), s -> new ArrayList<>()).add(put.sequenceNumber());
            dataByShard.computeIfAbsent(put.shardId(), s -> new ArrayList<>()).add(data);
        }
        PutRecordResponse explicit = kinesis.putRecord(r -> r.streamName(name).partitionKey("any")
                .explicitHashKey(new BigInteger(shards.get(3).hashKeyRange().startingHashKey()).toString())
                .data(SdkBytes.fromUtf8String("explicit")));
        assertThat(explicit.shardId()).isEqualTo("shardId-000000000003");
        sequencesByShard.computeIfAbsent(explicit.shardId(), s -> new ArrayList<>()).add(explicit.sequenceNumber());
        dataByShard.computeIfAbsent(explicit.shardId(), s -> new ArrayList<>()).add("explicit");
        assertThat(sequencesByShard).hasSizeGreaterThan(1);

        for (var entry : sequencesByShard.entrySet()) {
            List<String> sequences = entry.getValue();
            for (int i = 1; i < sequences.size(); i++) {
                assertThat(new BigInteger(sequences.get(i))).isGreaterThan(new BigInteger(sequences.get(i - 1)));
                assertThat(sequences.get(i)).hasSameSizeAs(sequences.get(i - 1)).isGreaterThan(sequences.get(i - 1));
            }
            String shardId = entry.getKey();
            List<Record> all = readAll(kinesis, name, shardId, ShardIteratorType.TRIM_HORIZON, null, null, 3);
            assertThat(all).extracting(rec -> rec.data().asUtf8String()).isEqualTo(dataByShard.get(shardId));
            assertThat(all).extracting(Record::sequenceNumber).isEqualTo(sequences);
            assertThat(all.get(0).approximateArrivalTimestamp()).isBetween(beforePuts.minusSeconds(1),
                    fixture.clock.instant().plusSeconds(1));
            if (sequences.size() >= 2) {
                assertThat(readAll(kinesis, name, shardId, ShardIteratorType.AT_SEQUENCE_NUMBER, sequences.get(1),
                        null, 100)).extracting(Record::sequenceNumber).isEqualTo(sequences.subList(1,
                        sequences.size()));
                assertThat(readAll(kinesis, name, shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, sequences.get(0),
                        null, 100)).extracting(Record::sequenceNumber).isEqualTo(sequences.subList(1,
                        sequences.size()));
            }
            assertThat(readAll(kinesis, name, shardId, ShardIteratorType.AT_TIMESTAMP, null, beforePuts, 100))
                    .hasSize(sequences.size());
        }

        String latest = kinesis.getShardIterator(r -> r.streamName(name).shardId("shardId-000000000003")
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        assertThat(kinesis.getRecords(r -> r.shardIterator(latest)).records()).isEmpty();
        kinesis.putRecord(r -> r.streamName(name).partitionKey("x").explicitHashKey(
                new BigInteger(shards.get(3).hashKeyRange().endingHashKey()).toString())
                .data(SdkBytes.fromUtf8String("after latest")));
        GetRecordsResponse fresh = kinesis.getRecords(r -> r.shardIterator(latest));
        assertThat(fresh.records()).extracting(rec -> rec.data().asUtf8String()).containsExactly("after latest");
        assertThat(fresh.records().get(0).partitionKey()).isEqualTo("x");
        assertThat(fresh.millisBehindLatest()).isZero();
        assertThat(fresh.nextShardIterator()).isNotBlank();
    }

    private static List<Record> readAll(KinesisClient kinesis, String stream, String shardId, ShardIteratorType type,
            String sequence, Instant timestamp, int limit) {
        String iterator = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shardId).shardIteratorType(type)
                .startingSequenceNumber(sequence).timestamp(timestamp)).shardIterator();
        List<Record> records = new ArrayList<>();
        while (true) {
            String at = iterator;
            GetRecordsResponse page = kinesis.getRecords(r -> r.shardIterator(at).limit(limit));
            records.addAll(page.records());
            iterator = page.nextShardIterator();
            if (page.records().isEmpty()) {
                return records;
            }
            assertThat(page.records()).hasSizeLessThanOrEqualTo(limit);
        }
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void putRecordsAnswersPerRecordInRequestOrder(ClientMode mode) {
        KinesisClient kinesis = fixture.client(mode);
        String name = name("batch");
        kinesis.createStream(r -> r.streamName(name).shardCount(2));
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[1024];
            data[0] = (byte) i;
            entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).data(SdkBytes.fromByteArray(data))
                    .build());
        }
        PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(name).records(entries));
        assertThat(response.failedRecordCount()).isZero();
        assertThat(response.records()).hasSize(500).allSatisfy(result -> {
            assertThat(result.errorCode()).isNull();
            assertThat(result.sequenceNumber()).isNotNull();
        });
        for (int i = 0; i < 500; i++) {
            String shard = "shardId-00000000000" + PartitionRouter.even(2).partitionOf("k" + i);
            assertThat(response.records().get(i).shardId()).isEqualTo(shard);
        }
        long total = 0;
        for (Shard shard : kinesis.listShards(r -> r.streamName(name)).shards()) {
            total += readAll(kinesis, name, shard.shardId(), ShardIteratorType.TRIM_HORIZON, null, null, 10_000).size();
        }
        assertThat(total).isEqualTo(500);
    }

    @org.junit.jupiter.api.Test
    void getRecordsAnswersAtMostTenMebibytes() {
        KinesisClient kinesis = fixture.client(ClientMode.SYNC_CBOR);
        String name = name("big");
        kinesis.createStream(r -> r.streamName(name).shardCount(1));
        byte[] data = new byte[1_000_000];
        for (int i = 0; i < 12; i++) {
            data[0] = (byte) i;
            byte[] record = data.clone();
            kinesis.putRecord(r -> r.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(record)));
        }
        String iterator = kinesis.getShardIterator(r -> r.streamName(name).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        GetRecordsResponse first = kinesis.getRecords(r -> r.shardIterator(iterator));
        long bytes = first.records().stream().mapToLong(rec -> rec.data().asByteArray().length).sum();
        assertThat(bytes).isLessThanOrEqualTo(10L << 20);
        assertThat(first.records()).hasSizeBetween(1, 10);
        assertThat(first.millisBehindLatest()).as("records are left").isNotNull();
        GetRecordsResponse rest = kinesis.getRecords(r -> r.shardIterator(first.nextShardIterator()));
        assertThat(first.records().size() + rest.records().size()).isEqualTo(12);
        assertThat(rest.records().get(0).data().asByteArray()[0]).isEqualTo((byte) first.records().size());
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void limitsAndBadInputAreAnsweredWithAwsErrors(ClientMode mode) {
        KinesisClient kinesis = fixture.client(mode);
        String name = name("limits");
        kinesis.createStream(r -> r.streamName(name).shardCount(1));
        assertThatThrownBy(() -> kinesis.putRecord(r -> r.streamName(name).partitionKey("k")
                .data(SdkBytes.fromByteArray(new byte[(1 << 20) + 1]))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"))
                .hasMessageContaining("1048576");
        List<PutRecordsRequestEntry> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("x")).build());
        }
        assertThatThrownBy(() -> kinesis.putRecords(r -> r.streamName(name).records(tooMany)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> kinesis.putRecord(r -> r.streamName(name).partitionKey("")
                .data(SdkBytes.fromUtf8String("x"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> kinesis.putRecord(r -> r.streamName(name).partitionKey("k").explicitHashKey(
                BigInteger.ONE.shiftLeft(128).toString()).data(SdkBytes.fromUtf8String("x"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidArgumentException"));
        assertThatThrownBy(() -> kinesis.putRecord(r -> r.streamName("no-such-stream").partitionKey("k")
                .data(SdkBytes.fromUtf8String("x"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ResourceNotFoundException"));
        assertThatThrownBy(() -> kinesis.createStream(r -> r.streamName("bad name!").shardCount(1)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationException"));
        assertThatThrownBy(() -> kinesis.createStream(r -> r.streamName(name("huge")).shardCount(257)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("LimitExceededException"));
        assertThatThrownBy(() -> kinesis.getShardIterator(r -> r.streamName(name).shardId("shardId-000000000009")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ResourceNotFoundException"));
        assertThatThrownBy(() -> kinesis.getShardIterator(r -> r.streamName(name).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber("12345")))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidArgumentException"));
        assertThatThrownBy(() -> kinesis.listStreamConsumers(r -> r.streamARN(
                "arn:aws:kinesis:us-east-1:000000000000:stream/" + name)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("UnsupportedOperationException"))
                .hasMessageContaining("enhanced fan-out");
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void iteratorsAreTamperEvidentAndExpireAfterFiveMinutes(ClientMode mode, @TempDir Path own) throws Exception {
        // a fixture of its own: its clock moves on by more than the other tests' signatures may be off
        try (KinesisFixture fixture = new KinesisFixture(own)) {
            iteratorsExpire(fixture, fixture.client(mode));
        }
    }

    private static void iteratorsExpire(KinesisFixture fixture, KinesisClient kinesis) {
        String name = name("iterators");
        kinesis.createStream(r -> r.streamName(name).shardCount(1));
        kinesis.putRecord(r -> r.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("x")));
        String iterator = kinesis.getShardIterator(r -> r.streamName(name).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        char[] chars = iterator.toCharArray();
        int middle = chars.length / 2;
        chars[middle] = chars[middle] == 'A' ? 'B' : 'A';
        String tampered = new String(chars);
        assertThatThrownBy(() -> kinesis.getRecords(r -> r.shardIterator(tampered)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidArgumentException"));

        ((io.github.edgestream.core.time.ManualClock) fixture.clock).advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThatThrownBy(() -> kinesis.getRecords(r -> r.shardIterator(iterator)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ExpiredIteratorException"));
        String renewed = kinesis.getShardIterator(r -> r.streamName(name).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThat(kinesis.getRecords(r -> r.shardIterator(renewed)).records()).hasSize(1);

        kinesis.deleteStream(r -> r.streamName(name));
        kinesis.createStream(r -> r.streamName(name).shardCount(1));
        assertThatThrownBy(() -> kinesis.getRecords(r -> r.shardIterator(renewed)))
                .as("an iterator of the deleted stream does not read the new one of the same name")
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ResourceNotFoundException"));
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void tagsAndRetentionChange(ClientMode mode) {
        KinesisClient kinesis = fixture.client(mode);
        String name = name("tags");
        kinesis.createStream(r -> r.streamName(name).shardCount(1));
        kinesis.addTagsToStream(r -> r.streamName(name).tags(Map.of("site", "plant-1", "line", "3")));
        assertThat(kinesis.listTagsForStream(r -> r.streamName(name)).tags())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("line=3", "site=plant-1");
        var page = kinesis.listTagsForStream(r -> r.streamName(name).limit(1));
        assertThat(page.hasMoreTags()).isTrue();
        kinesis.removeTagsFromStream(r -> r.streamName(name).tagKeys("line"));
        assertThat(kinesis.listTagsForStream(r -> r.streamName(name)).tags())
                .extracting(t -> t.key()).containsExactly("site");
        assertThatThrownBy(() -> kinesis.addTagsToStream(r -> r.streamName(name).tags(Map.of("aws:x", "1"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidArgumentException"));

        kinesis.increaseStreamRetentionPeriod(r -> r.streamName(name).retentionPeriodHours(48));
        assertThat(kinesis.describeStreamSummary(r -> r.streamName(name)).streamDescriptionSummary()
                .retentionPeriodHours()).isEqualTo(48);
        assertThat(fixture.store.get(io.github.edgestream.core.model.StreamName.of(name)).definition().timeToLive())
                .contains(Duration.ofHours(48));
        assertThatThrownBy(() -> kinesis.increaseStreamRetentionPeriod(r -> r.streamName(name)
                .retentionPeriodHours(24)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidArgumentException"));
        kinesis.decreaseStreamRetentionPeriod(r -> r.streamName(name).retentionPeriodHours(24));
        assertThat(kinesis.describeStreamSummary(r -> r.streamName(name)).streamDescriptionSummary()
                .retentionPeriodHours()).isEqualTo(24);
        assertThat(kinesis.listTagsForStream(r -> r.streamName(name)).tags()).as("a retention change keeps tags")
                .extracting(t -> t.key()).containsExactly("site");
        assertThatThrownBy(() -> kinesis.decreaseStreamRetentionPeriod(r -> r.streamName(name)
                .retentionPeriodHours(12)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidArgumentException"));
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void aFullStreamUnderRejectNewDataThrottlesPerRecord(ClientMode mode) throws Exception {
        KinesisClient kinesis = fixture.client(mode);
        String name = name("full");
        fixture.service.create(io.github.edgestream.core.model.StreamDefinition.builder(name,
                io.github.edgestream.core.model.StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(io.github.edgestream.core.model.DataSize.ofBytes(64 * 1024))
                .segmentSize(io.github.edgestream.core.model.DataSize.ofBytes(16 * 1024)).build())
                .toCompletableFuture().get();
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i)
                    .data(SdkBytes.fromByteArray(new byte[1024])).build());
        }
        PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(name).records(entries));
        assertThat(response.failedRecordCount()).isBetween(1, 99);
        List<PutRecordsResultEntry> results = response.records();
        int firstFailed = 0;
        while (results.get(firstFailed).errorCode() == null) {
            firstFailed++;
        }
        assertThat(firstFailed).as("what fits is kept, in order").isPositive();
        assertThat(results.subList(firstFailed, 100)).allSatisfy(result -> {
            assertThat(result.errorCode()).isEqualTo("ProvisionedThroughputExceededException");
            assertThat(result.sequenceNumber()).isNull();
        });
        assertThat(response.failedRecordCount()).isEqualTo(100 - firstFailed);
        assertThatThrownBy(() -> kinesis.putRecord(r -> r.streamName(name).partitionKey("k")
                .data(SdkBytes.fromByteArray(new byte[1024]))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ProvisionedThroughputExceededException"));
    }

    @ParameterizedTest
    @EnumSource(ClientMode.class)
    void credentialsAreVerifiedAndScoped(ClientMode mode) {
        KinesisClient admin = fixture.client(mode);
        String sensors = name("sensor");
        String other = name("other");
        admin.createStream(r -> r.streamName(sensors).shardCount(1));
        admin.createStream(r -> r.streamName(other).shardCount(1));
        admin.putRecord(r -> r.streamName(sensors).partitionKey("k").data(SdkBytes.fromUtf8String("x")));

        KinesisClient reader = fixture.client(mode, KinesisFixture.READER_KEY_ID, KinesisFixture.READER_SECRET);
        assertThat(reader.describeStreamSummary(r -> r.streamName(sensors)).streamDescriptionSummary().streamName())
                .isEqualTo(sensors);
        assertThat(reader.listStreams().streamNames()).allMatch(n -> n.startsWith("sensor-")).contains(sensors);
        assertThatThrownBy(() -> reader.putRecord(r -> r.streamName(sensors).partitionKey("k")
                .data(SdkBytes.fromUtf8String("x"))))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> reader.describeStream(r -> r.streamName(other)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"));
        assertThatThrownBy(() -> reader.deleteStream(r -> r.streamName(sensors)))
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"));
        String iterator = admin.getShardIterator(r -> r.streamName(other).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        assertThatThrownBy(() -> reader.getRecords(r -> r.shardIterator(iterator)))
                .as("an iterator handed over does not widen the reader's scope")
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AccessDeniedException"));

        KinesisClient daemon = fixture.client(mode, "edgestream", KinesisFixture.DAEMON_TOKEN);
        assertThat(daemon.listStreams().streamNames()).contains(sensors, other);
        KinesisClient wrongSecret = fixture.client(mode, KinesisFixture.KEY_ID, "not-the-secret-0123456789");
        assertThatThrownBy(() -> wrongSecret.listStreams())
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("InvalidSignatureException"));
        KinesisClient unknown = fixture.client(mode, "AKIDNOBODY", "whatever-secret-0123456789");
        assertThatThrownBy(() -> unknown.listStreams())
                .satisfies(e -> assertThat(errorCode(e)).isEqualTo("UnrecognizedClientException"));
        assertThat(fixture.protocols).contains(mode.async ? "HTTP/2" : "HTTP/1.1");
    }
}
