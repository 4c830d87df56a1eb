package io.github.edgestream.exporter.kinesis;

import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.ExportConfig;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one Kinesis export uses: the data stream it writes to, the daemon's Kinesis settings, and the PutRecords
 * limits. The export's {@code batchSize} is not here: it is the runtime's to apply, within {@link #limits()}.
 *
 * <p>PutRecords takes at most {@value #MAX_RECORDS} records per call, each at most {@value #MAX_RECORD_BYTES} bytes of
 * data plus partition key, and at most {@value #MAX_CALL_BYTES} bytes per call, partition keys included.
 * {@link BatchLimits} counts payload bytes only, so the limits subtract the partition keys, which are UUID strings of
 * {@value #PARTITION_KEY_BYTES} bytes: 1 MiB − 36 per message, 5 MiB − 500 × 36 per call.
 *
 * <p>Immutable and thread-safe.
 *
 * @param exportIdentifier the export's identifier, for reasons and logs
 * @param streamName       the Kinesis data stream, as configured in {@code kinesisStreamName}
 * @param destination      the daemon's settings for Kinesis (endpoint, region, call timeout)
 * @param limits           {@link #LIMITS}
 */
public record KinesisExporterConfig(String exportIdentifier, String streamName, DestinationSettings destination,
        BatchLimits limits) {

    /** Records per PutRecords call. */
    public static final int MAX_RECORDS = 500;
    /** Data plus partition key of one record. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    /** Data plus partition keys of one PutRecords call. */
    public static final int MAX_CALL_BYTES = 5 * 1024 * 1024;
    /** A partition key is {@code UUID.randomUUID().toString()}: 36 ASCII characters. */
    public static final int PARTITION_KEY_BYTES = 36;

    public static final BatchLimits LIMITS = new BatchLimits(MAX_RECORDS,
            MAX_RECORD_BYTES - PARTITION_KEY_BYTES,
            MAX_CALL_BYTES - (long) MAX_RECORDS * PARTITION_KEY_BYTES);

    /** Kinesis's rule for stream names. */
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    public KinesisExporterConfig {
        Objects.requireNonNull(exportIdentifier, "exportIdentifier");
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * The effective settings of {@code config}.
     *
     * @throws IllegalArgumentException if {@code kinesisStreamName} is not a valid Kinesis stream name. Kinesis would
     *                                  answer every call with a ValidationException, which reads like a problem of
     *                                  the messages; refusing here makes it the export's error instead, and no
     *                                  message is skipped for it.
     */
    public static KinesisExporterConfig from(ExportConfig.Kinesis config, DestinationSettings destination) {
        String name = config.kinesisStreamName();
        if (!STREAM_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("export \"" + config.identifier() + "\": kinesisStreamName \"" + name
                    + "\" is not a Kinesis stream name (1 to 128 characters of a-z, A-Z, 0-9, '_', '.', '-')");
        }
        return new KinesisExporterConfig(config.identifier(), name, destination, LIMITS);
    }

    /** The call as reasons name it: {@code PutRecords to Kinesis stream "name"}. */
    public String call() {
        return "PutRecords to Kinesis stream \"" + streamName + "\"";
    }
}
