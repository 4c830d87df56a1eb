package io.github.edgestream.exporter.iotanalytics;

import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.ProviderRegistrationTest;

class IotAnalyticsProviderRegistrationTest extends ProviderRegistrationTest {

    @Override
    protected ExportKind kind() {
        return ExportKind.IOT_ANALYTICS;
    }

    @Override
    protected Class<? extends ExporterProvider> providerClass() {
        return IotAnalyticsExporterProvider.class;
    }
}
