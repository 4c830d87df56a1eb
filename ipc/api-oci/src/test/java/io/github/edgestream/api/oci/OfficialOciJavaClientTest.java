package io.github.edgestream.api.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;
import com.oracle.bmc.auth.StringPrivateKeySupplier;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.CreateGroupCursorDetails;
import com.oracle.bmc.streaming.model.CreateStreamDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PartitionReservation;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResultEntry;
import com.oracle.bmc.streaming.model.Stream;
import com.oracle.bmc.streaming.model.UpdateGroupDetails;
import com.oracle.bmc.streaming.requests.ConsumerCommitRequest;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.CreateGroupCursorRequest;
import com.oracle.bmc.streaming.requests.CreateStreamRequest;
import com.oracle.bmc.streaming.requests.DeleteStreamRequest;
import com.oracle.bmc.streaming.requests.GetGroupRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import com.oracle.bmc.streaming.requests.ListStreamsRequest;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import com.oracle.bmc.streaming.requests.UpdateGroupRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oracle's official Java SDK ({@code oci-java-sdk-streaming} 3.57.0 with its Jersey 3 HTTP client, unchanged) against
 * the OCI Streaming API: the second official client, with a signer of its own (it signs {@code date}, not
 * {@code x-date}, URL-encodes cursors in the query string, sends {@code accept} and its own user agent), so the API
 * cannot rest on quirks of the Node SDK. Admin with the waiter, keyed produce, every read path, a consumer group
 * with commits and a reset, and a refused signature.
 */
class OfficialOciJavaClientTest {

    private static final String COMPARTMENT = "ocid1.compartment.oc1..javasdk";

    @TempDir
    static Path root;
    static OciFixture fixture;
    static StreamAdminClient admin;
    static StreamClient client;

    @BeforeAll
    static void start() throws Exception {
        fixture = new OciFixture(root.resolve("store"), root.resolve("keys"));
        SimpleAuthenticationDetailsProvider provider = provider(fixture.admin.keyId(), fixture.admin.pem());
        ClientConfiguration once = ClientConfiguration.builder()
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION).build();
        admin = StreamAdminClient.builder().endpoint(fixture.endpoint().toString()).configuration(once)
                .build(provider);
        client = StreamClient.builder().endpoint(fixture.endpoint().toString()).configuration(once).build(provider);
    }

    private static SimpleAuthenticationDetailsProvider provider(String keyId, Path pem) throws Exception {
        String[] parts = keyId.split("/");
        return SimpleAuthenticationDetailsProvider.builder().tenantId(parts[0]).userId(parts[1]).fingerprint(parts[2])
                .privateKeySupplier(new StringPrivateKeySupplier(Files.readString(pem))).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        admin.close();
        fixture.close();
    }

    private static Stream create(String name, int partitions) {
        return admin.createStream(CreateStreamRequest.builder().createStreamDetails(CreateStreamDetails.builder()
                .name(name).partitions(partitions).compartmentId(COMPARTMENT).retentionInHours(24).build()).build())
                .getStream();
    }

    private static List<PutMessagesResultEntry> put(String streamId, int count, String prefix) {
        List<PutMessagesDetailsEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(PutMessagesDetailsEntry.builder().key(("key-" + i % 5).getBytes(StandardCharsets.UTF_8))
                    .value((prefix + i).getBytes(StandardCharsets.UTF_8)).build());
        }
        var result = client.putMessages(PutMessagesRequest.builder().streamId(streamId)
                .putMessagesDetails(PutMessagesDetails.builder().messages(entries).build()).build())
                .getPutMessagesResult();
        assertThat(result.getFailures()).isZero();
        return result.getEntries();
    }

    private static String text(Message message) {
        return new String(message.getValue(), StandardCharsets.UTF_8);
    }

    @Test
    void adminProduceAndReadEveryPartition() throws Exception {
        Stream stream = create("java-orders", 3);
        assertThat(stream.getLifecycleState()).isEqualTo(Stream.LifecycleState.Active);
        assertThat(stream.getMessagesEndpoint()).isEqualTo(fixture.endpoint().toString());
        Stream waited = admin.getWaiters().forStream(GetStreamRequest.builder().streamId(stream.getId()).build(),
                Stream.LifecycleState.Active).execute().getStream();
        assertThat(waited.getPartitions()).isEqualTo(3);
        assertThat(admin.listStreams(ListStreamsRequest.builder().compartmentId(COMPARTMENT).name("java-orders")
                .build()).getItems()).extracting(s -> s.getId()).containsExactly(stream.getId());

        List<PutMessagesResultEntry> entries = put(stream.getId(), 20, "m");

        List<String> read = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            String cursor = client.createCursor(CreateCursorRequest.builder().streamId(stream.getId())
                    .createCursorDetails(CreateCursorDetails.builder().partition(Integer.toString(p))
                            .type(CreateCursorDetails.Type.TrimHorizon).build()).build()).getCursor().getValue();
            for (int page = 0; page < 50; page++) {
                GetMessagesResponse got = client.getMessages(GetMessagesRequest.builder().streamId(stream.getId())
                        .cursor(cursor).limit(3).build());
                got.getItems().forEach(m -> read.add(text(m)));
                got.getItems().forEach(m -> assertThat(new String(m.getKey(), StandardCharsets.UTF_8))
                        .startsWith("key-"));
                cursor = got.getOpcNextCursor();
                if (got.getItems().isEmpty()) {
                    break;
                }
            }
        }
        assertThat(read).hasSize(20).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList());
        assertThat(entries).extracting(PutMessagesResultEntry::getPartition).filteredOn(p -> p != null)
                .hasSize(20);

        String at = client.createCursor(CreateCursorRequest.builder().streamId(stream.getId())
                .createCursorDetails(CreateCursorDetails.builder().partition(entries.get(0).getPartition())
                        .type(CreateCursorDetails.Type.AtOffset).offset(entries.get(0).getOffset()).build()).build())
                .getCursor().getValue();
        assertThat(text(client.getMessages(GetMessagesRequest.builder().streamId(stream.getId()).cursor(at).limit(1)
                .build()).getItems().get(0))).isEqualTo("m0");

        admin.deleteStream(DeleteStreamRequest.builder().streamId(stream.getId()).build());
        assertThat(admin.getWaiters().forStream(GetStreamRequest.builder().streamId(stream.getId()).build(),
                Stream.LifecycleState.Deleted).execute().getStream().getLifecycleState())
                .isEqualTo(Stream.LifecycleState.Deleted);
    }

    @Test
    void aConsumerGroupCommitsAndResets() {
        Stream stream = create("java-group", 2);
        put(stream.getId(), 10, "g");
        String cursor = client.createGroupCursor(CreateGroupCursorRequest.builder().streamId(stream.getId())
                .createGroupCursorDetails(CreateGroupCursorDetails.builder().groupName("java-readers")
                        .instanceName("j1").type(CreateGroupCursorDetails.Type.TrimHorizon).commitOnGet(false)
                        .timeoutInMs(30_000).build()).build()).getCursor().getValue();

        GetMessagesResponse got = client.getMessages(GetMessagesRequest.builder().streamId(stream.getId())
                .cursor(cursor).limit(100).build());
        assertThat(got.getItems()).hasSize(10);
        client.consumerCommit(ConsumerCommitRequest.builder().streamId(stream.getId()).cursor(got.getOpcNextCursor())
                .build());

        List<PartitionReservation> reservations = client.getGroup(GetGroupRequest.builder().streamId(stream.getId())
                .groupName("java-readers").build()).getGroup().getReservations();
        assertThat(reservations).extracting(PartitionReservation::getReservedInstance).containsOnly("j1");
        long committed = reservations.stream().mapToLong(r -> r.getCommittedOffset() + 1).sum();
        assertThat(committed).as("every message committed").isEqualTo(10);

        client.updateGroup(UpdateGroupRequest.builder().streamId(stream.getId()).groupName("java-readers")
                .updateGroupDetails(UpdateGroupDetails.builder().type(UpdateGroupDetails.Type.TrimHorizon).build())
                .build());
        assertThat(client.getGroup(GetGroupRequest.builder().streamId(stream.getId()).groupName("java-readers")
                .build()).getGroup().getReservations()).extracting(PartitionReservation::getCommittedOffset)
                .containsOnlyNulls();
        assertThat(client.getMessages(GetMessagesRequest.builder().streamId(stream.getId()).cursor(
                got.getOpcNextCursor()).limit(100).build()).getItems()).as("after the reset, from the start again")
                .hasSize(10);
    }

    @Test
    void aRequestSignedWithAnotherKeyIsRefused() throws Exception {
        SimpleAuthenticationDetailsProvider wrong = provider(fixture.admin.keyId(), fixture.stranger.pem());
        try (StreamAdminClient impostor = StreamAdminClient.builder().endpoint(fixture.endpoint().toString())
                .configuration(ClientConfiguration.builder()
                        .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION).build()).build(wrong)) {
            Stream stream = create("java-guarded", 1);
            assertThatThrownBy(() -> impostor.getStream(GetStreamRequest.builder().streamId(stream.getId()).build()))
                    .isInstanceOfSatisfying(BmcException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(401);
                        assertThat(e.getServiceCode()).isEqualTo("NotAuthenticated");
                    });
        }
    }
}
