package io.github.edgestream.exporter.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * The rules every exporter keeps (see {@link Exporter}), run by each exporter module against its own destination
 * on loopback. A subclass names its provider, a config pointing at a healthy destination, a valid payload, and how
 * many messages the destination has received so far.
 */
public abstract class ExporterContractTest {

    protected static final StreamName STREAM = StreamName.of("contract-stream");

    protected final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    protected abstract ExporterProvider provider();

    /** An export config of the provider's kind, for a destination that is up and accepts everything. */
    protected abstract ExportConfig healthyConfig();

    /** The daemon-level settings that reach the healthy destination. */
    protected abstract DestinationSettings healthyDestination();

    /**
     * The config and settings for a destination where nothing listens. Defaults to the healthy ones with the
     * endpoint moved to a closed loopback port; HTTP overrides it (its address lives in the export config).
     */
    protected ExportConfig unreachableConfig() {
        return healthyConfig();
    }

    protected DestinationSettings unreachableDestination() {
        return healthyDestination().withEndpoint(closedLoopbackPort());
    }

    /** A payload the destination accepts, different for every {@code index}. */
    protected abstract byte[] validPayload(int index);

    /** Messages (records, entries) the destination has received so far, resends included. */
    protected abstract int receivedCount() throws Exception;

    protected final Exporter create(ExportConfig config, DestinationSettings destination) {
        return provider().create(config, new ExporterContext(STREAM, destination, clock));
    }

    protected final Batch batch(int first, int count) {
        var messages = new ArrayList<Message>();
        for (int i = first; i < first + count; i++) {
            messages.add(new Message(i, clock.millis(), validPayload(i)));
        }
        return new Batch(STREAM, healthyConfig().identifier(), messages, 1);
    }

    @Test
    void providerServesTheKindOfItsConfigs() {
        assertThat(provider().kind()).isEqualTo(healthyConfig().kind());
    }

    @Test
    void limitsStayWithinTheKindsMaximumBatchSize() {
        try (var exporter = create(healthyConfig(), healthyDestination())) {
            var kind = healthyConfig().kind();
            // kinds without batching (S3 tasks) take one message per call
            assertThat(exporter.limits().maxMessages()).isBetween(1, kind.batches() ? kind.maxBatchSize() : 1);
        }
    }

    @Test
    void deliversABatchAndTheDestinationReceivesEveryMessage() throws Exception {
        int before = receivedCount();
        int count;
        try (var exporter = create(healthyConfig(), healthyDestination())) {
            count = Math.min(3, exporter.limits().maxMessages());
            assertThat(exporter.export(batch(0, count))).isInstanceOf(ExportResult.Delivered.class);
        }
        assertThat(receivedCount() - before).isEqualTo(count);
    }

    @Test
    void deliversAFullBatchAtTheMessageLimit() throws Exception {
        int before = receivedCount();
        try (var exporter = create(healthyConfig(), healthyDestination())) {
            int max = exporter.limits().maxMessages();
            assertThat(exporter.export(batch(100, max))).isInstanceOf(ExportResult.Delivered.class);
            assertThat(receivedCount() - before).isEqualTo(max);
        }
    }

    // After a crash the runtime resends the batch in flight; the exporter must take it again.
    @Test
    void acceptsTheSameBatchAgain() throws Exception {
        try (var exporter = create(healthyConfig(), healthyDestination())) {
            var batch = batch(7, Math.min(2, exporter.limits().maxMessages()));
            assertThat(exporter.export(batch)).isInstanceOf(ExportResult.Delivered.class);
            assertThat(exporter.export(batch)).isInstanceOf(ExportResult.Delivered.class);
        }
    }

    // No network is an outage, not a property of the messages: it must never make the runtime skip them.
    @Test
    void anUnreachableDestinationMeansRetryNeverRejected() throws Exception {
        try (var exporter = create(unreachableConfig(), unreachableDestination())) {
            assertThat(exporter.export(batch(0, Math.min(2, exporter.limits().maxMessages()))))
                    .isInstanceOf(ExportResult.Retry.class);
        }
    }

    @Test
    void creatingDoesNoNetworkIoAndCloseIsIdempotent() {
        var exporter = create(unreachableConfig(), unreachableDestination());
        assertThatCode(() -> {
            exporter.close();
            exporter.close();
        }).doesNotThrowAnyException();
    }

    /** A loopback URI on which nothing listens (a port just released). */
    protected static URI closedLoopbackPort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static DestinationSettings loopback(URI endpoint) {
        return new DestinationSettings(java.util.Optional.of(endpoint), java.util.Optional.of("us-east-1"),
                Duration.ofSeconds(5));
    }
}
