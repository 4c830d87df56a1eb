package io.github.edgestream.ipc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.model.ValidationProblem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A Greengrass client's definition checked in the protocol's field names and turned into core's definition. */
class DefinitionDraftsTest {

    private static StreamDefinitionDraft valid() {
        return new StreamDefinitionDraft("telemetry", null, null, null, 0L, null, null);
    }

    private static StreamDefinitionDraft with(String field, Object value) {
        StreamDefinitionDraft d = valid();
        return new StreamDefinitionDraft(
                field.equals("name") ? (String) value : d.name(),
                field.equals("maxSize") ? (Long) value : d.maxSize(),
                field.equals("streamSegmentSize") ? (Long) value : d.streamSegmentSize(),
                field.equals("timeToLiveMillis") ? (Long) value : d.timeToLiveMillis(),
                field.equals("strategyOnFull") ? toLong(value) : d.strategyOnFull(),
                field.equals("persistence") ? toLong(value) : d.persistence(),
                d.flushOnWrite());
    }

    private static Long toLong(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    @Test
    void absentOptionalFieldsGetTheProtocolDefaults() {
        StreamDefinition definition = DefinitionDrafts.toDefinition(valid());

        assertThat(definition.maxSize()).isEqualTo(DataSize.ofMebibytes(256));
        assertThat(definition.segmentSize()).isEqualTo(DataSize.ofMebibytes(16));
        assertThat(definition.timeToLive()).isEmpty();
        assertThat(definition.persistence()).isEqualTo(Persistence.FILE);
        assertThat(definition.flushOnWrite()).isFalse();
        assertThat(definition.strategyOnFull()).isEqualTo(StrategyOnFull.REJECT_NEW_DATA);
    }

    @Test
    void everyFieldIsCarriedOver() {
        StreamDefinition definition = DefinitionDrafts.toDefinition(
                new StreamDefinitionDraft("a b,c.d-e_f", 5000L, 2048L, 61_000L, 1L, 1L, true));

        assertThat(definition).isEqualTo(new StreamDefinition(StreamName.of("a b,c.d-e_f"), DataSize.ofBytes(5000),
                DataSize.ofBytes(2048), Optional.of(Duration.ofMillis(61_000)), StrategyOnFull.OVERWRITE_OLDEST_DATA,
                Persistence.MEMORY, true, List.of()));
        assertThat(StreamDefinitionDraft.of(definition))
                .isEqualTo(new StreamDefinitionDraft("a b,c.d-e_f", 5000L, 2048L, 61_000L, 1L, 1L, true));
    }

    @ParameterizedTest(name = "{0} = {1} is valid: {2}")
    @CsvSource({
            "maxSize, 1023, false",
            "maxSize, 1024, true",
            "maxSize, 9223372036854775807, true",
            "maxSize, -1, false",
            "streamSegmentSize, 1023, false",
            "streamSegmentSize, 1024, true",
            "streamSegmentSize, 2147483647, true",
            "streamSegmentSize, 2147483648, false",
            "timeToLiveMillis, 59999, false",
            "timeToLiveMillis, 60000, true",
            "timeToLiveMillis, 9223372036854, true",
            "timeToLiveMillis, 9223372036855, false",
    })
    void numericRangesAreThoseOfTheProtocol(String field, long value, boolean valid) {
        List<ValidationProblem> problems = DefinitionDrafts.validate(with(field, value));

        if (valid) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().satisfies(p -> {
                assertThat(p.field()).isEqualTo(field);
                assertThat(p.value()).isEqualTo(Long.toString(value));
                assertThat(p.message()).startsWith(field + " is " + value + " but must be between");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 2, 7})
    void enumCodesOutsideTheirRangeAreRejected(int code) {
        assertThat(DefinitionDrafts.validate(with("strategyOnFull", code)))
                .singleElement().extracting(ValidationProblem::message)
                .isEqualTo("strategyOnFull is " + code + " but must be 0 (RejectNewData) or 1 (OverwriteOldestData)");
        assertThat(DefinitionDrafts.validate(with("persistence", code)))
                .singleElement().extracting(ValidationProblem::field).isEqualTo("persistence");
    }

    @Test
    void strategyOnFullIsRequired() {
        assertThat(DefinitionDrafts.validate(with("strategyOnFull", null)))
                .singleElement().extracting(ValidationProblem::message)
                .isEqualTo("strategyOnFull is missing but must be present");
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void namesOutsideTheAllowedAlphabetOrLengthAreRejected(String name) {
        assertThat(DefinitionDrafts.validate(with("name", name)))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("name");
                    assertThat(p.rule()).isEqualTo(StreamName.RULE);
                });
    }

    static Stream<String> badNames() {
        return Stream.of("", "café", "a/b", "tab\there", "semi;colon", "quote\"", "new\nline", "x".repeat(256));
    }

    @Test
    void longNamesAreShortenedInMessagesButTheirLengthIsShown() {
        ValidationProblem problem = DefinitionDrafts.validate(with("name", "y".repeat(300))).get(0);

        assertThat(problem.value()).hasSizeLessThan(100).contains("300 characters");
    }

    @Test
    void aNameOf255AllowedCharactersIsValid() {
        assertThat(DefinitionDrafts.validate(with("name", "Az09_-., ".repeat(28) + "abc"))).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceInFieldOrder() {
        StreamDefinitionDraft bad = new StreamDefinitionDraft("bad/name", 10L, 10L, 10L, null, 9L, true);

        List<ValidationProblem> problems = DefinitionDrafts.validate(bad);

        assertThat(problems).extracting(ValidationProblem::field).containsExactly(
                "name", "maxSize", "streamSegmentSize", "timeToLiveMillis", "strategyOnFull", "persistence");
        assertThatThrownBy(() -> DefinitionDrafts.toDefinition(bad))
                .isInstanceOf(InvalidStreamDefinitionException.class)
                .hasMessageContaining("maxSize is 10 but must be between 1024 and 9223372036854775807")
                .hasMessageContaining("name is \"bad/name\" but must be 1 to 255 characters")
                .satisfies(e -> assertThat(((InvalidStreamDefinitionException) e).problems()).hasSize(6));
    }

    @Test
    void theRecordRefusesValuesThatSkippedValidation() {
        assertThatThrownBy(() -> StreamDefinition.builder("x", StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(DataSize.ofBytes(5)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSize is 5");
    }

    @Test
    void coresFieldPathsAreRenamedToTheProtocolsAndExportsCountedPerKind() {
        StreamDefinition definition = StreamDefinition.builder("uploads", StrategyOnFull.REJECT_NEW_DATA)
                .exports(List.of(
                        new ExportConfig.S3TaskExecutor(ExportSettings.of("first"), Optional.empty(), Optional.empty()),
                        new ExportConfig.Kinesis(ExportSettings.of("k"), "kds"),
                        new ExportConfig.S3TaskExecutor(ExportSettings.of("second"), Optional.empty(),
                                Optional.empty())))
                .build();
        InvalidStreamDefinitionException core = new InvalidStreamDefinitionException(List.of(
                new ValidationProblem("exports[2].statusConfig.statusStreamName", "\"b\"", "name a stream"),
                new ValidationProblem("exports[1].batchInterval", "1", "be longer"),
                new ValidationProblem("exports[0].sizeThresholdForMultipartUpload", "1", "be larger"),
                new ValidationProblem("segmentSize", "1", "be larger"),
                new ValidationProblem("timeToLive", "1", "be longer"),
                new ValidationProblem("maxSize", "1", "be larger")));

        RuntimeException renamed = DefinitionDrafts.inProtocolTerms(definition, new CompletionException(core));

        assertThat(renamed).isInstanceOf(InvalidStreamDefinitionException.class);
        assertThat(((InvalidStreamDefinitionException) renamed).problems()).extracting(ValidationProblem::field)
                .containsExactly("exportDefinition.s3TaskExecutor[1].statusConfig.statusStreamName",
                        "exportDefinition.kinesis[0].batchIntervalMillis",
                        "exportDefinition.s3TaskExecutor[0].sizeThresholdForMultipartUploadBytes",
                        "streamSegmentSize", "timeToLiveMillis", "maxSize");
        IllegalStateException other = new IllegalStateException("x");
        assertThat(DefinitionDrafts.inProtocolTerms(definition, other)).isSameAs(other);
    }
}
