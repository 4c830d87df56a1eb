package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.DataSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Daemon-level settings of the stream store.
 *
 * @param rootDirectory     where stream definitions and file streams live ({@code STREAM_MANAGER_STORE_ROOT_DIR})
 * @param maxMessageSize    largest single message any stream accepts; also sizes Chronicle's mapped blocks (4x)
 * @param retentionInterval how often the background pass deletes segments whose messages all passed their TTL
 * @param minFreeDiskSpace  appends to file streams fail with {@link StoreWriteException} once the disk has less free
 *                          space than this, instead of risking a write into a full disk
 */
public record StoreSettings(
        Path rootDirectory,
        DataSize maxMessageSize,
        Duration retentionInterval,
        DataSize minFreeDiskSpace) {

    public static final DataSize DEFAULT_MAX_MESSAGE_SIZE = DataSize.ofMebibytes(16);
    public static final DataSize LARGEST_MAX_MESSAGE_SIZE = DataSize.ofMebibytes(256);
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofSeconds(10);
    public static final DataSize DEFAULT_MIN_FREE_DISK_SPACE = DataSize.ofMebibytes(64);

    public StoreSettings {
        Objects.requireNonNull(rootDirectory, "rootDirectory");
        Objects.requireNonNull(maxMessageSize, "maxMessageSize");
        Objects.requireNonNull(retentionInterval, "retentionInterval");
        Objects.requireNonNull(minFreeDiskSpace, "minFreeDiskSpace");
        if (maxMessageSize.bytes() < 1 || maxMessageSize.isGreaterThan(LARGEST_MAX_MESSAGE_SIZE)) {
            throw new IllegalArgumentException("maxMessageSize is " + maxMessageSize + " but must be between 1 byte and "
                    + LARGEST_MAX_MESSAGE_SIZE);
        }
        if (retentionInterval.isNegative() || retentionInterval.isZero()) {
            throw new IllegalArgumentException("retentionInterval is " + retentionInterval + " but must be positive");
        }
    }

    /** Defaults for everything but the directory. */
    public static StoreSettings defaults(Path rootDirectory) {
        return new StoreSettings(rootDirectory, DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_RETENTION_INTERVAL,
                DEFAULT_MIN_FREE_DISK_SPACE);
    }

    public StoreSettings withMaxMessageSize(DataSize value) {
        return new StoreSettings(rootDirectory, value, retentionInterval, minFreeDiskSpace);
    }

    public StoreSettings withRetentionInterval(Duration value) {
        return new StoreSettings(rootDirectory, maxMessageSize, value, minFreeDiskSpace);
    }

    public StoreSettings withMinFreeDiskSpace(DataSize value) {
        return new StoreSettings(rootDirectory, maxMessageSize, retentionInterval, value);
    }
}
