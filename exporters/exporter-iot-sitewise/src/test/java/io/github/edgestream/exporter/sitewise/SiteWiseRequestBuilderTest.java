package io.github.edgestream.exporter.sitewise;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iotsitewise.model.PutAssetPropertyValueEntry;

class SiteWiseRequestBuilderTest {

    private static final String ENTRY = "{\"entryId\":\"dup\",\"propertyAlias\":\"/a\",\"propertyValues\":[{\"value\":"
            + "{\"booleanValue\":true},\"timestamp\":{\"timeInSeconds\":1767225600}}]}";

    private final SiteWiseRequestBuilder builder = new SiteWiseRequestBuilder(SiteWiseRequestBuilder.LIMITS);

    // Ids come from sequence numbers: unique in the call, and the same when the runtime resends the message.
    @Test
    void sendsEachEntryUnderAnIdDerivedFromItsSequenceNumber() {
        var built = builder.build(batch(new Message(5, 0, bytes(ENTRY)), new Message(9, 0, bytes(ENTRY))));

        assertThat(built.request().orElseThrow().entries()).extracting(PutAssetPropertyValueEntry::entryId)
                .containsExactly("seq-5", "seq-9");
        assertThat(built.sent()).containsOnlyKeys("seq-5", "seq-9");
        assertThat(built.sent().get("seq-9").sequenceNumber()).isEqualTo(9);
        assertThat(built.sent().get("seq-9").entry().entryId()).isEqualTo("dup");
        assertThat(builder.build(batch(new Message(9, 0, bytes(ENTRY)))).request().orElseThrow().entries().get(0)
                .entryId()).isEqualTo("seq-9");
    }

    // The longest sequence number still makes a valid entry id (at most 64 of [a-zA-Z0-9_-]).
    @Test
    void theLargestSequenceNumberMakesAValidEntryId() {
        assertThat(SiteWiseRequestBuilder.entryIdFor(Long.MAX_VALUE)).matches("[a-zA-Z0-9_-]{1,64}");
    }

    @Test
    void leavesOutInvalidMessagesAndKeepsTheRestInOrder() {
        var built = builder.build(batch(new Message(1, 0, bytes(ENTRY)), new Message(2, 0, bytes("{}")),
                new Message(3, 0, bytes(ENTRY))));

        assertThat(built.invalid()).containsOnlyKeys(2L);
        assertThat(built.invalid().get(2L).reason()).isEqualTo("message 2: entryId is missing");
        assertThat(built.invalid().get(2L).retryable()).isFalse();
        assertThat(built.sent().keySet()).containsExactly("seq-1", "seq-3");
    }

    @Test
    void makesNoRequestWhenNothingIsValid() {
        var built = builder.build(batch(new Message(1, 0, bytes("null"))));

        assertThat(built.request()).isEmpty();
        assertThat(built.invalid().get(1L).reason()).isEqualTo("message 1: not a PutAssetPropertyValueEntry: the JSON"
                + " is null, expected an object");
    }

    // The runtime keeps larger messages away; should one arrive, it is refused, not sent.
    @Test
    void refusesAMessageOverTheMessageLimit() {
        var small = new SiteWiseRequestBuilder(new BatchLimits(10, ENTRY.length() - 1, 10L * ENTRY.length()));

        var built = small.build(batch(new Message(4, 0, bytes(ENTRY))));

        assertThat(built.request()).isEmpty();
        assertThat(built.invalid().get(4L).reason()).isEqualTo("message 4: " + ENTRY.length() + " bytes, larger than"
                + " the " + (ENTRY.length() - 1) + " bytes of any valid entry");
    }

    private static Batch batch(Message... messages) {
        return new Batch(StreamName.of("s"), "x", List.of(messages), 1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
