package io.github.edgestream.exporter.s3;

import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.ProviderRegistrationTest;

class S3ProviderRegistrationTest extends ProviderRegistrationTest {

    @Override
    protected ExportKind kind() {
        return ExportKind.S3_TASK_EXECUTOR;
    }

    @Override
    protected Class<? extends ExporterProvider> providerClass() {
        return S3ExporterProvider.class;
    }
}
