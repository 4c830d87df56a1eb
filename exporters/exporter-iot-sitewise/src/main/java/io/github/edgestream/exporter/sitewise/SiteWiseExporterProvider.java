package io.github.edgestream.exporter.sitewise;

import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.AwsClients;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.iotsitewise.IoTSiteWiseClient;

/**
 * The IoT SiteWise exporter plugin ({@link ExportKind#IOT_SITEWISE}), found through {@link java.util.ServiceLoader}.
 * {@link #create} builds an {@link IoTSiteWiseClient} with {@link AwsClients} (the daemon's endpoint and region, the
 * default credential chain, no SDK retries, no {@code data.} host prefix under an endpoint override) and does no
 * network I/O.
 *
 * <p>Called by the export runtime's control thread. Errors: {@link IllegalArgumentException} for a config of another
 * kind, {@link IllegalStateException} when no region is configured anywhere. Thread-safe: stateless.
 */
public final class SiteWiseExporterProvider implements ExporterProvider {

    /** The prefix of this destination's daemon settings, as named in configuration errors. */
    static final String CONFIG_PREFIX = "exporter.iotSiteWise";

    private final Optional<AwsCredentialsProvider> credentials;

    /** The ServiceLoader's: credentials from the SDK's default chain. */
    public SiteWiseExporterProvider() {
        this.credentials = Optional.empty();
    }

    /** Tests': fixed credentials. */
    SiteWiseExporterProvider(AwsCredentialsProvider credentials) {
        this.credentials = Optional.of(credentials);
    }

    @Override
    public ExportKind kind() {
        return ExportKind.IOT_SITEWISE;
    }

    @Override
    public Exporter create(ExportConfig config, ExporterContext context) {
        if (!(config instanceof ExportConfig.IotSiteWise siteWise)) {
            throw new IllegalArgumentException("the IoT SiteWise exporter got a " + config.kind() + " export config ("
                    + config.identifier() + ")");
        }
        var settings = SiteWiseExporterConfig.from(siteWise, context.destination());
        var destination = settings.destination();
        IoTSiteWiseClient client = credentials.isPresent()
                ? AwsClients.build(IoTSiteWiseClient.builder(), destination, CONFIG_PREFIX, credentials.get())
                : AwsClients.build(IoTSiteWiseClient.builder(), destination, CONFIG_PREFIX);
        return new SiteWiseExporter(settings, client);
    }
}
