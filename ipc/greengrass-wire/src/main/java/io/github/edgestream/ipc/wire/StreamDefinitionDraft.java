package io.github.edgestream.ipc.wire;

import io.github.edgestream.core.model.StreamDefinition;
import java.time.Duration;
import java.util.List;

/**
 * A stream definition as a Greengrass client sent it, before validation: every field may be absent ({@code null}) or out of
 * range. Field names and units are those of the protocol's {@code MessageStreamDefinition} (section 7.2), so that
 * validation problems name what the user actually wrote.
 *
 * <p>Turn it into a {@link StreamDefinition} with {@link DefinitionDrafts#toDefinition}. Immutable.
 *
 * @param name              stream name
 * @param maxSize           bytes; absent means 256 MiB
 * @param streamSegmentSize bytes; absent means 16 MiB
 * @param timeToLiveMillis  milliseconds; absent means no TTL
 * @param strategyOnFull    0 RejectNewData or 1 OverwriteOldestData; required
 * @param persistence       0 File or 1 Memory; absent means File
 * @param flushOnWrite      absent means false
 * @param exports           the export configs of {@code exportDefinition}, in wire order; absent means none
 */
public record StreamDefinitionDraft(
        String name,
        Long maxSize,
        Long streamSegmentSize,
        Long timeToLiveMillis,
        Long strategyOnFull,
        Long persistence,
        Boolean flushOnWrite,
        List<ExportDraft> exports) {

    /** A draft without exports. */
    public StreamDefinitionDraft(String name, Long maxSize, Long streamSegmentSize, Long timeToLiveMillis,
            Long strategyOnFull, Long persistence, Boolean flushOnWrite) {
        this(name, maxSize, streamSegmentSize, timeToLiveMillis, strategyOnFull, persistence, flushOnWrite, null);
    }

    /** The draft that describes an existing definition exactly. */
    public static StreamDefinitionDraft of(StreamDefinition definition) {
        return new StreamDefinitionDraft(
                definition.name().value(),
                definition.maxSize().bytes(),
                definition.segmentSize().bytes(),
                definition.timeToLive().map(StreamDefinitionDraft::millisOrOverflow).orElse(null),
                (long) ProtocolCodes.code(definition.strategyOnFull()),
                (long) ProtocolCodes.code(definition.persistence()),
                definition.flushOnWrite(),
                definition.exports().isEmpty() ? null
                        : definition.exports().stream().map(ExportDraftRules::toDraft).toList());
    }

    private static long millisOrOverflow(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
