package io.github.edgestream.exporter.iotanalytics;

import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.StreamName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What one IoT Analytics export uses: the channel, the message-id prefix, the daemon's IoT Analytics destination
 * settings and the limits of {@code BatchPutMessage}.
 *
 * <p><b>Message ids.</b> {@code <prefix><stream tag>-<sequence number>}, where the stream tag is the first 8 hex digits
 * of SHA-256 of the stream name. A resend of a message carries the same id (IoT Analytics can drop the duplicate);
 * two streams sending to one channel with one prefix still get different ids; and the id stays within the API's 128
 * characters whatever the stream name's length: at most 32 (prefix) + 8 + 1 + 19 = 60. Without {@code iotMsgIdPrefix}
 * the prefix is empty. Example: prefix {@code gw1-}, stream {@code telemetry}, sequence number 42 gives
 * {@code gw1-9d3c8b1f-42} (the tag depends only on the stream name).
 *
 * @param exportIdentifier the export's identifier
 * @param channel          the IoT Analytics channel
 * @param idPrefix         put before every message id (may be empty)
 * @param streamTag        8 hex digits derived from the stream name
 * @param destination      endpoint, region and call timeout
 */
public record IotAnalyticsExporterConfig(String exportIdentifier, String channel, String idPrefix, String streamTag,
        DestinationSettings destination) {

    /**
     * {@code BatchPutMessage} takes at most 100 messages of at most 128 KB each (the service's published quotas). It
     * names no request size; 5 MiB of payload (about 6.7 MiB of JSON with base64) keeps requests moderate.
     */
    public static final BatchLimits LIMITS = new BatchLimits(100, 128 * 1000, 5L << 20);

    public IotAnalyticsExporterConfig {
        Objects.requireNonNull(exportIdentifier, "exportIdentifier");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(idPrefix, "idPrefix");
        Objects.requireNonNull(streamTag, "streamTag");
        Objects.requireNonNull(destination, "destination");
    }

    public static IotAnalyticsExporterConfig from(ExportConfig.IotAnalytics config, StreamName stream,
            DestinationSettings destination) {
        return new IotAnalyticsExporterConfig(config.identifier(), config.iotChannel(),
                config.iotMsgIdPrefix().orElse(""), tag(stream), destination);
    }

    public BatchLimits limits() {
        return LIMITS;
    }

    /** The id of the message with this sequence number. */
    public String messageId(long sequenceNumber) {
        return idPrefix + streamTag + "-" + sequenceNumber;
    }

    /** The call as reasons name it, with where it went. */
    public String call() {
        String where = destination.endpoint().map(uri -> " at " + uri)
                .or(() -> destination.region().map(region -> " in " + region))
                .orElse("");
        return "BatchPutMessage to IoT Analytics channel \"" + channel + "\"" + where;
    }

    private static String tag(StreamName stream) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(stream.value().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
