package io.github.edgestream.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.ExportSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpExporterConfigTest {

    private static final DestinationSettings DESTINATION = new DestinationSettings(
            Optional.of(URI.create("http://ignored.example:1")), Optional.of("eu-west-1"), Duration.ofSeconds(3));

    @Test
    void anExportWithoutFormatIsRawNotBatched() {
        var config = HttpExporterConfig.from(http("http://127.0.0.1:8080/in", Optional.empty()), DESTINATION);

        assertThat(config.format()).isEqualTo(ExportFormat.RAW_NOT_BATCHED);
    }

    // The destination's endpoint and region are for AWS services; only its call timeout applies.
    @Test
    void takesTheUriFromTheExportAndOnlyTheCallTimeoutFromTheDestination() {
        var config = HttpExporterConfig.from(
                http("https://receiver.example/in", Optional.of(ExportFormat.JSON_BATCHED)), DESTINATION);

        assertThat(config.uri()).isEqualTo(URI.create("https://receiver.example/in"));
        assertThat(config.format()).isEqualTo(ExportFormat.JSON_BATCHED);
        assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void limitsAre500MessagesOf10MiBAnd16MiBPerBatch() {
        var limits = HttpExporterConfig.from(http("http://h/", Optional.empty()), DESTINATION).limits();

        assertThat(limits.maxMessages()).isEqualTo(500);
        assertThat(limits.maxMessageBytes()).isEqualTo(10L << 20);
        assertThat(limits.maxBatchBytes()).isEqualTo(16L << 20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://h/x", "/relative/path", "mailto:someone@example.com", "http:opaque"})
    void refusesAUriThatIsNotAnAbsoluteHttpUrl(String uri) {
        assertThatThrownBy(() -> HttpExporterConfig.from(http(uri, Optional.empty()), DESTINATION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http:// or https://");
    }

    // Reasons end up in export statuses any local client can read.
    @Test
    void showsTheUriToPeopleWithoutUserInfoOrQuery() {
        var config = HttpExporterConfig.from(
                http("https://user:secret@receiver.example:8443/in/put?token=secret", Optional.empty()),
                DESTINATION);

        assertThat(config.uriForPeople()).isEqualTo("https://receiver.example:8443/in/put?…");
    }

    private static ExportConfig.Http http(String uri, Optional<ExportFormat> format) {
        return new ExportConfig.Http(ExportSettings.of("e"), URI.create(uri), format);
    }
}
