package io.github.edgestream.ipc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.Header;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.core.stream.AppendResult;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.cursor.ConsumerGroups;
import io.github.edgestream.core.cursor.CursorStore;
import io.github.edgestream.ipc.client.CursorInfo;
import io.github.edgestream.ipc.client.CursorListing;
import io.github.edgestream.ipc.client.StreamManagerClient;
import io.github.edgestream.ipc.client.StreamManagerException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.RequestEncoder;
import io.github.edgestream.ipc.wire.Response;
import io.github.edgestream.ipc.wire.ResponseStatus;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * edgestream's extension operations end to end: our Java client, the real server on loopback, a real store. Each
 * capability, its conflicts (status 100 with the actual value in the message) and its invalid requests.
 */
class ExtensionOperationsEndToEndTest {

    private static final long T0 = 1_800_000_000_000_000L;

    @TempDir
    Path root;

    private ServerFixture fixture;
    private StreamManagerClient client;

    @BeforeEach
    void start() {
        fixture = new ServerFixture(root);
        client = fixture.client();
        fixture.store.create(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static AppendRecord text(String payload) {
        return AppendRecord.of(payload.getBytes(StandardCharsets.UTF_8));
    }

    private MessageStream stream() {
        return fixture.store.get(StreamName.of("s"));
    }

    @Test
    void aBatchWithTimestampsKeysAndHeadersIsStoredWholeAndReadableByTheProtocolsRead() throws Exception {
        List<AppendRecord> records = List.of(text("a").withTimestampMicros(T0).withKey(new byte[] {1, 2})
                .withHeaders(List.of(Header.of("content-type", "text/plain"))), text("b"), text("c"));

        AppendResult result = await(client.appendBatch("s", records, OptionalLong.of(0), null));

        assertThat(result.firstSequence()).isZero();
        assertThat(result.nextSequence()).isEqualTo(3);
        assertThat(result.firstTimestampMicros()).isEqualTo(T0);
        List<Message> stored = stream().read(ReadRequest.upTo(0, 10)).toCompletableFuture().join();
        assertThat(stored.get(0).key()).containsExactly(1, 2);
        assertThat(stored.get(0).headers()).containsExactly(Header.of("content-type", "text/plain"));
        assertThat(await(client.readMessages("s", 0, 3, 3, Duration.ZERO))).extracting(m -> new String(m.payload()))
                .containsExactly("a", "b", "c");
    }

    @Test
    void aConditionalAppendThatLosesIsAConflictNamingTheActualTailAndWritesNothing() throws Exception {
        await(client.appendBatch("s", List.of(text("x")), OptionalLong.empty(), null));

        assertThatThrownBy(() -> await(client.appendBatch("s", List.of(text("y"), text("z")), OptionalLong.of(0),
                null))).isInstanceOfSatisfying(StreamManagerException.class, e -> {
                    assertThat(e.status()).isEqualTo(ResponseStatus.CONFLICT);
                    assertThat(e.getMessage()).contains("expected the next sequence number to be 0 but it is 1");
                });
        assertThat(stream().info().newestSequenceNumber()).isZero();
    }

    @Test
    void aFencedOutWriterGetsAConflictAndTheNewWriterAppends() throws Exception {
        assertThat(await(client.fence("s", "writer-2", null))).isEmpty();

        assertThatThrownBy(() -> await(client.appendBatch("s", List.of(text("stale")), OptionalLong.empty(),
                "writer-1"))).isInstanceOfSatisfying(StreamManagerException.class,
                        e -> assertThat(e.status()).isEqualTo(ResponseStatus.CONFLICT));
        await(client.appendBatch("s", List.of(text("fresh")), OptionalLong.empty(), "writer-2"));
        assertThat(await(client.fence("s", "writer-3", "writer-2"))).isEqualTo("writer-2");
        assertThat(stream().fencingToken()).isEqualTo("writer-3");
    }

    @Test
    void trimAndSeekByTime() throws Exception {
        List<AppendRecord> records = List.of(text("0").withTimestampMicros(T0), text("1").withTimestampMicros(T0 + 10),
                text("2").withTimestampMicros(T0 + 20), text("3").withTimestampMicros(T0 + 30));
        await(client.appendBatch("s", records, OptionalLong.empty(), null));

        Instant at = Instant.ofEpochSecond(T0 / 1_000_000, (T0 % 1_000_000 + 15) * 1000);
        assertThat(await(client.seekTime("s", at))).isEqualTo(2);
        assertThat(await(client.trim("s", 3))).isEqualTo(3);
        assertThat(await(client.seekTime("s", Instant.ofEpochSecond(0)))).isEqualTo(3);
        assertThat(stream().info().oldestSequenceNumber()).isEqualTo(3);
    }

    @Test
    void cursorsCommitWithGenerationsListAndReset() throws Exception {
        await(client.appendBatch("s", java.util.stream.IntStream.range(0, 8).mapToObj(i -> text("m" + i)).toList(),
                OptionalLong.empty(), null));
        assertThatThrownBy(() -> await(client.commitCursor("s", "reader-1", 9, 0)))
                .isInstanceOfSatisfying(StreamManagerException.class, e -> {
                    assertThat(e.status()).isEqualTo(ResponseStatus.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("next sequence number is 8");
                });
        CursorInfo created = await(client.commitCursor("s", "reader-1", 5, 0));
        assertThat(created.generation()).isEqualTo(1);

        assertThatThrownBy(() -> await(client.commitCursor("s", "reader-1", 7, 0)))
                .isInstanceOfSatisfying(StreamManagerException.class,
                        e -> assertThat(e.status()).isEqualTo(ResponseStatus.CONFLICT));
        assertThat(await(client.commitCursor("s", "reader-1", 7, 1)).position()).isEqualTo(7);
        assertThat(await(client.resetCursor("s", "reader-1", 2)).position()).isEqualTo(2);
        assertThat(await(client.listCursors("s"))).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("reader-1");
            assertThat(c.kind()).isEqualTo("CONSUMER");
            assertThat(c.position()).isEqualTo(2);
            assertThat(c.generation()).isEqualTo(3);
            assertThat(c.updatedAt()).isEqualTo(fixture.clock.instant());
        });
    }

    @Test
    void invalidExtensionRequestsNameTheFieldAndLimit() throws Exception {
        assertThatThrownBy(() -> await(client.appendBatch("s", List.of(), OptionalLong.empty(), null)))
                .isInstanceOfSatisfying(StreamManagerException.class, e -> {
                    assertThat(e.status()).isEqualTo(ResponseStatus.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("records").contains("1 to 1000");
                });
        assertThatThrownBy(() -> await(client.commitCursor("s", "bad name!", 1, 0)))
                .isInstanceOfSatisfying(StreamManagerException.class,
                        e -> assertThat(e.status()).isEqualTo(ResponseStatus.INVALID_REQUEST));
        assertThatThrownBy(() -> await(client.trim("missing", 1)))
                .isInstanceOfSatisfying(StreamManagerException.class,
                        e -> assertThat(e.status()).isEqualTo(ResponseStatus.RESOURCE_NOT_FOUND));
        Response raw = await(client.sendRaw(Operation.APPEND_BATCH, id -> RequestEncoder.raw(
                ByteBufAllocator.DEFAULT, Operation.APPEND_BATCH.code(), List.of(new Object[] {"requestId", id},
                        new Object[] {"streamName", "s"}, new Object[] {"records", List.of(java.util.Map.of(
                                "payload", "not bytes", "timestampMicros", -4L))}))));
        assertThat(raw.status()).isEqualTo(ResponseStatus.INVALID_REQUEST);
        assertThat(raw.errorMessage()).contains("records[0].payload").contains("records[0].timestampMicros");
    }

    @Test
    void aPartitionedStreamIsRefusedByTheProtocolsAppendAndByTheExtensions() throws Exception {
        fixture.store.create(StreamDefinition.builder("shards", StrategyOnFull.REJECT_NEW_DATA).partitions(4)
                .build());

        assertThatThrownBy(() -> await(client.appendMessage("shards", new byte[] {1})))
                .isInstanceOfSatisfying(StreamManagerException.class, e -> {
                    assertThat(e.status()).isEqualTo(ResponseStatus.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("has 4 partitions");
                });
        assertThatThrownBy(() -> await(client.appendBatch("shards", List.of(text("x")), OptionalLong.empty(),
                null))).isInstanceOfSatisfying(StreamManagerException.class,
                        e -> assertThat(e.status()).isEqualTo(ResponseStatus.INVALID_REQUEST));
    }

    /**
     * ListCursors is the one extension a partitioned stream answers: its consumer groups, each with its committed
     * position in every partition, and every partition's next sequence number, so lag is per partition.
     */
    @Test
    void aGroupOverAPartitionedStreamIsListedWithAPositionPerPartitionAndEachPartitionsTail() throws Exception {
        fixture.store.create(StreamDefinition.builder("shards", StrategyOnFull.REJECT_NEW_DATA).partitions(3)
                .build());
        List<MessageStream> partitions = fixture.store.partitions(StreamName.of("shards"));
        int[] counts = {4, 5, 3};
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < counts[p]; i++) {
                partitions.get(p).appendAsync(java.nio.ByteBuffer.wrap(new byte[] {(byte) i})).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            }
        }
        // the group's record is kept with partition 0 (StreamService.withGroups); written here as the server would
        new ConsumerGroups(new CursorStore(partitions.get(0).checkpoints(), fixture.clock), 3)
                .reset("billing", List.of(1L, 5L, 0L));

        CursorListing listing = await(client.extensions().listCursorsWithTails("shards"));

        assertThat(listing.nextSequenceNumbers()).containsExactly(4L, 5L, 3L);
        assertThat(listing.cursors()).singleElement().satisfies(group -> {
            assertThat(group.name()).isEqualTo("billing");
            assertThat(group.kind()).isEqualTo("GROUP");
            assertThat(group.position()).as("partition 0's, for older clients").isEqualTo(1);
            assertThat(group.positions()).containsExactly(1L, 5L, 0L);
            assertThat(group.generation()).isEqualTo(1);
            assertThat(List.of(listing.lag(group, 0), listing.lag(group, 1), listing.lag(group, 2)))
                    .containsExactly(3L, 0L, 3L);
        });
        // a stream of one partition: every reader has the one position, and the stream's tail
        await(client.appendBatch("s", List.of(text("a"), text("b")), OptionalLong.empty(), null));
        await(client.commitCursor("s", "reader-1", 1, 0));
        CursorListing single = await(client.extensions().listCursorsWithTails("s"));
        assertThat(single.nextSequenceNumbers()).containsExactly(2L);
        assertThat(single.cursors()).singleElement().satisfies(c -> assertThat(c.positions()).containsExactly(1L));
    }

    @Test
    void readRecordsReturnsTimestampsKeysAndHeadersAndStopsBeforeATime() throws Exception {
        List<AppendRecord> records = List.of(text("a").withTimestampMicros(T0).withKey(new byte[] {7})
                        .withHeaders(List.of(Header.of("unit", "°C"))),
                text("b").withTimestampMicros(T0 + 10), text("c").withTimestampMicros(T0 + 20));
        await(client.appendBatch("s", records, OptionalLong.empty(), null));
        Instant stop = Instant.ofEpochSecond(T0 / 1_000_000, (T0 % 1_000_000 + 20) * 1000);

        List<Message> read = await(client.extensions().readRecords("s", 0, 1, 10, Duration.ofSeconds(5), stop));

        assertThat(read).extracting(m -> new String(m.payload())).containsExactly("a", "b");
        assertThat(read.get(0).timestampMicros()).isEqualTo(T0);
        assertThat(read.get(0).key()).containsExactly(7);
        assertThat(read.get(0).headers()).containsExactly(Header.of("unit", "°C"));
        assertThat(read.get(1).hasKey()).isFalse();
        assertThat(read.get(1).headers()).isEmpty();
    }

    @Test
    void extensionsReachStreamsOfAnotherNamespaceAndNameAMissingOne() throws Exception {
        fixture.store.createNamespace(io.github.edgestream.core.model.Namespace.of("s2.plant-a"))
                .create(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA).build());

        await(client.extensions("s2.plant-a").appendBatch("s", List.of(text("basin")), OptionalLong.of(0), null));

        assertThat(await(client.extensions("s2.plant-a").readRecords("s", 0, 1, 10, Duration.ZERO, null)))
                .extracting(m -> new String(m.payload())).containsExactly("basin");
        assertThat(stream().info().newestSequenceNumber()).as("the default namespace's \"s\" is untouched")
                .isEqualTo(-1);
        assertThatThrownBy(() -> await(client.extensions("s2.nowhere").trim("s", 1)))
                .isInstanceOfSatisfying(StreamManagerException.class, e -> {
                    assertThat(e.status()).isEqualTo(ResponseStatus.RESOURCE_NOT_FOUND);
                    assertThat(e.getMessage()).contains("namespace \"s2.nowhere\" does not exist");
                });
        assertThatThrownBy(() -> await(client.extensions("bad/namespace").trim("s", 1)))
                .isInstanceOfSatisfying(StreamManagerException.class,
                        e -> assertThat(e.status()).isEqualTo(ResponseStatus.INVALID_REQUEST));
    }

    @Test
    void describeUpdateAndListReachTheStreamsOfAnotherNamespaceWithTheProtocolsFields() throws Exception {
        var basin = io.github.edgestream.core.model.Namespace.of("s2.plant-a");
        fixture.store.createNamespace(basin).create(StreamDefinition.builder("s", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(io.github.edgestream.core.model.DataSize.ofMebibytes(32)).build());
        fixture.store.findNamespace(basin).orElseThrow().create(StreamDefinition.builder("t",
                StrategyOnFull.REJECT_NEW_DATA).build());
        await(client.extensions("s2.plant-a").appendBatch("s", List.of(text("x"), text("y")), OptionalLong.empty(),
                null));

        var described = await(client.describeMessageStream("s2.plant-a", "s"));
        assertThat(described.newestSequenceNumber()).isEqualTo(1);
        assertThat(described.definition().maxSize().bytes()).isEqualTo(32L << 20);
        var export = new io.github.edgestream.core.model.ExportConfig.Http(
                io.github.edgestream.core.model.ExportSettings.of("to-http"),
                java.net.URI.create("http://127.0.0.1:1/"), java.util.Optional.empty());
        await(client.updateMessageStream("s2.plant-a", described.definition().toBuilder()
                .exports(List.of(export)).build()));

        assertThat(fixture.store.findNamespace(basin).orElseThrow().get(StreamName.of("s")).definition().exports())
                .containsExactly(export);
        assertThat(stream().definition().exports()).as("the default namespace's \"s\" is untouched").isEmpty();
        assertThat(await(client.describeMessageStream("s2.plant-a", "s")).exportStatuses())
                .extracting(io.github.edgestream.core.export.ExportStatus::exportIdentifier).containsExactly("to-http");
        assertThat(await(client.listStreams("s2.plant-a"))).containsExactly("s", "t");
        assertThat(await(client.listStreams())).containsExactly("s");

        Response raw = await(client.sendRaw(Operation.DESCRIBE_IN_NAMESPACE, id -> RequestEncoder.describeInNamespace(
                ByteBufAllocator.DEFAULT, id, "s2.plant-a", "s")));
        assertThat(raw).isInstanceOf(Response.Description.class);
        Response updated = await(client.sendRaw(Operation.UPDATE_IN_NAMESPACE, id -> RequestEncoder
                .updateInNamespace(ByteBufAllocator.DEFAULT, id, "s2.plant-a",
                        io.github.edgestream.ipc.wire.StreamDefinitionDraft.of(described.definition()))));
        assertThat(((Response.Status) updated).operation()).isEqualTo(Operation.UPDATE_IN_NAMESPACE_RESPONSE);
        Response noNamespace = await(client.sendRaw(Operation.LIST_IN_NAMESPACE, id -> RequestEncoder.raw(
                ByteBufAllocator.DEFAULT, Operation.LIST_IN_NAMESPACE.code(), List.<Object[]>of(
                        new Object[] {"requestId", id}))));
        assertThat(noNamespace.status()).isEqualTo(ResponseStatus.INVALID_REQUEST);
        assertThat(noNamespace.errorMessage()).contains("namespace");
        assertThatThrownBy(() -> await(client.describeMessageStream("s2.plant-a", "missing")))
                .isInstanceOfSatisfying(StreamManagerException.class,
                        e -> assertThat(e.status()).isEqualTo(ResponseStatus.RESOURCE_NOT_FOUND));
        assertThatThrownBy(() -> await(client.listStreams("s2.nowhere")))
                .isInstanceOfSatisfying(StreamManagerException.class, e -> {
                    assertThat(e.status()).isEqualTo(ResponseStatus.RESOURCE_NOT_FOUND);
                    assertThat(e.getMessage()).contains("namespace \"s2.nowhere\" does not exist");
                });
    }

    @Test
    void aBatchOfMillionsOfTinyItemsIsRefusedBeforeItIsParsedNamingTheLimit() throws Exception {
        List<Object> tiny = new java.util.ArrayList<>();
        for (int i = 0; i < 400_000; i++) {
            tiny.add((long) (i % 10));
        }
        Response raw = await(client.sendRaw(Operation.APPEND_BATCH, id -> RequestEncoder.raw(
                ByteBufAllocator.DEFAULT, Operation.APPEND_BATCH.code(), List.of(new Object[] {"requestId", id},
                        new Object[] {"streamName", "s"}, new Object[] {"junk", tiny},
                        new Object[] {"records", List.of(java.util.Map.of("payload", new byte[] {1}))}))));

        assertThat(raw.status()).isEqualTo(ResponseStatus.INVALID_REQUEST);
        assertThat(raw.errorMessage()).contains("payload").contains("300000");
        assertThat(stream().info().newestSequenceNumber()).isEqualTo(-1);
        assertThat(await(client.appendBatch("s", List.of(text("after")), OptionalLong.empty(), null))
                .firstSequence()).as("the connection still serves").isZero();
    }
}
