package io.github.edgestream.exporter.s3;

import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.exporter.common.AwsClients;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 task executor plugin ({@link ExportKind#S3_TASK_EXECUTOR}), found through {@link java.util.ServiceLoader}.
 * {@link #create} builds an {@link S3Client} with {@link AwsClients} (path-style addressing under an endpoint
 * override, from the daemon's config or the SDK's {@code AWS_ENDPOINT_URL_S3}, unless {@code exporter.s3.pathStyle}
 * says otherwise) and does no network I/O.
 *
 * <p>Called by the export runtime's control thread. Errors: {@link IllegalArgumentException} for a config of another
 * kind or a minimum part size below 5 MiB. A client that cannot be built (no region configured anywhere) is not an
 * error here: each task is still checked, and a valid one is retried with the reason and reported as a Warning.
 * Thread-safe.
 */
public final class S3ExporterProvider implements ExporterProvider {

    static final String CONFIG_PREFIX = "exporter.s3";

    /**
     * One immediate second attempt, only when the request could not be written at all (the server closed the
     * connection under it, as S3Proxy's Jetty sometimes does on a reused connection). Everything else is the
     * runtime's to retry, with back-off.
     */
    private static final RetryStrategy ONE_RECONNECT = StandardRetryStrategy.builder()
            .maxAttempts(2)
            .circuitBreakerEnabled(false)
            .useClientDefaults(false)   // no throttling or 5xx retries: those are the runtime's
            .backoffStrategy(BackoffStrategy.retryImmediately())
            .retryOnException(e -> e instanceof SdkClientException && e.getCause() instanceof java.io.IOException
                    && String.valueOf(e.getCause().getMessage()).contains("Error writing request body"))
            .build();

    private final Optional<AwsCredentialsProvider> credentials;

    /** The ServiceLoader's: credentials from the SDK's default chain. */
    public S3ExporterProvider() {
        this.credentials = Optional.empty();
    }

    /** Tests': fixed credentials. */
    S3ExporterProvider(AwsCredentialsProvider credentials) {
        this.credentials = Optional.of(credentials);
    }

    @Override
    public ExportKind kind() {
        return ExportKind.S3_TASK_EXECUTOR;
    }

    @Override
    public Exporter create(ExportConfig config, ExporterContext context) {
        if (!(config instanceof ExportConfig.S3TaskExecutor executor)) {
            throw new IllegalArgumentException("the S3 exporter got a " + config.kind() + " export config ("
                    + config.identifier() + ")");
        }
        var settings = S3ExporterConfig.from(executor, context.destination());
        // built at the first task, not here: the checks that need no client (file, bucket, key) must run and fail
        // the tasks they fail even while the client cannot be built (no region configured, say)
        var client = new S3ExporterClient(() -> AwsClients.build(
                S3Client.builder().forcePathStyle(settings.pathStyle().orElse(false)), settings.destination(),
                CONFIG_PREFIX, credentials.orElseGet(() -> DefaultCredentialsProvider.builder().build()),
                overrides -> overrides.retryStrategy(ONE_RECONNECT),
                overridden -> overridden.forcePathStyle(settings.pathStyle().orElse(true))));
        return new S3Exporter(settings, client, new S3RequestBuilder(settings, context.clock()), context.notices());
    }
}
