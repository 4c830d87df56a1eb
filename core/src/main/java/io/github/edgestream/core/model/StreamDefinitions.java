package io.github.edgestream.core.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Validation of stream definitions: pure functions, no I/O, every problem reported at once.
 *
 * <p>The ranges are those of the protocol (sections 7.2 and 7.6), the same numbers the official SDKs check on the
 * client, plus a few the SDKs leave to the server: export identifiers are unique within a stream, and an HTTP
 * export's {@code uri} is an absolute http(s) URL.
 * The server checks them again because raw or old clients skip the SDK.
 */
public final class StreamDefinitions {

    private StreamDefinitions() {
    }

    /** Every problem with {@code draft}, in field order; empty when it is valid. */
    public static List<ValidationProblem> validate(StreamDefinitionDraft draft) {
        List<ValidationProblem> problems = new ArrayList<>();
        StreamName.check("name", draft.name()).ifPresent(problems::add);
        checkRange(problems, "maxSize", draft.maxSize(),
                StreamDefinition.MIN_MAX_SIZE.bytes(), Long.MAX_VALUE);
        checkRange(problems, "streamSegmentSize", draft.streamSegmentSize(),
                StreamDefinition.MIN_SEGMENT_SIZE.bytes(), StreamDefinition.MAX_SEGMENT_SIZE.bytes());
        checkRange(problems, "timeToLiveMillis", draft.timeToLiveMillis(),
                StreamDefinition.MIN_TIME_TO_LIVE.toMillis(), StreamDefinition.MAX_TIME_TO_LIVE.toMillis());
        if (draft.strategyOnFull() == null) {
            problems.add(ValidationProblem.missing("strategyOnFull"));
        } else if (!isCode(draft.strategyOnFull(), StrategyOnFull.values().length)) {
            problems.add(ValidationProblem.of("strategyOnFull", draft.strategyOnFull(),
                    "be 0 (RejectNewData) or 1 (OverwriteOldestData)"));
        }
        if (draft.persistence() != null && !isCode(draft.persistence(), Persistence.values().length)) {
            problems.add(ValidationProblem.of("persistence", draft.persistence(), "be 0 (File) or 1 (Memory)"));
        }
        if (draft.exports() != null) {
            ExportRules.validate(draft.exports(), problems);
        }
        return List.copyOf(problems);
    }

    /**
     * The definition {@code draft} describes, with protocol defaults for absent optional fields and its exports in
     * the order the protocol's {@code ExportDefinition} lists their kinds (http, iotAnalytics, kinesis,
     * IotSitewise, s3TaskExecutor), so a definition reads back the same however the request ordered them.
     *
     * @throws InvalidStreamDefinitionException listing every problem, if there is any
     */
    public static StreamDefinition toDefinition(StreamDefinitionDraft draft) {
        List<ValidationProblem> problems = validate(draft);
        if (!problems.isEmpty()) {
            throw new InvalidStreamDefinitionException(problems);
        }
        return new StreamDefinition(
                StreamName.of(draft.name()),
                draft.maxSize() == null ? StreamDefinition.DEFAULT_MAX_SIZE : DataSize.ofBytes(draft.maxSize()),
                draft.streamSegmentSize() == null
                        ? StreamDefinition.DEFAULT_SEGMENT_SIZE : DataSize.ofBytes(draft.streamSegmentSize()),
                Optional.ofNullable(draft.timeToLiveMillis()).map(Duration::ofMillis),
                StrategyOnFull.fromCode(draft.strategyOnFull().intValue()),
                draft.persistence() == null ? Persistence.FILE : Persistence.fromCode(draft.persistence().intValue()),
                Boolean.TRUE.equals(draft.flushOnWrite()),
                draft.exports() == null ? List.of() : draft.exports().stream().map(ExportRules::toConfig)
                        .sorted(Comparator.comparingInt(e -> ExportRules.wireOrder(e.kind()))).toList());
    }

    private static void checkRange(List<ValidationProblem> problems, String field, Long value, long min, long max) {
        if (value != null && (value < min || value > max)) {
            problems.add(ValidationProblem.of(field, value, "be between " + min + " and " + max));
        }
    }

    private static boolean isCode(long code, int count) {
        return code >= 0 && code < count;
    }
}
