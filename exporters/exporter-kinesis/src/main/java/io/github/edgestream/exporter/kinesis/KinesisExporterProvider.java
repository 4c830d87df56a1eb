package io.github.edgestream.exporter.kinesis;

import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.AwsClients;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The Kinesis Data Streams exporter plugin ({@link ExportKind#KINESIS}), found by {@link java.util.ServiceLoader}.
 * Each export gets its own {@link KinesisClient}, built by {@code AwsClients} from the daemon's Kinesis settings
 * (config prefix {@code exporter.kinesis}) and the SDK's default credential chain; building it does no network I/O.
 *
 * <p>Errors: {@link #create} throws {@link IllegalArgumentException} for a config of another kind or a
 * {@code kinesisStreamName} Kinesis cannot accept, and {@link IllegalStateException} when no region is configured.
 *
 * <p>Thread-safe: stateless.
 */
public final class KinesisExporterProvider implements ExporterProvider {

    private final Optional<AwsCredentialsProvider> credentials;

    /** The ServiceLoader's constructor: the SDK's default credential chain. */
    public KinesisExporterProvider() {
        this(Optional.empty());
    }

    /** With fixed credentials, for tests against emulators. */
    KinesisExporterProvider(Optional<AwsCredentialsProvider> credentials) {
        this.credentials = credentials;
    }

    @Override
    public ExportKind kind() {
        return ExportKind.KINESIS;
    }

    @Override
    public Exporter create(ExportConfig config, ExporterContext context) {
        if (!(config instanceof ExportConfig.Kinesis kinesis)) {
            throw new IllegalArgumentException("the Kinesis exporter takes Kinesis export configs, got "
                    + config.kind() + " (export \"" + config.identifier() + "\")");
        }
        var settings = KinesisExporterConfig.from(kinesis, context.destination());
        KinesisClient client = credentials.isPresent()
                ? AwsClients.build(KinesisClient.builder(), settings.destination(), "exporter.kinesis",
                        credentials.get())
                : AwsClients.build(KinesisClient.builder(), settings.destination(), "exporter.kinesis");
        return new KinesisExporter(settings, client, KinesisRequestBuilder.randomUuids());
    }
}
