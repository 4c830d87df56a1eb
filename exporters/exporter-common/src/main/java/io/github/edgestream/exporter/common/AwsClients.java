package io.github.edgestream.exporter.common;

import io.github.edgestream.core.export.spi.DestinationSettings;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Builds the AWS SDK clients of the exporters, all the same way:
 * <ul>
 *   <li>region from the daemon's config, else the SDK's chain ({@code AWS_REGION}, profile, instance metadata);</li>
 *   <li>credentials from the SDK's default chain, which covers environment variables, profiles, web identity, ECS
 *       and the Greengrass token exchange service ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI});</li>
 *   <li>endpoint from the daemon's per-destination override, else the SDK's standard settings
 *       ({@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL}, the region's endpoint);</li>
 *   <li>under an endpoint override from either source, no host prefix: the endpoint is used exactly as given
 *       (SiteWise would otherwise call {@code data.<host>}, which a VPC endpoint or a loopback test server is not),
 *       plus what the kind of destination asks for (S3: path-style addressing);</li>
 *   <li>the URL-connection HTTP client, named explicitly rather than discovered on the classpath;</li>
 *   <li>no SDK retries: one attempt per call, bounded by the destination's call timeout. The export runtime owns
 *       back-off, so a throttled call never hides in the SDK for minutes.</li>
 * </ul>
 * Thread-safe: stateless.
 */
public final class AwsClients {

    private AwsClients() {
    }

    /**
     * Configures {@code builder} from {@code settings} and builds the client. Does no network I/O.
     *
     * @throws IllegalStateException if no region is configured anywhere, naming the settings that would fix it
     */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            B builder, DestinationSettings settings, String configPrefix) {
        return build(builder, settings, configPrefix, DefaultCredentialsProvider.builder().build());
    }

    /** As {@link #build(AwsClientBuilder, DestinationSettings, String)}, with the given credentials (tests). */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            B builder, DestinationSettings settings, String configPrefix, AwsCredentialsProvider credentials) {
        return build(builder, settings, configPrefix, credentials, overrides -> { });
    }

    /** As above, with more client settings for one kind of destination (an interceptor, say). */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            B builder, DestinationSettings settings, String configPrefix, AwsCredentialsProvider credentials,
            Consumer<ClientOverrideConfiguration.Builder> more) {
        return build(builder, settings, configPrefix, credentials, more, overridden -> { });
    }

    /**
     * As above; {@code underOverride} adds what the client needs when its endpoint is overridden, from the daemon's
     * settings or from the SDK's own ({@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL}, the
     * {@code endpoint_url} of the profile), e.g. S3's path-style addressing: an emulator at {@code localhost} has no
     * {@code bucket.localhost}. Where the override comes from the SDK's settings, the client is built a second time
     * with that endpoint made explicit, so both sources behave the same.
     */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(
            B builder, DestinationSettings settings, String configPrefix, AwsCredentialsProvider credentials,
            Consumer<ClientOverrideConfiguration.Builder> more, Consumer<B> underOverride) {
        configure(builder, settings, settings.endpoint(), credentials, more);
        if (settings.endpoint().isPresent()) {
            underOverride.accept(builder);
            return build(builder, configPrefix);
        }
        C client = build(builder, configPrefix);
        Optional<URI> fromSdkSettings = ((SdkClient) client).serviceClientConfiguration().endpointOverride();
        if (fromSdkSettings.isEmpty()) {
            return client;
        }
        ((SdkClient) client).close();
        configure(builder, settings, fromSdkSettings, credentials, more);
        underOverride.accept(builder);
        return build(builder, configPrefix);
    }

    private static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> void configure(B builder,
            DestinationSettings settings, Optional<URI> endpoint, AwsCredentialsProvider credentials,
            Consumer<ClientOverrideConfiguration.Builder> more) {
        var timeout = settings.callTimeout();
        builder.httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout)
                        .socketTimeout(timeout)
                        .build())
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(timeout)
                        .apiCallAttemptTimeout(timeout)
                        .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, endpoint.isPresent())
                        .applyMutation(more));
        settings.region().ifPresent(region -> builder.region(Region.of(region.toLowerCase(Locale.ROOT))));
        endpoint.ifPresent(builder::endpointOverride);
    }

    private static <B extends AwsClientBuilder<B, C>, C> C build(B builder, String configPrefix) {
        try {
            return builder.build();
        } catch (SdkClientException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Unable to load region")) {
                throw new IllegalStateException("no AWS region is configured for the " + configPrefix + " client:"
                        + " set exporter.region in the daemon's config, or AWS_REGION in its environment (the AWS SDK"
                        + " looked in its system settings, the profile and EC2 instance metadata)", e);
            }
            throw new IllegalStateException("cannot build the " + configPrefix + " client: " + message
                    + " (set exporter.region in the daemon config, or AWS_REGION)", e);
        }
    }
}
