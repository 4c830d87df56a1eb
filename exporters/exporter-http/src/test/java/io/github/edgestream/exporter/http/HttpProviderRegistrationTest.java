package io.github.edgestream.exporter.http;

import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.ProviderRegistrationTest;

class HttpProviderRegistrationTest extends ProviderRegistrationTest {

    @Override
    protected ExportKind kind() {
        return ExportKind.HTTP;
    }

    @Override
    protected Class<? extends ExporterProvider> providerClass() {
        return HttpExporterProvider.class;
    }
}
