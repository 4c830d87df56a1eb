package io.github.edgestream.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.edgestream.core.export.ExportRuntime;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportKind;
import org.junit.jupiter.api.Test;

/** The daemon's class path carries exactly one exporter per destination kind. */
class InstalledExportersTest {

    @Test
    void theDaemonFindsAnExporterForEveryKindOfDestination() {
        assertThat(ExportRuntime.installedProviders()).extracting(ExporterProvider::kind)
                .containsExactlyInAnyOrder(ExportKind.values());
    }
}
