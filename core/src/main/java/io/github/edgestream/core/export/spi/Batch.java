package io.github.edgestream.core.export.spi;

import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import java.util.List;
import java.util.Objects;

/**
 * Messages of one stream for one export, in sequence order. Usually consecutive; after a partial failure the
 * runtime resends only the failed ones, so gaps are possible. Immutable; the payload arrays are shared and must not
 * be modified.
 *
 * @param stream           the stream the messages come from
 * @param exportIdentifier the export's identifier
 * @param messages         at least one, ascending sequence numbers
 * @param attempt          1 for the first try of these messages, then 2, 3, ... on retries
 */
public record Batch(StreamName stream, String exportIdentifier, List<Message> messages, int attempt) {

    public Batch {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(exportIdentifier, "exportIdentifier");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one message");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is " + attempt + " but must be at least 1");
        }
    }

    /** Sum of the payload sizes. */
    public long payloadBytes() {
        long total = 0;
        for (var message : messages) {
            total += message.payload().length;
        }
        return total;
    }

    public long firstSequenceNumber() {
        return messages.get(0).sequenceNumber();
    }

    public long lastSequenceNumber() {
        return messages.get(messages.size() - 1).sequenceNumber();
    }
}
