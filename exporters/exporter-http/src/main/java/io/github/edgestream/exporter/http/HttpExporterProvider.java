package io.github.edgestream.exporter.http;

import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;

/**
 * The {@link ExportKind#HTTP} plugin, found by {@link java.util.ServiceLoader}: POSTs a stream's messages to the
 * export's {@code uri} (see {@link HttpExporterConfig} for the settings, {@link HttpRequestBuilder} for what is
 * sent).
 *
 * <p>Called by the export runtime's control thread when an export starts. {@link #create} builds an HTTP client
 * and connects to nothing. It throws {@link IllegalArgumentException} for a config of another kind or a
 * {@code uri} that is not an absolute http(s) URL (which stream validation already rules out).
 *
 * <p>Thread-safe: stateless.
 */
public final class HttpExporterProvider implements ExporterProvider {

    @Override
    public ExportKind kind() {
        return ExportKind.HTTP;
    }

    @Override
    public Exporter create(ExportConfig config, ExporterContext context) {
        if (!(config instanceof ExportConfig.Http http)) {
            throw new IllegalArgumentException("the HTTP exporter serves " + ExportKind.HTTP + " exports, not "
                    + config.kind() + " (export \"" + config.identifier() + "\")");
        }
        return new HttpExporter(HttpExporterConfig.from(http, context.destination()), context);
    }
}
