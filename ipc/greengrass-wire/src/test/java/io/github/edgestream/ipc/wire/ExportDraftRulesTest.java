package io.github.edgestream.ipc.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.model.ValidationProblem;
import io.github.edgestream.ipc.wire.ExportDraft.StatusConfigDraft;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The export rules of protocol section 7.6, through {@link DefinitionDrafts}. */
class ExportDraftRulesTest {

    private static List<ValidationProblem> problems(ExportDraft... exports) {
        return DefinitionDrafts.validate(new StreamDefinitionDraft("s", null, null, null, 0L, null, null,
                List.of(exports)));
    }

    private static ExportDraft kinesis(String id) {
        return ExportDraft.of(ExportKind.KINESIS, id).withKinesisStreamName("kds");
    }

    @ParameterizedTest(name = "{0} batchSize {1} valid: {2}")
    @CsvSource({
            "KINESIS, 500, true", "KINESIS, 501, false", "KINESIS, 0, false",
            "IOT_ANALYTICS, 100, true", "IOT_ANALYTICS, 101, false",
            "HTTP, 500, true", "HTTP, 501, false",
            "IOT_SITEWISE, 10, true", "IOT_SITEWISE, 11, false",
    })
    void batchSizeLimitsArePerDestination(ExportKind kind, long batchSize, boolean valid) {
        ExportDraft draft = ExportDraft.of(kind, "e").withKinesisStreamName("k").withIotChannel("c")
                .withUri("http://127.0.0.1/x").withBatching(batchSize, null);

        List<ValidationProblem> problems = problems(draft);

        if (valid) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().satisfies(p -> {
                assertThat(p.field()).isEqualTo("exportDefinition." + kind.wireKey() + "[0].batchSize");
                assertThat(p.rule()).isEqualTo("be between 1 and " + kind.maxBatchSize());
            });
        }
    }

    @Test
    void everyProblemOfEveryExportIsReportedWithItsPath() {
        List<ValidationProblem> problems = problems(
                kinesis("same"),
                ExportDraft.of(ExportKind.KINESIS, "same").withBatching(null, 59_999L).withPriority(11L),
                ExportDraft.of(ExportKind.HTTP, "bad id!").withUri("ftp://x"),
                ExportDraft.of(ExportKind.IOT_ANALYTICS, "a"),
                ExportDraft.of(ExportKind.S3_TASK_EXECUTOR, "s3").withStatusConfig(new StatusConfigDraft(9L, "a/b")));

        assertThat(problems).extracting(ValidationProblem::message).containsExactly(
                "exportDefinition.kinesis[1].identifier is \"same\" but must be unique among the stream's exports",
                "exportDefinition.kinesis[1].batchIntervalMillis is 59999 but must be between 60000 and 9223372036854",
                "exportDefinition.kinesis[1].priority is 11 but must be between 1 and 10",
                "exportDefinition.kinesis[1].kinesisStreamName is missing but must be present",
                "exportDefinition.http[0].identifier is \"bad id!\" but must " + StreamName.RULE,
                "exportDefinition.http[0].uri is \"ftp://x\" but must be an absolute http:// or https:// URL",
                "exportDefinition.iotAnalytics[0].iotChannel is missing but must be present",
                "exportDefinition.s3TaskExecutor[0].statusConfig.statusLevel is 9 but must be between 0 and 4",
                "exportDefinition.s3TaskExecutor[0].statusConfig.statusStreamName is \"a/b\" but must "
                        + StreamName.RULE);
    }

    @Test
    void validDraftsBecomeTypedConfigsAndBackUnchanged() {
        List<ExportDraft> drafts = List.of(
                new ExportDraft(ExportKind.KINESIS, "k", 200L, 60_000L, 2L, 5L, true, "stream", null, null, null,
                        null, null, null),
                new ExportDraft(ExportKind.IOT_ANALYTICS, "a", null, null, null, null, null, null, "chan", "pre",
                        null, null, null, null),
                new ExportDraft(ExportKind.HTTP, "h", null, null, null, null, null, null, null, null,
                        "https://example.com/in", 1L, null, null),
                new ExportDraft(ExportKind.IOT_SITEWISE, "w", 10L, null, null, null, null, null, null, null, null,
                        null, null, null),
                new ExportDraft(ExportKind.S3_TASK_EXECUTOR, "s3", null, null, 1L, null, null, null, null, null,
                        null, null, 5_242_880L, new StatusConfigDraft(2L, "status")));
        StreamDefinitionDraft draft = new StreamDefinitionDraft("s", null, null, null, 0L, null, null, drafts);

        StreamDefinition definition = DefinitionDrafts.toDefinition(draft);

        assertThat(definition.exports()).extracting(ExportConfig::kind).as("protocol order, not request order")
                .containsExactly(ExportKind.HTTP, ExportKind.IOT_ANALYTICS, ExportKind.KINESIS,
                        ExportKind.IOT_SITEWISE, ExportKind.S3_TASK_EXECUTOR);
        assertThat(definition.exports().get(2)).isEqualTo(new ExportConfig.Kinesis(new ExportSettings("k",
                Optional.of(2), 5, true, Optional.of(200), Optional.of(Duration.ofMinutes(1))), "stream"));
        assertThat(definition.exports().get(0)).isEqualTo(new ExportConfig.Http(ExportSettings.of("h"),
                URI.create("https://example.com/in"), Optional.of(ExportFormat.JSON_BATCHED)));
        assertThat(definition.exports().get(4)).isEqualTo(new ExportConfig.S3TaskExecutor(
                new ExportSettings("s3", Optional.of(1), 0, false, Optional.empty(), Optional.empty()),
                Optional.of(DataSize.ofMebibytes(5)),
                Optional.of(new ExportConfig.StatusConfig(Optional.of(StatusLevel.INFO),
                        Optional.of(StreamName.of("status"))))));
        List<ExportDraft> back = StreamDefinitionDraft.of(definition).exports();
        assertThat(back.get(2)).isEqualTo(drafts.get(0));
        assertThat(back.get(1).iotMsgIdPrefix()).isEqualTo("pre");
        assertThat(back.get(4).sizeThresholdForMultipartUploadBytes()).isEqualTo(5_242_880L);
        assertThat(back.get(4).statusConfig()).isEqualTo(new StatusConfigDraft(2L, "status"));
        assertThat(DefinitionDrafts.toDefinition(StreamDefinitionDraft.of(definition))).isEqualTo(definition);
    }
}
