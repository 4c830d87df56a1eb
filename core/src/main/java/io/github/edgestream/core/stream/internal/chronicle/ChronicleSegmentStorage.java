package io.github.edgestream.core.stream.internal.chronicle;

import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.internal.AtomicFiles;
import io.github.edgestream.core.stream.internal.RecordFormat;
import io.github.edgestream.core.stream.internal.Segment;
import io.github.edgestream.core.stream.internal.SegmentStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File persistence: each segment is a Chronicle queue in its own numbered directory.
 *
 * <pre>
 * &lt;stream dir&gt;/segments/
 *     000000000000/             first segment (ordinal 0)
 *         segment.properties    {@link SegmentMeta}: base sequence, state, counts
 *         19700101F.cq4         Chronicle data file (sparse), records in {@code RecordFormat}
 *         metadata.cq4t         Chronicle's own table
 *     000000000001/             next segment, and so on; ordinals only grow
 *     000000000002.deleting/    a segment being deleted (finished at the next open)
 * </pre>
 *
 * <p>Opening trusts the metadata of segments that were sealed or closed cleanly and whose data file has at least its
 * recorded length; any other segment is scanned record by record ({@link ChronicleSegment#recover}). Consecutive
 * segments must continue each other's sequence numbers; a hole between them is reported as lost.
 *
 * <p>Not thread-safe; see {@link SegmentStorage}.
 */
public final class ChronicleSegmentStorage implements SegmentStorage {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleSegmentStorage.class);
    private static final Pattern ORDINAL = Pattern.compile("\\d{12}");
    private static final String DELETING = ".deleting";

    private final Path directory;
    private final ChronicleQueues queues;
    private final List<ChronicleSegment> segments = new ArrayList<>();
    private DamageReport damage = (first, last, cause) -> {
    };
    private long nextOrdinal;

    /**
     * @param directory       the stream's {@code segments} directory (created if missing)
     * @param maxMessageBytes the largest message the store accepts; sizes Chronicle's mapped blocks
     */
    public ChronicleSegmentStorage(Path directory, long maxMessageBytes) {
        this.directory = directory;
        this.queues = new ChronicleQueues(maxMessageBytes);
    }

    @Override
    public List<Segment> recover(DamageReport report) {
        this.damage = report;
        List<Path> directories = listSegmentDirectories();
        List<Segment> recovered = new ArrayList<>();
        long expectedBase = -1;
        for (int i = 0; i < directories.size(); i++) {
            Path dir = directories.get(i);
            boolean last = i == directories.size() - 1;
            long ordinal = Long.parseLong(dir.getFileName().toString());
            nextOrdinal = ordinal + 1;
            ChronicleSegment segment = openSegment(dir, ordinal, last, expectedBase);
            if (segment == null) {
                deleteQuietly(dir);
                continue;
            }
            if (expectedBase >= 0 && segment.baseSequence() != expectedBase) {
                if (segment.baseSequence() < expectedBase) {
                    LOG.error("segment {} starts at {} but the previous one ends at {}: overlapping segments;"
                            + " setting it aside as {}.quarantined", dir, segment.baseSequence(), expectedBase - 1, dir);
                    segment.release();
                    quarantine(dir);
                    continue;
                }
                damage.lost(expectedBase, segment.baseSequence() - 1,
                        "no segment holds these messages (a segment directory is missing)");
            }
            if (segment.isEmpty() && segment.isSealed() && !last) {
                segment.release();
                deleteQuietly(dir);
                continue;
            }
            segments.add(segment);
            recovered.add(segment);
            expectedBase = segment.nextSequence();
        }
        return recovered;
    }

    /** Opens one segment directory: from trusted metadata, as an unused empty segment, or by scanning it. */
    private ChronicleSegment openSegment(Path dir, long ordinal, boolean last, long expectedBase) {
        Optional<SegmentMeta> meta = SegmentMeta.read(dir);
        Path dataFile = ChronicleQueues.dataFile(dir);
        if (meta.isPresent() && meta.get().hasCounts()) {
            SegmentMeta m = meta.get();
            long length = dataFile == null ? 0 : size(dataFile);
            boolean intact = m.next() == m.base() || (dataFile != null && length >= m.dataFileLength());
            if (intact) {
                ChronicleSegment segment = ChronicleSegment.fromMeta(dir, ordinal, m, queues, damage);
                if (!last && !segment.isSealed()) {
                    segment.seal(); // closed cleanly while active, yet a newer segment exists: it takes no appends
                }
                return segment;
            }
            LOG.warn("segment {}: data file is {} bytes, shorter than the {} recorded at shutdown; scanning it",
                    dir, length, m.dataFileLength());
            return ChronicleSegment.recover(dir, ordinal, m.base(), m.next(), m.recordFormat(), queues, damage);
        }
        if (dropFilesNeverWritten(dir)) {
            dataFile = ChronicleQueues.dataFile(dir);
        }
        long base = meta.map(SegmentMeta::base).orElse(expectedBase);
        long checkpoint = meta.map(SegmentMeta::next).orElse(-1L);
        if (dataFile == null && checkpoint <= base) {
            if (base < 0) {
                return null; // never written and nothing says where it starts: an abandoned directory
            }
            return last ? ChronicleSegment.emptyActive(dir, ordinal, base,
                    meta.map(SegmentMeta::recordFormat).orElse(RecordFormat.VERSION_2), queues, damage) : null;
        }
        LOG.warn("segment {} was not closed cleanly; checking every record", dir);
        return ChronicleSegment.recover(dir, ordinal, base, checkpoint, meta.map(SegmentMeta::recordFormat).orElse(0),
                queues, damage);
    }

    /**
     * Deletes the Chronicle files of an unclean segment that a power cut left empty or zero from their first byte:
     * nothing in them ever reached the disk (their size was set, their contents not synced). Chronicle would take
     * such a file for one that another process is still creating and wait 10 s for it, at every open. Returns
     * whether it deleted any.
     */
    private static boolean dropFilesNeverWritten(Path dir) {
        boolean dropped = false;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".cq4")
                    || f.getFileName().toString().endsWith(".cq4t")).toList()) {
                if (neverWritten(file)) {
                    LOG.warn("segment {}: {} holds nothing (empty or zeroed, as after a power cut before it was"
                            + " synced); deleting it", dir, file.getFileName());
                    Files.delete(file);
                    dropped = true;
                }
            }
        } catch (IOException e) {
            LOG.warn("segment {}: cannot check its files: {}", dir, e.toString());
        }
        return dropped;
    }

    private static boolean neverWritten(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(8);
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // a file shorter than 8 bytes is read to its end
            }
            for (int i = 0; i < head.position(); i++) {
                if (head.get(i) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public Segment create(long baseSequence) {
        Path dir = directory.resolve(String.format("%012d", nextOrdinal));
        try {
            ChronicleSegment segment = ChronicleSegment.create(dir, nextOrdinal, baseSequence, queues, damage);
            nextOrdinal++;
            segments.add(segment);
            return segment;
        } catch (IOException e) {
            throw new StoreWriteException("cannot create segment " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Segment segment) {
        ChronicleSegment chronicle = (ChronicleSegment) segment;
        segments.remove(chronicle);
        chronicle.release();
        deleteQuietly(chronicle.directory());
    }

    @Override
    public void close() {
        for (ChronicleSegment segment : segments) {
            segment.closeCleanly();
        }
        segments.clear();
    }

    @Override
    public void release() {
        for (ChronicleSegment segment : segments) {
            segment.release();
        }
        segments.clear();
    }

    private List<Path> listSegmentDirectories() {
        try {
            Files.createDirectories(directory);
            List<Path> segments = new ArrayList<>();
            try (Stream<Path> entries = Files.list(directory)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    String name = entry.getFileName().toString();
                    if (name.endsWith(DELETING)) {
                        deleteQuietly(entry);
                    } else if (ORDINAL.matcher(name).matches() && Files.isDirectory(entry)) {
                        segments.add(entry);
                    }
                }
            }
            segments.sort(null);
            return segments;
        } catch (IOException e) {
            throw new StoreWriteException("cannot list segments in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Renames first (atomic: a crash never leaves half a segment that looks whole), then removes the files. */
    private static void deleteQuietly(Path dir) {
        Path doomed = dir.resolveSibling(dir.getFileName() + DELETING);
        try {
            if (!dir.getFileName().toString().endsWith(DELETING)) {
                Files.move(dir, doomed);
            } else {
                doomed = dir;
            }
            AtomicFiles.deleteRecursively(doomed);
        } catch (IOException e) {
            LOG.warn("cannot delete segment directory {}: {}; will retry at the next open", dir, e.toString());
        }
    }

    private static void quarantine(Path dir) {
        try {
            Files.move(dir, dir.resolveSibling(dir.getFileName() + ".quarantined"));
        } catch (IOException e) {
            LOG.warn("cannot set aside {}: {}", dir, e.toString());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
