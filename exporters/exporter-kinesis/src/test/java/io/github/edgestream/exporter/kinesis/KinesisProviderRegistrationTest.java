package io.github.edgestream.exporter.kinesis;

import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.ProviderRegistrationTest;

class KinesisProviderRegistrationTest extends ProviderRegistrationTest {

    @Override
    protected ExportKind kind() {
        return ExportKind.KINESIS;
    }

    @Override
    protected Class<? extends ExporterProvider> providerClass() {
        return KinesisExporterProvider.class;
    }
}
