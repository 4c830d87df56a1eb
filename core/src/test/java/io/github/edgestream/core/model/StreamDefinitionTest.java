package io.github.edgestream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules a {@link StreamDefinition} checks on itself, in the model's own field names. */
class StreamDefinitionTest {

    private static StreamDefinition.Builder valid() {
        return StreamDefinition.builder("telemetry", StrategyOnFull.REJECT_NEW_DATA);
    }

    /** The problems the constructor reports for {@code builder}; empty if it builds. */
    private static List<ValidationProblem> problems(StreamDefinition.Builder builder) {
        try {
            builder.build();
            return List.of();
        } catch (InvalidStreamDefinitionException e) {
            return e.problems();
        }
    }

    private static List<ValidationProblem> problems(ExportConfig... exports) {
        return problems(valid().exports(List.of(exports)));
    }

    private static ExportSettings settings(Integer batchSize, Long intervalMillis, Integer priority, long start) {
        return new ExportSettings("e", Optional.ofNullable(priority), start, false, Optional.ofNullable(batchSize),
                Optional.ofNullable(intervalMillis).map(Duration::ofMillis));
    }

    private static ExportConfig kinesis(String identifier) {
        return new ExportConfig.Kinesis(ExportSettings.of(identifier), "kds");
    }

    @ParameterizedTest(name = "{0} = {1} is valid: {2}")
    @CsvSource({
            "maxSize, 1023, false",
            "maxSize, 1024, true",
            "maxSize, 9223372036854775807, true",
            "segmentSize, 1023, false",
            "segmentSize, 1024, true",
            "segmentSize, 2147483647, true",
            "segmentSize, 2147483648, false",
            "timeToLive, 59999, false",
            "timeToLive, 60000, true",
            "timeToLive, 9223372036854, true",
            "timeToLive, 9223372036855, false",
    })
    void sizesAndTheTimeToLiveHaveTheirRanges(String field, long value, boolean valid) {
        StreamDefinition.Builder builder = switch (field) {
            case "maxSize" -> valid().maxSize(DataSize.ofBytes(value));
            case "segmentSize" -> valid().segmentSize(DataSize.ofBytes(value));
            default -> valid().timeToLive(Duration.ofMillis(value));
        };

        List<ValidationProblem> problems = problems(builder);

        if (valid) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().satisfies(p -> {
                assertThat(p.field()).isEqualTo(field);
                assertThat(p.value()).isEqualTo(Long.toString(value));
                assertThat(p.rule()).startsWith("be between");
            });
        }
    }

    @Test
    void aTimeToLiveTooLongForMillisecondsIsOutOfRangeNotAnOverflow() {
        assertThat(problems(valid().timeToLive(Duration.ofSeconds(Long.MAX_VALUE))))
                .singleElement().extracting(ValidationProblem::message)
                .isEqualTo("timeToLive is 9223372036854775807 but must be between 60000 and 9223372036854"
                        + " milliseconds");
    }

    @ParameterizedTest(name = "{0} batchSize {1} valid: {2}")
    @CsvSource({
            "KINESIS, 500, true", "KINESIS, 501, false", "KINESIS, 0, false",
            "IOT_ANALYTICS, 100, true", "IOT_ANALYTICS, 101, false",
            "HTTP, 500, true", "HTTP, 501, false",
            "IOT_SITEWISE, 10, true", "IOT_SITEWISE, 11, false",
    })
    void batchSizeLimitsArePerDestination(ExportKind kind, int batchSize, boolean valid) {
        ExportSettings settings = settings(batchSize, null, null, 0);
        ExportConfig config = switch (kind) {
            case KINESIS -> new ExportConfig.Kinesis(settings, "k");
            case IOT_ANALYTICS -> new ExportConfig.IotAnalytics(settings, "c", Optional.empty());
            case HTTP -> new ExportConfig.Http(settings, URI.create("http://127.0.0.1/x"), Optional.empty());
            default -> new ExportConfig.IotSiteWise(settings);
        };

        List<ValidationProblem> problems = problems(config);

        if (valid) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().satisfies(p -> {
                assertThat(p.field()).isEqualTo("exports[0].batchSize");
                assertThat(p.rule()).isEqualTo("be between 1 and " + kind.maxBatchSize());
            });
        }
    }

    @Test
    void everyProblemOfEveryExportIsReportedWithItsIndex() {
        List<ValidationProblem> problems = problems(
                kinesis("same"),
                new ExportConfig.Kinesis(new ExportSettings("same", Optional.of(11), -1, false, Optional.empty(),
                        Optional.of(Duration.ofMillis(59_999))), ""),
                new ExportConfig.Http(ExportSettings.of("bad id!"), URI.create("ftp://x"), Optional.empty()),
                new ExportConfig.IotAnalytics(ExportSettings.of("a"), "", Optional.of("p".repeat(33))),
                new ExportConfig.S3TaskExecutor(ExportSettings.of("s3"), Optional.of(DataSize.ofBytes(5_242_879)),
                        Optional.empty()));

        assertThat(problems).extracting(ValidationProblem::message).containsExactly(
                "exports[1].batchInterval is 59999 but must be between 60000 and 9223372036854 milliseconds",
                "exports[1].startSequenceNumber is -1 but must be 0 or more",
                "exports[1].priority is 11 but must be between 1 and 10",
                "exports[1].kinesisStreamName is \"\" but must not be empty",
                "exports[1].identifier is \"same\" but must be unique among the stream's exports",
                "exports[2].identifier is \"bad id!\" but must " + StreamName.RULE,
                "exports[2].uri is \"ftp://x\" but must be an absolute http:// or https:// URL",
                "exports[3].iotChannel is \"\" but must not be empty",
                "exports[3].iotMsgIdPrefix is \"" + "p".repeat(33) + "\" but must be at most 32 characters",
                "exports[4].sizeThresholdForMultipartUpload is 5242879 but must be at least 5242880 bytes");
    }

    @Test
    void anS3TaskExecutorsBatchFieldsAreNotChecked() {
        // the kind does not batch, so the protocol never checked them either
        assertThat(problems(new ExportConfig.S3TaskExecutor(settings(9999, 1L, 1, -5), Optional.empty(),
                Optional.empty()))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"0, false", "1, true", "256, true", "257, false"})
    void partitionsAreOneTo256(int partitions, boolean valid) {
        assertThat(problems(valid().partitions(partitions))).hasSize(valid ? 0 : 1);
    }

    @Test
    void aPartitionedStreamHasNoExportsYet() {
        assertThat(problems(valid().partitions(4).exports(List.of(kinesis("k")))))
                .singleElement().extracting(ValidationProblem::message)
                .isEqualTo("partitions is 4 but must be 1 while the stream has exports (it has 1): exports of"
                        + " partitioned streams are not supported yet");
    }

    @Test
    void everyProblemIsReportedAtOnceInComponentOrder() {
        StreamDefinition.Builder bad = valid().maxSize(DataSize.ofBytes(10)).segmentSize(DataSize.ofBytes(10))
                .timeToLive(Duration.ofMillis(10)).exports(List.of(kinesis("k"), kinesis("k"))).partitions(0);

        assertThat(problems(bad)).extracting(ValidationProblem::field).containsExactly(
                "maxSize", "segmentSize", "timeToLive", "exports[1].identifier", "partitions");
        assertThatThrownBy(bad::build)
                .isInstanceOf(InvalidStreamDefinitionException.class)
                .hasMessageStartingWith("invalid stream definition: maxSize is 10 but must be between 1024 and"
                        + " 9223372036854775807 bytes; segmentSize is 10 but must be between 1024 and 2147483647 bytes");
    }
}
