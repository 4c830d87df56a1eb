package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.ExportRuntime;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportKind;
import org.junit.jupiter.api.Test;

/** The daemon's class path carries one exporter per destination kind that issue 4 covers. */
class InstalledExportersTest {

    @Test
    void theDaemonFindsTheKinesisIotAnalyticsSiteWiseAndHttpExporters() {
        assertThat(ExportRuntime.installedProviders()).extracting(ExporterProvider::kind)
                .containsExactlyInAnyOrder(ExportKind.KINESIS, ExportKind.IOT_ANALYTICS, ExportKind.IOT_SITEWISE,
                        ExportKind.HTTP);
    }
}
