package io.github.edgestream.exporter.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportSettings;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KinesisExporterConfigTest {

    private static final DestinationSettings DESTINATION = DestinationSettings.defaults()
            .withRegion("eu-west-1").withEndpoint(URI.create("http://127.0.0.1:1"));

    @Test
    void takesTheStreamNameAndTheDestinationAndKinesisLimits() {
        var config = KinesisExporterConfig.from(kinesis("telemetry.v2_eu-1"), DESTINATION);

        assertThat(config.exportIdentifier()).isEqualTo("to-kinesis");
        assertThat(config.streamName()).isEqualTo("telemetry.v2_eu-1");
        assertThat(config.destination()).isEqualTo(DESTINATION);
        assertThat(config.limits()).isEqualTo(KinesisExporterConfig.LIMITS);
        assertThat(config.call()).isEqualTo("PutRecords to Kinesis stream \"telemetry.v2_eu-1\"");
    }

    @Test
    void acceptsANameOf128Characters() {
        assertThat(KinesisExporterConfig.from(kinesis("s".repeat(128)), DESTINATION).streamName()).hasSize(128);
    }

    // Kinesis would answer every call with a ValidationException, which reads as a problem of the messages and
    // would make the runtime skip them: a bad name is the export's error instead.
    @ParameterizedTest
    @MethodSource("namesKinesisCannotTake")
    void refusesANameKinesisCannotTake(String name) {
        assertThatThrownBy(() -> KinesisExporterConfig.from(kinesis(name), DESTINATION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("export \"to-kinesis\"")
                .hasMessageContaining("kinesisStreamName \"" + name + "\"");
    }

    static Stream<String> namesKinesisCannotTake() {
        return Stream.of("", "my stream", "arn:aws:kinesis:eu-west-1:123456789012:stream/s", "ström",
                "s".repeat(129));
    }

    @Test
    void theProviderRefusesAConfigOfAnotherKind() {
        var http = new ExportConfig.Http(ExportSettings.of("to-http"), URI.create("http://127.0.0.1:1/"),
                Optional.empty());

        assertThatThrownBy(() -> new KinesisExporterProvider().create(http, context()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HTTP")
                .hasMessageContaining("to-http");
    }

    @Test
    void theProviderRefusesABadStreamNameWhenCreating() {
        assertThatThrownBy(() -> new KinesisExporterProvider().create(kinesis("a b"), context()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExporterRefusesToExportAfterClose() {
        var exporter = new KinesisExporterProvider().create(kinesis("s"), context());
        exporter.close();

        assertThatThrownBy(() -> exporter.export(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("to-kinesis");
    }

    private static ExportConfig.Kinesis kinesis(String streamName) {
        return new ExportConfig.Kinesis(ExportSettings.of("to-kinesis"), streamName);
    }

    private static ExporterContext context() {
        return new ExporterContext(StreamName.of("local"), DESTINATION,
                new ManualClock(Instant.parse("2026-01-01T00:00:00Z")));
    }
}
