package io.github.edgestream.core.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated message stream definition: the policies the store enforces for one stream.
 *
 * <p>The constructor checks every rule, in the model's own terms, and reports every problem at once in an
 * {@link InvalidStreamDefinitionException} (fields named as the components are: {@code maxSize},
 * {@code segmentSize}, {@code timeToLive}, {@code exports[i].batchSize}, {@code partitions}; sizes in bytes,
 * durations in milliseconds). A protocol that receives definitions in a shape of its own (the Greengrass
 * {@code MessageStreamDefinition}) checks them in its own field names before it builds one.
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
 * @param tags           labels a client attached (Kinesis tags, OCI free-form tags): at most {@value #MAX_TAGS},
 *                       keys 1 to {@value #MAX_TAG_KEY_LENGTH} characters, values up to
 *                       {@value #MAX_TAG_VALUE_LENGTH}, no control characters; sorted by key. They change only through
 *                       {@code StreamService.tag}: an update keeps the stream's tags whatever the new definition says
 * @param createdAt      when the stream was created (set by the service on create, kept by updates); empty for
 *                       streams created before it was recorded
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
        int partitions,
        java.util.SortedMap<String, String> tags,
        Optional<java.time.Instant> createdAt) {

    public static final int MAX_PARTITIONS = 256;
    public static final int MAX_TAGS = 50;
    public static final int MAX_TAG_KEY_LENGTH = 128;
    public static final int MAX_TAG_VALUE_LENGTH = 256;

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
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
        Objects.requireNonNull(createdAt, "createdAt");
        List<ValidationProblem> problems = problems(maxSize, segmentSize, timeToLive, exports, partitions);
        problems.addAll(tagProblems(tags));
        if (!problems.isEmpty()) {
            throw new InvalidStreamDefinitionException(problems);
        }
    }

    /** Every problem with these values, in component order; empty when they make a valid definition. */
    private static List<ValidationProblem> problems(DataSize maxSize, DataSize segmentSize,
            Optional<Duration> timeToLive, List<ExportConfig> exports, int partitions) {
        List<ValidationProblem> problems = new ArrayList<>();
        range(problems, "maxSize", maxSize.bytes(), MIN_MAX_SIZE.bytes(), Long.MAX_VALUE, "bytes");
        range(problems, "segmentSize", segmentSize.bytes(), MIN_SEGMENT_SIZE.bytes(), MAX_SEGMENT_SIZE.bytes(),
                "bytes");
        timeToLive.ifPresent(ttl -> range(problems, "timeToLive", ExportSettings.millisOrOverflow(ttl),
                MIN_TIME_TO_LIVE.toMillis(), MAX_TIME_TO_LIVE.toMillis(), "milliseconds"));
        Set<String> identifiers = new HashSet<>();
        for (int i = 0; i < exports.size(); i++) {
            ExportConfig export = exports.get(i);
            String path = "exports[" + i + "]";
            problems.addAll(export.problems(path));
            if (!identifiers.add(export.identifier())) {
                problems.add(ValidationProblem.of(path + ".identifier", export.identifier(),
                        "be unique among the stream's exports"));
            }
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            problems.add(ValidationProblem.of("partitions", partitions, "be between 1 and " + MAX_PARTITIONS));
        } else if (partitions > 1 && !exports.isEmpty()) {
            problems.add(ValidationProblem.of("partitions", partitions, "be 1 while the stream has exports (it has "
                    + exports.size() + "): exports of partitioned streams are not supported yet"));
        }
        return problems;
    }

    /** Every problem with a set of tags (fields {@code tags} and {@code tags["key"]}). */
    public static List<ValidationProblem> tagProblems(java.util.Map<String, String> tags) {
        List<ValidationProblem> problems = new ArrayList<>();
        if (tags.size() > MAX_TAGS) {
            problems.add(ValidationProblem.of("tags", tags.size() + " tags", "be at most " + MAX_TAGS + " tags"));
        }
        for (var tag : tags.entrySet()) {
            String key = tag.getKey();
            String value = Objects.requireNonNull(tag.getValue(), "tag value");
            if (key.isEmpty() || key.length() > MAX_TAG_KEY_LENGTH || hasControl(key)) {
                problems.add(ValidationProblem.of("tags", key, "have keys of 1 to " + MAX_TAG_KEY_LENGTH
                        + " characters without control characters"));
            }
            if (value.length() > MAX_TAG_VALUE_LENGTH || hasControl(value)) {
                problems.add(ValidationProblem.of("tags[\"" + key + "\"]", value, "be at most "
                        + MAX_TAG_VALUE_LENGTH + " characters without control characters"));
            }
        }
        return problems;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static void range(List<ValidationProblem> problems, String field, long value, long min, long max,
            String unit) {
        if (value < min || value > max) {
            problems.add(ValidationProblem.of(field, value, "be between " + min + " and " + max + " " + unit));
        }
    }

    /** A definition of one partition. */
    public StreamDefinition(StreamName name, DataSize maxSize, DataSize segmentSize, Optional<Duration> timeToLive,
            StrategyOnFull strategyOnFull, Persistence persistence, boolean flushOnWrite, List<ExportConfig> exports) {
        this(name, maxSize, segmentSize, timeToLive, strategyOnFull, persistence, flushOnWrite, exports, 1);
    }

    /** A definition without tags or creation time. */
    public StreamDefinition(StreamName name, DataSize maxSize, DataSize segmentSize, Optional<Duration> timeToLive,
            StrategyOnFull strategyOnFull, Persistence persistence, boolean flushOnWrite, List<ExportConfig> exports,
            int partitions) {
        this(name, maxSize, segmentSize, timeToLive, strategyOnFull, persistence, flushOnWrite, exports, partitions,
                new java.util.TreeMap<>(), Optional.empty());
    }

    /** This definition with other tags. */
    public StreamDefinition withTags(java.util.Map<String, String> value) {
        return new StreamDefinition(name, maxSize, segmentSize, timeToLive, strategyOnFull, persistence, flushOnWrite,
                exports, partitions, new java.util.TreeMap<>(value), createdAt);
    }

    /** This definition under another name (a rename: every setting kept). */
    public StreamDefinition withName(StreamName value) {
        return new StreamDefinition(value, maxSize, segmentSize, timeToLive, strategyOnFull, persistence, flushOnWrite,
                exports, partitions, tags, createdAt);
    }

    /** This definition with a creation time. */
    public StreamDefinition withCreatedAt(java.time.Instant value) {
        return new StreamDefinition(name, maxSize, segmentSize, timeToLive, strategyOnFull, persistence, flushOnWrite,
                exports, partitions, tags, Optional.of(value));
    }

    public boolean isPartitioned() {
        return partitions > 1;
    }

    /** A definition with the protocol's defaults: 256 MiB, 16 MiB segments, no TTL, file, no flush on write. */
    public static Builder builder(String name, StrategyOnFull strategyOnFull) {
        return new Builder(StreamName.of(name), strategyOnFull);
    }

    /** A definition with the protocol's defaults, for a name already made (by either rule of {@link StreamName}). */
    public static Builder builder(StreamName name, StrategyOnFull strategyOnFull) {
        return new Builder(name, strategyOnFull);
    }

    public Builder toBuilder() {
        return new Builder(name, strategyOnFull)
                .maxSize(maxSize)
                .segmentSize(segmentSize)
                .timeToLive(timeToLive.orElse(null))
                .persistence(persistence)
                .flushOnWrite(flushOnWrite)
                .exports(exports)
                .partitions(partitions)
                .tags(tags)
                .createdAt(createdAt.orElse(null));
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
        private java.util.Map<String, String> tags = java.util.Map.of();
        private java.time.Instant createdAt;

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

        public Builder tags(java.util.Map<String, String> value) {
            this.tags = java.util.Map.copyOf(value);
            return this;
        }

        /** {@code null} for unknown. */
        public Builder createdAt(java.time.Instant value) {
            this.createdAt = value;
            return this;
        }

        public Builder strategyOnFull(StrategyOnFull value) {
            return new Builder(name, value)
                    .maxSize(maxSize).segmentSize(segmentSize).timeToLive(timeToLive)
                    .persistence(persistence).flushOnWrite(flushOnWrite).exports(exports).partitions(partitions)
                    .tags(tags).createdAt(createdAt);
        }

        public StreamDefinition build() {
            return new StreamDefinition(name, maxSize, segmentSize, Optional.ofNullable(timeToLive),
                    strategyOnFull, persistence, flushOnWrite, exports, partitions, new java.util.TreeMap<>(tags),
                    Optional.ofNullable(createdAt));
        }
    }
}
