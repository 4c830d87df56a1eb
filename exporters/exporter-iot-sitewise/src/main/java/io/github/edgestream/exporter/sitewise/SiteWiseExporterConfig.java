package io.github.edgestream.exporter.sitewise;

import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.ExportConfig;
import java.util.Objects;

/**
 * What one SiteWise export uses: the export's identifier, the daemon's SiteWise destination settings, and the batch
 * limits of {@code BatchPutAssetPropertyValue} ({@link SiteWiseRequestBuilder#LIMITS}: 10 entries, 256 KiB per
 * message, 1 MiB per call). The export config itself has nothing SiteWise-specific: every message names its own
 * property. Its {@code batchSize} (1 to 10) is applied by the runtime, which never exceeds {@link #limits()}.
 *
 * @param exportIdentifier the export's identifier
 * @param destination      endpoint, region and call timeout for SiteWise
 * @param limits           per call
 */
public record SiteWiseExporterConfig(String exportIdentifier, DestinationSettings destination, BatchLimits limits) {

    public SiteWiseExporterConfig {
        Objects.requireNonNull(exportIdentifier, "exportIdentifier");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(limits, "limits");
    }

    public static SiteWiseExporterConfig from(ExportConfig.IotSiteWise config, DestinationSettings destination) {
        return new SiteWiseExporterConfig(config.identifier(), destination, SiteWiseRequestBuilder.LIMITS);
    }

    /**
     * The call as reasons name it: {@code BatchPutAssetPropertyValue to IoT SiteWise at http://127.0.0.1:4566} under
     * an endpoint override, {@code ... in us-east-1} with a configured region, else without a place (the SDK's).
     */
    public String call() {
        String where = destination.endpoint().map(uri -> " at " + uri)
                .or(() -> destination.region().map(region -> " in " + region))
                .orElse("");
        return "BatchPutAssetPropertyValue to IoT SiteWise" + where;
    }
}
