package io.github.edgestream.exporter.iotanalytics;

import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.AwsClients;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.iotanalytics.IoTAnalyticsClient;

/**
 * The IoT Analytics exporter plugin ({@link ExportKind#IOT_ANALYTICS}), found through {@link java.util.ServiceLoader}.
 * {@link #create} builds an {@link IoTAnalyticsClient} with {@link AwsClients} and does no network I/O.
 *
 * <p>AWS ended IoT Analytics on 15 December 2025. The exporter stays, so that existing stream definitions keep
 * working and endpoints that still speak the API can be used; the first IoT Analytics export the daemon creates logs
 * one warning saying so.
 *
 * <p>Called by the export runtime's control thread. Errors: {@link IllegalArgumentException} for a config of another
 * kind, {@link IllegalStateException} when no region is configured anywhere. Thread-safe.
 */
public final class IotAnalyticsExporterProvider implements ExporterProvider {

    private static final Logger LOG = LoggerFactory.getLogger(IotAnalyticsExporterProvider.class);
    static final String CONFIG_PREFIX = "exporter.iotAnalytics";
    /** Retirement warnings logged by this process: 0 or 1. */
    static final AtomicInteger RETIREMENT_WARNINGS = new AtomicInteger();

    private final Optional<AwsCredentialsProvider> credentials;

    /** The ServiceLoader's: credentials from the SDK's default chain. */
    public IotAnalyticsExporterProvider() {
        this.credentials = Optional.empty();
    }

    /** Tests': fixed credentials. */
    IotAnalyticsExporterProvider(AwsCredentialsProvider credentials) {
        this.credentials = Optional.of(credentials);
    }

    @Override
    public ExportKind kind() {
        return ExportKind.IOT_ANALYTICS;
    }

    @Override
    public Exporter create(ExportConfig config, ExporterContext context) {
        if (!(config instanceof ExportConfig.IotAnalytics analytics)) {
            throw new IllegalArgumentException("the IoT Analytics exporter got a " + config.kind() + " export config ("
                    + config.identifier() + ")");
        }
        var settings = IotAnalyticsExporterConfig.from(analytics, context.stream(), context.destination());
        if (RETIREMENT_WARNINGS.compareAndSet(0, 1)) {
            LOG.warn("stream \"{}\" exports to IoT Analytics channel \"{}\": AWS ended the IoT Analytics service on"
                    + " 15 December 2025, so its endpoints may refuse the calls (they are retried, nothing is lost)."
                    + " Kept for existing stream definitions and compatible endpoints; consider another destination.",
                    context.stream().value(), analytics.iotChannel());
        }
        IoTAnalyticsClient client = credentials.isPresent()
                ? AwsClients.build(IoTAnalyticsClient.builder(), settings.destination(), CONFIG_PREFIX,
                        credentials.get())
                : AwsClients.build(IoTAnalyticsClient.builder(), settings.destination(), CONFIG_PREFIX);
        return new IotAnalyticsExporter(settings, client);
    }
}
