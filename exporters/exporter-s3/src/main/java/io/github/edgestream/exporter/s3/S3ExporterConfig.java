package io.github.edgestream.exporter.s3;

import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.DestinationSettings;
import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.ExportConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * What one S3 task executor uses.
 *
 * @param exportIdentifier          the export's identifier
 * @param multipartThresholdBytes   files larger than this go as multipart uploads ({@code
 *                                  sizeThresholdForMultipartUploadBytes}; absent: 5 MiB, as Greengrass)
 * @param minPartSizeBytes          the smallest part ({@code exporter.s3MinPartSize}, from the destination's
 *                                  {@code minPartSize} option; default and minimum 5 MiB, S3's own minimum)
 * @param destination               endpoint, region, call timeout (per call: one part, or one small file)
 */
public record S3ExporterConfig(String exportIdentifier, long multipartThresholdBytes, long minPartSizeBytes,
        DestinationSettings destination) {

    public static final long MIN_PART_SIZE = 5L << 20;
    public static final long DEFAULT_MULTIPART_THRESHOLD = 5L << 20;
    /** S3 allows at most 10,000 parts; parts grow beyond the minimum for files above 10,000 x the part size. */
    public static final int MAX_PARTS = 10_000;
    /** One task per call (tasks of a stream run in order); a task definition is small. */
    public static final BatchLimits LIMITS = new BatchLimits(1, 1 << 20, 1 << 20);

    public S3ExporterConfig {
        Objects.requireNonNull(exportIdentifier, "exportIdentifier");
        Objects.requireNonNull(destination, "destination");
        if (minPartSizeBytes < MIN_PART_SIZE) {
            throw new IllegalArgumentException("exporter.s3MinPartSize is " + minPartSizeBytes
                    + " bytes but must be at least " + MIN_PART_SIZE + " (5MiB), S3's smallest part");
        }
    }

    /** @throws IllegalArgumentException if the daemon's minimum part size is below S3's */
    public static S3ExporterConfig from(ExportConfig.S3TaskExecutor config, DestinationSettings destination) {
        String minPart = destination.options().getOrDefault("minPartSize", Long.toString(MIN_PART_SIZE));
        long minPartSize;
        try {
            minPartSize = Long.parseLong(minPart);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("exporter.s3MinPartSize is \"" + minPart + "\" but must be a number"
                    + " of bytes");
        }
        String pathStyle = destination.options().get("pathStyle");
        if (pathStyle != null && !pathStyle.equals("true") && !pathStyle.equals("false")) {
            throw new IllegalArgumentException("exporter.s3.pathStyle is \"" + pathStyle + "\" but must be true or"
                    + " false");
        }
        return new S3ExporterConfig(config.identifier(),
                config.sizeThresholdForMultipartUpload().map(DataSize::bytes).orElse(DEFAULT_MULTIPART_THRESHOLD),
                minPartSize, destination);
    }

    /**
     * Path-style addressing ({@code endpoint/bucket/key}) as configured ({@code exporter.s3.pathStyle}, the
     * destination's {@code pathStyle} option); empty: path style under any endpoint override (emulators, VPC
     * endpoints), virtual-hosted otherwise.
     */
    public Optional<Boolean> pathStyle() {
        return Optional.ofNullable(destination.options().get("pathStyle")).map(Boolean::parseBoolean);
    }

    public BatchLimits limits() {
        return LIMITS;
    }

    /** The part size for a file of {@code size} bytes: the minimum, or more to stay within 10,000 parts. */
    public long partSize(long size) {
        return Math.max(minPartSizeBytes, (size + MAX_PARTS - 1) / MAX_PARTS);
    }
}
