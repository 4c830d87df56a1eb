package io.github.edgestream.exporter.sitewise;

import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.ProviderRegistrationTest;

class SiteWiseProviderRegistrationTest extends ProviderRegistrationTest {

    @Override
    protected ExportKind kind() {
        return ExportKind.IOT_SITEWISE;
    }

    @Override
    protected Class<? extends ExporterProvider> providerClass() {
        return SiteWiseExporterProvider.class;
    }
}
