package io.github.edgestream.ipc.wire;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.model.ValidationProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Greengrass client's {@link StreamDefinitionDraft} checked and turned into core's {@link StreamDefinition}: pure
 * functions, no I/O, every problem reported at once, each named by the protocol's field names (as the client wrote
 * them: {@code streamSegmentSize}, {@code exportDefinition.kinesis[1].batchIntervalMillis}).
 *
 * <p>The ranges are those of the protocol (sections 7.2 and 7.6), the same numbers the official SDKs check on the
 * client, plus a few the SDKs leave to the server: export identifiers are unique within a stream, and an HTTP
 * export's {@code uri} is an absolute http(s) URL. They are the limits core's model states
 * ({@link StreamDefinition}, {@link io.github.edgestream.core.model.ExportSettings}), so a draft that passes here
 * builds a definition whose own check passes.
 * The server checks them again because raw or old clients skip the SDK.
 */
public final class DefinitionDrafts {

    private static final Pattern EXPORT_FIELD = Pattern.compile("exports\\[(\\d+)]\\.(\\w+)(.*)");
    private static final Map<String, String> DEFINITION_FIELDS =
            Map.of("segmentSize", "streamSegmentSize", "timeToLive", "timeToLiveMillis");
    private static final Map<String, String> EXPORT_FIELDS = Map.of("batchInterval", "batchIntervalMillis",
            "sizeThresholdForMultipartUpload", "sizeThresholdForMultipartUploadBytes");

    private DefinitionDrafts() {
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
        } else if (!isCode(draft.strategyOnFull(), ProtocolCodes.STRATEGY_COUNT)) {
            problems.add(ValidationProblem.of("strategyOnFull", draft.strategyOnFull(),
                    "be 0 (RejectNewData) or 1 (OverwriteOldestData)"));
        }
        if (draft.persistence() != null && !isCode(draft.persistence(), ProtocolCodes.PERSISTENCE_COUNT)) {
            problems.add(ValidationProblem.of("persistence", draft.persistence(), "be 0 (File) or 1 (Memory)"));
        }
        if (draft.exports() != null) {
            ExportDraftRules.validate(draft.exports(), problems);
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
        return toDefinition(draft, false);
    }

    /**
     * {@link #toDefinition(StreamDefinitionDraft)} for a stream of another namespace, whose name follows the store's
     * rule ({@link StreamName#anyOf}) rather than the portable one.
     */
    public static StreamDefinition toNamespacedDefinition(StreamDefinitionDraft draft) {
        return toDefinition(draft, true);
    }

    private static StreamDefinition toDefinition(StreamDefinitionDraft draft, boolean anyName) {
        List<ValidationProblem> problems = new ArrayList<>(validate(draft));
        if (anyName && draft.name() != null && StreamName.checkAny("name", draft.name()).isEmpty()) {
            problems.removeIf(p -> p.field().equals("name") && p.rule().equals(StreamName.RULE));
        }
        if (!problems.isEmpty()) {
            throw new InvalidStreamDefinitionException(problems);
        }
        return new StreamDefinition(
                anyName ? StreamName.anyOf(draft.name()) : StreamName.of(draft.name()),
                draft.maxSize() == null ? StreamDefinition.DEFAULT_MAX_SIZE : DataSize.ofBytes(draft.maxSize()),
                draft.streamSegmentSize() == null
                        ? StreamDefinition.DEFAULT_SEGMENT_SIZE : DataSize.ofBytes(draft.streamSegmentSize()),
                Optional.ofNullable(draft.timeToLiveMillis()).map(Duration::ofMillis),
                ProtocolCodes.strategyOnFull(draft.strategyOnFull()),
                draft.persistence() == null ? Persistence.FILE : ProtocolCodes.persistence(draft.persistence()),
                Boolean.TRUE.equals(draft.flushOnWrite()),
                draft.exports() == null ? List.of() : draft.exports().stream().map(ExportDraftRules::toConfig)
                        .sorted(Comparator.comparingInt(e -> ExportDraftRules.wireOrder(e.kind()))).toList());
    }

    /**
     * {@code failure} with every problem of an {@link InvalidStreamDefinitionException} renamed from core's field
     * paths to this protocol's ({@link #protocolField}), for a client that sent {@code definition}: the problems a
     * store-level rule finds (core's {@code exports[1].statusConfig.statusStreamName}) then read as the client wrote
     * the request ({@code exportDefinition.s3TaskExecutor[0].statusConfig.statusStreamName}). Any other failure is
     * returned as it is, wrapped if it is checked.
     */
    public static RuntimeException inProtocolTerms(StreamDefinition definition, Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof InvalidStreamDefinitionException invalid) {
            return new InvalidStreamDefinitionException(invalid.problems().stream()
                    .map(p -> new ValidationProblem(protocolField(definition, p.field()), p.value(), p.rule()))
                    .toList());
        }
        return failure instanceof RuntimeException runtime ? runtime : new CompletionException(failure);
    }

    /**
     * The protocol's path for one of core's field paths in {@code definition}: {@code segmentSize} is
     * {@code streamSegmentSize}, {@code timeToLive} is {@code timeToLiveMillis}, {@code exports[i].batchInterval} is
     * {@code exportDefinition.<kind>[j].batchIntervalMillis} where {@code j} counts the exports of that kind (the
     * protocol lists each kind apart). Unknown paths are returned unchanged.
     */
    static String protocolField(StreamDefinition definition, String field) {
        Matcher export = EXPORT_FIELD.matcher(field);
        if (export.matches() && Integer.parseInt(export.group(1)) < definition.exports().size()) {
            int index = Integer.parseInt(export.group(1));
            ExportKind kind = definition.exports().get(index).kind();
            long ofKind = definition.exports().subList(0, index).stream().filter(e -> e.kind() == kind).count();
            String component = export.group(2);
            return "exportDefinition." + kind.wireKey() + "[" + ofKind + "]." + EXPORT_FIELDS
                    .getOrDefault(component, component) + export.group(3);
        }
        return DEFINITION_FIELDS.getOrDefault(field, field);
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
