package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.StreamInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S2's {@code delete_on_empty}: a stream whose configuration sets {@code min_age_secs} is deleted once it holds no
 * record (all expired or trimmed, or none ever appended) and nothing was appended to it, nor was it created, for at
 * least that long. The API sweeps its basins every minute ({@link #sweep}), so a stream goes up to a minute after it
 * qualifies (S2 itself takes ten minutes or more).
 */
final class EmptyStreamSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(EmptyStreamSweeper.class);

    private final Basins basins;

    EmptyStreamSweeper(Basins basins) {
        this.basins = basins;
    }

    /** Deletes every stream that qualifies now; returns their names (basin/stream). Blocks for the deletions. */
    List<String> sweep() {
        List<String> deleted = new ArrayList<>();
        long now = basins.clock().millis();
        for (String basin : basins.list()) {
            StreamService streams;
            try {
                streams = basins.basin(basin);
            } catch (S2Exception gone) {
                continue;
            }
            for (StreamName name : streams.list().toCompletableFuture().join()) {
                Optional<MessageStream> found = Basins.find(streams, name);
                if (found.isEmpty() || !qualifies(found.get(), now)) {
                    continue;
                }
                try {
                    streams.delete(name).toCompletableFuture().join();
                    deleted.add(basin + "/" + name);
                    LOG.info("S2 basin \"{}\": deleted stream \"{}\", empty for delete_on_empty.min_age_secs", basin,
                            name);
                } catch (RuntimeException e) {
                    LOG.warn("S2 basin \"{}\": could not delete empty stream \"{}\": {}", basin, name, e.toString());
                }
            }
        }
        return deleted;
    }

    static boolean qualifies(MessageStream stream, long nowMillis) {
        long minAge = StreamConfig.of(stream.definition()).deleteOnEmpty().orElse(0);
        if (minAge <= 0) {
            return false;
        }
        StreamInfo info = stream.info();
        if (info.oldestSequenceNumber() <= info.newestSequenceNumber()) {
            return false; // holds records
        }
        long created = stream.definition().createdAt().map(Instant::toEpochMilli).orElse(0L);
        long newest = stream.newestTimestampMicros();
        long lastWrite = Math.max(created, newest == Long.MIN_VALUE ? 0 : newest / 1000);
        return nowMillis - lastWrite >= minAge * 1000;
    }
}
