package io.github.edgestream.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated message stream definition: the policies the store enforces for one stream.
 *
 * <p>User input arrives as a {@link StreamDefinitionDraft} and becomes a definition through
 * {@link StreamDefinitions#toDefinition}, which reports every problem at once. The constructor re-checks the same
 * rules and throws {@link IllegalArgumentException}: reaching it with bad values is a programming error.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name           unique name of the stream
 * @param maxSize        the most the stream stores; what happens beyond it is {@code strategyOnFull}
 * @param segmentSize    the unit in which the store deletes data (size limit and TTL): whole segments only
 * @param timeToLive     messages older than this may be deleted (segment-wise, not promptly); empty for no TTL
 * @param strategyOnFull reject new appends or overwrite the oldest segments when full
 * @param persistence    file (survives restarts) or memory
 * @param flushOnWrite   an append returns only once the message is on disk (file streams only)
 * @param exports        where the stream's messages are exported, in definition order; identifiers are unique
 * @param partitions     how many logs the stream has (Kinesis shards, OCI partitions), 1 to
 *                       {@value #MAX_PARTITIONS}; each is numbered on its own and holds up to {@code maxSize}. A
 *                       stream of more than one partition has no exports (yet), and the Greengrass API refuses it
 */
public record StreamDefinition(
        StreamName name,
        DataSize maxSize,
        DataSize segmentSize,
        Optional<Duration> timeToLive,
        StrategyOnFull strategyOnFull,
        Persistence persistence,
        boolean flushOnWrite,
        List<ExportConfig> exports,
        int partitions) {

    public static final int MAX_PARTITIONS = 256;

    public static final DataSize MIN_MAX_SIZE = DataSize.ofBytes(1024);
    public static final DataSize DEFAULT_MAX_SIZE = DataSize.ofMebibytes(256);
    public static final DataSize MIN_SEGMENT_SIZE = DataSize.ofBytes(1024);
    public static final DataSize MAX_SEGMENT_SIZE = DataSize.ofBytes(Integer.MAX_VALUE);
    public static final DataSize DEFAULT_SEGMENT_SIZE = DataSize.ofMebibytes(16);
    public static final Duration MIN_TIME_TO_LIVE = Duration.ofMillis(60_000);
    public static final Duration MAX_TIME_TO_LIVE = Duration.ofMillis(9_223_372_036_854L);

    public StreamDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxSize, "maxSize");
        Objects.requireNonNull(segmentSize, "segmentSize");
        Objects.requireNonNull(timeToLive, "timeToLive");
        Objects.requireNonNull(strategyOnFull, "strategyOnFull");
        Objects.requireNonNull(persistence, "persistence");
        exports = List.copyOf(exports);
        List<ValidationProblem> problems = StreamDefinitions.validate(StreamDefinitionDraft.of(
                name, maxSize, segmentSize, timeToLive, strategyOnFull, persistence, flushOnWrite, exports));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid stream definition: " + problems);
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions of stream \"" + name + "\" is " + partitions
                    + " but must be between 1 and " + MAX_PARTITIONS);
        }
        if (partitions > 1 && !exports.isEmpty()) {
            throw new IllegalArgumentException("stream \"" + name + "\" has " + partitions + " partitions and "
                    + exports.size() + " exports; exports of partitioned streams are not supported yet");
        }
    }

    /** A definition of one partition. */
    public StreamDefinition(StreamName name, DataSize maxSize, DataSize segmentSize, Optional<Duration> timeToLive,
            StrategyOnFull strategyOnFull, Persistence persistence, boolean flushOnWrite, List<ExportConfig> exports) {
        this(name, maxSize, segmentSize, timeToLive, strategyOnFull, persistence, flushOnWrite, exports, 1);
    }

    public boolean isPartitioned() {
        return partitions > 1;
    }

    /** A definition with the protocol's defaults: 256 MiB, 16 MiB segments, no TTL, file, no flush on write. */
    public static Builder builder(String name, StrategyOnFull strategyOnFull) {
        return new Builder(StreamName.of(name), strategyOnFull);
    }

    public Builder toBuilder() {
        return new Builder(name, strategyOnFull)
                .maxSize(maxSize)
                .segmentSize(segmentSize)
                .timeToLive(timeToLive.orElse(null))
                .persistence(persistence)
                .flushOnWrite(flushOnWrite)
                .exports(exports)
                .partitions(partitions);
    }

    /** Whether the messages are on disk, durably ({@code flushOnWrite}) or not. */
    public boolean isFile() {
        return persistence == Persistence.FILE;
    }

    /** Mutable builder for definitions; not thread-safe. */
    public static final class Builder {
        private final StreamName name;
        private final StrategyOnFull strategyOnFull;
        private DataSize maxSize = DEFAULT_MAX_SIZE;
        private DataSize segmentSize = DEFAULT_SEGMENT_SIZE;
        private Duration timeToLive;
        private Persistence persistence = Persistence.FILE;
        private boolean flushOnWrite;
        private List<ExportConfig> exports = List.of();
        private int partitions = 1;

        private Builder(StreamName name, StrategyOnFull strategyOnFull) {
            this.name = name;
            this.strategyOnFull = strategyOnFull;
        }

        public Builder maxSize(DataSize value) {
            this.maxSize = value;
            return this;
        }

        public Builder segmentSize(DataSize value) {
            this.segmentSize = value;
            return this;
        }

        /** {@code null} for no TTL. */
        public Builder timeToLive(Duration value) {
            this.timeToLive = value;
            return this;
        }

        public Builder persistence(Persistence value) {
            this.persistence = value;
            return this;
        }

        public Builder flushOnWrite(boolean value) {
            this.flushOnWrite = value;
            return this;
        }

        public Builder exports(List<ExportConfig> value) {
            this.exports = List.copyOf(value);
            return this;
        }

        public Builder partitions(int value) {
            this.partitions = value;
            return this;
        }

        public Builder strategyOnFull(StrategyOnFull value) {
            return new Builder(name, value)
                    .maxSize(maxSize).segmentSize(segmentSize).timeToLive(timeToLive)
                    .persistence(persistence).flushOnWrite(flushOnWrite).exports(exports).partitions(partitions);
        }

        public StreamDefinition build() {
            return new StreamDefinition(name, maxSize, segmentSize, Optional.ofNullable(timeToLive),
                    strategyOnFull, persistence, flushOnWrite, exports, partitions);
        }
    }
}
