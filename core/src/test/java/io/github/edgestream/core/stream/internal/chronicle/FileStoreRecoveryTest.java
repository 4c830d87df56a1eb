package io.github.edgestream.core.stream.internal.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.MessageStream;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.ReadRequest;
import io.github.edgestream.core.stream.RecordingStoreListener;
import io.github.edgestream.core.stream.StoreLockedException;
import io.github.edgestream.core.stream.StoreServices;
import io.github.edgestream.core.stream.StoreSettings;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.core.stream.internal.AtomicFiles;
import io.github.edgestream.core.stream.internal.RecordFormat;
import io.github.edgestream.core.time.ManualClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What file streams do after a restart, a crash or damage on disk: the parts of the contract that only a disk can
 * show. The crash tests kill a real child JVM with SIGKILL while it appends.
 */
class FileStoreRecoveryTest {

    @TempDir
    Path root;
    ManualClock clock;
    RecordingStoreListener listener;
    StreamStore store;

    @BeforeEach
    void setUp() {
        clock = ManualClock.startingAt2026();
        listener = new RecordingStoreListener();
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
        }
    }

    private StoreSettings settings() {
        return StoreSettings.defaults(root).withMinFreeDiskSpace(DataSize.ZERO);
    }

    private StreamStore open() {
        store = StreamStore.open(settings(), new StoreServices(clock, clock, Runnable::run, listener));
        return store;
    }

    private void close() {
        store.close();
        store = null;
    }

    private MessageStream fileStream(String name) {
        return store.create(StreamDefinition.builder(name, StrategyOnFull.REJECT_NEW_DATA).build());
    }

    private static List<Message> readAll(MessageStream stream, long from) {
        try {
            return stream.read(ReadRequest.upTo(from, Integer.MAX_VALUE)).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof NotEnoughMessagesException) {
                return List.of();
            }
            throw e;
        }
    }

    private static void appendNumbered(MessageStream stream, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(stream.append(CrashingWriter.payload(i))).isEqualTo(i);
        }
    }

    private static void assertNumbered(List<Message> messages, long first, long last) {
        assertThat(messages).hasSize((int) (last - first + 1));
        for (int i = 0; i < messages.size(); i++) {
            assertThat(messages.get(i).sequenceNumber()).isEqualTo(first + i);
            assertThat(messages.get(i).payload()).isEqualTo(CrashingWriter.payload(first + i));
        }
    }

    private Path onlyDataFile(String stream) throws IOException {
        Path streamDir;
        try (Stream<Path> dirs = Files.list(root.resolve("streams"))) {
            streamDir = dirs.filter(d -> d.getFileName().toString().startsWith(stream + "-")).findFirst().orElseThrow();
        }
        try (Stream<Path> files = Files.walk(streamDir.resolve("segments"))) {
            List<Path> data = files.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
            return data.get(data.size() - 1);
        }
    }

    /** Position of {@code text} in the file; the test's payloads are unique, so this finds one message. */
    private static long offsetOf(Path file, String text) throws IOException {
        byte[] content = Files.readAllBytes(file);
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= content.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (content[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " not found in " + file);
    }

    @Test
    void openingAStoreReadsNoMessageDataOfCleanlyClosedStreams() {
        open();
        for (int s = 0; s < 20; s++) {
            appendNumbered(fileStream("stream-" + s), 50 + s);
        }
        close();
        long before = ChronicleQueues.openedQueues();

        open();

        assertThat(ChronicleQueues.openedQueues()).as("Chronicle queues opened by the open").isEqualTo(before);
        for (int s = 0; s < 20; s++) {
            assertThat(store.get(StreamName.of("stream-" + s)).info().newestSequenceNumber()).isEqualTo(49 + s);
        }
        assertThat(ChronicleQueues.openedQueues()).as("info() needs no data either").isEqualTo(before);
        assertNumbered(readAll(store.get(StreamName.of("stream-7")), 0), 0, 56);
        assertThat(ChronicleQueues.openedQueues()).isEqualTo(before + 1);
    }

    @Test
    void aTruncatedDataFileIsDetectedAtOpenAndEveryIntactMessageBeforeTheDamageIsKept() throws IOException {
        open();
        appendNumbered(fileStream("victim"), 1000);
        appendNumbered(fileStream("bystander"), 100);
        close();
        Path data = onlyDataFile("victim");
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.setLength(offsetOf(data, "msg-000500-") + 3); // cut inside message 500
        }

        open();

        assertThat(listener.losses()).singleElement().satisfies(loss -> {
            assertThat(loss.stream()).isEqualTo(StreamName.of("victim"));
            assertThat(loss.first()).isEqualTo(500);
            assertThat(loss.last()).isEqualTo(999);
        });
        MessageStream victim = store.get(StreamName.of("victim"));
        assertNumbered(readAll(victim, 0), 0, 499);
        assertThat(readAll(victim, 500)).as("nothing readable past the damage").isEmpty();
        assertThat(victim.info().newestSequenceNumber()).isEqualTo(999);
        assertThat(victim.append(CrashingWriter.payload(1000))).as("lost numbers are not reused").isEqualTo(1000);
        assertNumbered(readAll(victim, 500), 1000, 1000);
        assertNumbered(readAll(store.get(StreamName.of("bystander")), 0), 0, 99);

        close();
        open();
        assertThat(listener.losses()).as("reported once, not at every open").hasSize(1);
        assertThat(readAll(store.get(StreamName.of("victim")), 0)).hasSize(501);
    }

    /**
     * A power cut takes every message of a stream that was never synced (the data file comes back empty, its metadata
     * gone), but a durable checkpoint record (an export's cursor) had seen 300 of them: the stream goes on at 300,
     * reporting 0..299 lost, so that the export does not skip new messages that would otherwise reuse 0..299.
     */
    @Test
    void numbersACheckpointSawAreNeverHandedOutAgainAfterAPowerCutTookTheirMessages() throws IOException {
        open();
        MessageStream stream = fileStream("cut");
        appendNumbered(stream, 300);
        stream.checkpoints().save("export.to-cloud", java.util.Map.of("next", "300", "issued", "300"));
        close();
        Path data = onlyDataFile("cut");
        Files.delete(data.resolveSibling(SegmentMeta.FILE_NAME));
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.setLength(0); // never synced: nothing of it reached the disk
        }

        open();

        MessageStream reopened = store.get(StreamName.of("cut"));
        assertThat(listener.losses()).singleElement().satisfies(loss -> {
            assertThat(loss.first()).isEqualTo(0);
            assertThat(loss.last()).isEqualTo(299);
            assertThat(loss.cause()).contains("numbering goes on at 300");
        });
        assertThat(reopened.append(CrashingWriter.payload(300))).isEqualTo(300);
        assertNumbered(readAll(reopened, 0), 300, 300);

        close();
        open();
        assertThat(store.get(StreamName.of("cut")).append(CrashingWriter.payload(301))).isEqualTo(301);
    }

    /**
     * After a power cut, the files of a segment that was never synced come back empty, or zero from their start
     * (their size was set, their contents were not written): nothing of them is data. Opening must not wait for
     * Chronicle's "another process is still writing the header" timeout (10 s a file) on each of them.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void filesAPowerCutLeftEmptyOrZeroedAreOpenedAtOnce(boolean empty) throws IOException {
        open();
        appendNumbered(fileStream("zeroed"), 100);
        close();
        Path data = onlyDataFile("zeroed");
        Files.delete(data.resolveSibling(SegmentMeta.FILE_NAME));
        try (Stream<Path> files = Files.list(data.getParent())) {
            for (Path file : files.toList()) {
                long size = Files.size(file);
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(0);
                    if (!empty) {
                        raf.setLength(size);
                    }
                }
            }
        }

        long started = System.nanoTime();
        open();
        long millis = (System.nanoTime() - started) / 1_000_000;

        MessageStream stream = store.get(StreamName.of("zeroed"));
        assertThat(millis).as("ms to open").isLessThan(5_000);
        assertThat(readAll(stream, 0)).isEmpty();
        assertThat(stream.append(CrashingWriter.payload(0))).isZero();
        assertNumbered(readAll(stream, 0), 0, 0);
    }

    @Test
    void aSegmentWithoutMetadataIsScannedSealedAndContinued() throws IOException {
        open();
        appendNumbered(fileStream("unclean"), 300);
        close();
        Files.delete(onlyDataFile("unclean").resolveSibling(SegmentMeta.FILE_NAME)); // as after a crash

        open();

        MessageStream stream = store.get(StreamName.of("unclean"));
        assertThat(listener.losses()).isEmpty();
        assertThat(stream.info().newestSequenceNumber()).isEqualTo(299);
        assertThat(stream.info().totalSize().bytes())
                .isEqualTo(readAll(stream, 0).stream().mapToLong(m -> m.payload().length + 24L).sum());
        assertThat(stream.append(CrashingWriter.payload(300))).isEqualTo(300);
        assertThat(stream.info().segmentCount()).as("a recovered segment takes no more appends").isEqualTo(2);
        assertNumbered(readAll(stream, 0), 0, 300);
    }

    @Test
    void damageInsideASealedSegmentIsReportedOnReadAndSkipped() throws IOException {
        open();
        MessageStream stream = store.create(StreamDefinition.builder("sealed", StrategyOnFull.REJECT_NEW_DATA)
                .segmentSize(DataSize.ofKibibytes(4)).build());
        appendNumbered(stream, 200); // many 4 KiB segments
        close();
        Path firstSegmentData;
        try (Stream<Path> files = Files.walk(onlyDataFile("sealed").getParent().getParent())) {
            firstSegmentData = files.filter(f -> f.toString().endsWith(".cq4")).sorted().findFirst().orElseThrow();
        }
        long position = offsetOf(firstSegmentData, "msg-000010-");
        try (RandomAccessFile file = new RandomAccessFile(firstSegmentData.toFile(), "rw")) {
            // the record's sequence number field: the payload follows our header and the version 2 extension
            file.seek(position - RecordFormat.HEADER - RecordFormat.EXTENSION_FIXED);
            file.writeLong(0x7777_7777_7777_7777L);
        }

        open();
        MessageStream reopened = store.get(StreamName.of("sealed"));
        List<Message> read = readAll(reopened, 0);

        assertThat(listener.losses()).singleElement().satisfies(loss -> {
            assertThat(loss.first()).isEqualTo(10);
            assertThat(loss.cause()).contains("misplaced");
        });
        long resume = listener.losses().get(0).last() + 1;
        assertThat(resume).as("the rest of the first segment").isGreaterThan(11);
        assertNumbered(read.subList(0, 10), 0, 9);
        assertNumbered(read.subList(10, read.size()), resume, 199);
        assertNumbered(readAll(reopened, 10), resume, 199);
        assertThat(listener.losses()).as("reported once").hasSize(1);
    }

    @Test
    void aStreamThatCannotBeOpenedIsSetAsideAndTheOthersOpenNormally() throws IOException {
        open();
        appendNumbered(fileStream("good"), 10);
        fileStream("broken");
        close();
        Path brokenDir;
        try (Stream<Path> dirs = Files.list(root.resolve("streams"))) {
            brokenDir = dirs.filter(d -> d.getFileName().toString().startsWith("broken-")).findFirst().orElseThrow();
        }
        Files.writeString(brokenDir.resolve("stream.properties"), "format=1\nname=broken\nmaxSize=12\n");

        open();

        assertThat(store.list()).containsExactly(StreamName.of("good"));
        assertNumbered(readAll(store.get(StreamName.of("good")), 0), 0, 9);
        try (Stream<Path> dirs = Files.list(root.resolve("streams"))) {
            assertThat(dirs.map(d -> d.getFileName().toString()))
                    .anySatisfy(n -> assertThat(n).startsWith("broken-").endsWith(".quarantined"));
        }
    }

    @Test
    void oneStoreAtATimeMayOpenADirectory() {
        open();

        assertThatThrownBy(() -> StreamStore.open(settings(),
                new StoreServices(clock, clock, Runnable::run, listener)))
                .isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("store.lock");
    }

    @Test
    void appendsToFileStreamsFailWhenTheDiskIsBelowTheReserveAndMemoryStreamsCarryOn() {
        store = StreamStore.open(settings().withMinFreeDiskSpace(DataSize.ofGibibytes(1024 * 1024)),
                new StoreServices(clock, clock, Runnable::run, listener));
        MessageStream file = fileStream("on-disk");
        MessageStream memory = store.create(StreamDefinition.builder("in-memory", StrategyOnFull.REJECT_NEW_DATA)
                .persistence(Persistence.MEMORY).build());

        assertThatThrownBy(() -> file.append(CrashingWriter.payload(0)))
                .isInstanceOf(StoreWriteException.class)
                .hasMessageContaining("minFreeDiskSpace")
                .hasMessageContaining("1024 TiB");
        assertThat(file.info().newestSequenceNumber()).isEqualTo(-1);
        assertThat(memory.append(CrashingWriter.payload(0))).isZero();
    }

    // ------------------------------------------------------------------------------------------------ crashes

    /** Starts {@link CrashingWriter}, lets it acknowledge at least {@code atLeast} appends, kills it (SIGKILL). */
    private record WriterRun(long acked, long checkpoint) {
    }

    private WriterRun runAndKillWriter(long atLeast, boolean flushOnWrite, DataSize segmentSize) throws Exception {
        return runAndKillWriter(atLeast, flushOnWrite, segmentSize, 0, () -> { });
    }

    /**
     * @param batchSize records per atomic batch; 0 for single appends. In batch mode the kill comes on the writer's
     *                  next {@code writing} line after {@code atLeast} acknowledgements: while a batch is written
     */
    private WriterRun runAndKillWriter(long atLeast, boolean flushOnWrite, DataSize segmentSize, int batchSize,
            Runnable beforeKill) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle")) {
                command.add(argument);
            }
        }
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), CrashingWriter.class.getName(), root.toString(),
                Boolean.toString(flushOnWrite), Long.toString(segmentSize.bytes())));
        if (batchSize > 0) {
            command.add(Integer.toString(batchSize));
        }
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child died
            }
        });
        pump.setDaemon(true);
        pump.start();
        long acked = -1;
        long checkpoint = -1;
        try {
            while (true) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                if (line == null) {
                    throw new AssertionError("the writer stopped talking after ack " + acked);
                }
                if (line.startsWith("acked ")) {
                    acked = Long.parseLong(line.substring(6));
                } else if (line.startsWith("checkpoint ")) {
                    checkpoint = Long.parseLong(line.substring(11));
                }
                if (acked >= atLeast && (batchSize == 0 || line.startsWith("writing "))) {
                    beforeKill.run();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        pump.join(10_000);
        for (String line : lines) {
            if (line.startsWith("acked ")) {
                acked = Math.max(acked, Long.parseLong(line.substring(6)));
            } else if (line.startsWith("checkpoint ")) {
                checkpoint = Math.max(checkpoint, Long.parseLong(line.substring(11)));
            }
        }
        return new WriterRun(acked, checkpoint);
    }

    @Test
    void aKilledWriterLosesNoAcknowledgedMessage() throws Exception {
        long acked = runAndKillWriter(3000, false, DataSize.ofKibibytes(64)).acked(); // several segments

        open();

        MessageStream stream = store.get(StreamName.of(CrashingWriter.STREAM));
        long newest = stream.info().newestSequenceNumber();
        assertThat(newest).isGreaterThanOrEqualTo(acked);
        assertNumbered(readAll(stream, 0), 0, newest);
        assertThat(listener.losses()).isEmpty();
        assertNumbered(readAll(store.get(StreamName.of(CrashingWriter.BYSTANDER)), 0), 0, 9);
        assertThat(stream.append(CrashingWriter.payload(newest + 1))).isEqualTo(newest + 1);
    }

    /**
     * Batches of 100 records of 80 KiB (8 MB, so that writing a batch takes far longer than preparing it), the writer
     * killed (SIGKILL) as it starts writing one, up to ten times, until a kill has cut a batch: after each restart every
     * acknowledged batch is there and every batch is whole or absent. The Chronicle file is read raw to see whether
     * the kill cut a batch (more records in the file than the stream shows); at least one kill must have, or the
     * test would prove nothing.
     */
    @Test
    void aWriterKilledWhileWritingABatchLeavesEveryBatchWholeOrAbsent() throws Exception {
        int batch = 100;
        int cut = 0;
        // Chronicle's first open in this JVM takes a second or more: do it now, not while the writer runs on
        Path warmUp = Files.createTempDirectory("chronicle-warm-up");
        try (SingleChronicleQueue queue = new ChronicleQueues(1 << 20).open(warmUp);
                ExcerptTailer tailer = queue.createTailer()) {
            tailer.readingDocument().close();
        } finally {
            AtomicFiles.deleteRecursively(warmUp);
        }
        for (int attempt = 0; attempt < 10 && cut == 0; attempt++) {
            if (attempt > 0) {
                close();
                AtomicFiles.deleteRecursively(root);
                Files.createDirectories(root);
                listener = new RecordingStoreListener();
            }
            // kill once the file shows the batch under way: two of its records written, the rest still to come
            long acked = runAndKillWriter(2 * batch, false, DataSize.ofMebibytes(128), batch,
                    () -> awaitRawRecords(CrashingWriter.STREAM, 3L * batch + 2)).acked();
            long physical = rawRecordCount(CrashingWriter.STREAM);

            open();

            MessageStream stream = store.get(StreamName.of(CrashingWriter.STREAM));
            List<Message> read = readAll(stream, 0);
            assertThat((long) read.size()).as("every acknowledged record").isGreaterThan(acked);
            assertThat(read.size() % batch).as("whole batches only (%d records read)", read.size()).isZero();
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).sequenceNumber()).isEqualTo(i);
                assertThat(read.get(i).payload()).isEqualTo(CrashingWriter.batchPayload(i));
            }
            assertThat(listener.losses()).as("a batch cut short was never acknowledged: not a loss").isEmpty();
            assertThat(stream.appendBatch(io.github.edgestream.core.stream.AppendBatch.of(List.of(
                    io.github.edgestream.core.stream.AppendRecord.of(new byte[] {1})))).firstSequence())
                    .isEqualTo(read.size());
            if (physical > read.size()) {
                cut++;
            }
        }
        assertThat(cut).as("a kill landed inside a batch in at least one of ten attempts").isPositive();
    }

    /**
     * Waits (bounded, following the file with a tailer of its own, no sleep) until the stream's first segment holds at
     * least this many records: the writer keeps going meanwhile, so the kill that follows lands at an unplanned point.
     */
    private void awaitRawRecords(String stream, long count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (SingleChronicleQueue queue = new ChronicleQueues(1 << 20).open(onlyDataFile(stream).getParent());
                ExcerptTailer tailer = queue.createTailer()) {
            long seen = 0;
            while (seen < count) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (dc.isPresent()) {
                        seen++;
                        continue;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the writer never got to record " + count + " (saw " + seen + ")");
                }
                Thread.onSpinWait();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Records in every Chronicle data file of a stream's segments, read raw (whatever our metadata says). */
    private long rawRecordCount(String stream) throws IOException {
        Path segments = onlyDataFile(stream).getParent().getParent();
        List<Path> directories;
        try (Stream<Path> entries = Files.list(segments)) {
            directories = entries.filter(Files::isDirectory).toList();
        }
        long count = 0;
        for (Path directory : directories) {
            try (SingleChronicleQueue queue = new ChronicleQueues(1 << 20).open(directory);
                    ExcerptTailer tailer = queue.createTailer()) {
                while (true) {
                    try (DocumentContext dc = tailer.readingDocument()) {
                        if (!dc.isPresent()) {
                            break;
                        }
                        count++;
                    }
                }
            }
        }
        return count;
    }

    @Test
    void aKilledFlushOnWriteWriterLosesNoAcknowledgedMessage() throws Exception {
        long acked = runAndKillWriter(300, true, DataSize.ofKibibytes(64)).acked();

        open();

        MessageStream stream = store.get(StreamName.of(CrashingWriter.STREAM));
        assertThat(stream.info().newestSequenceNumber()).isGreaterThanOrEqualTo(acked);
        assertNumbered(readAll(stream, 0), 0, stream.info().newestSequenceNumber());
    }

    @Test
    void aCrashFollowedByATruncatedFileKeepsEveryMessageBeforeTheDamage() throws Exception {
        WriterRun run = runAndKillWriter(2500, false, DataSize.ofMebibytes(16)); // one segment: a crash
        Path data = onlyDataFile(CrashingWriter.STREAM);
        long cutAt = 1000;
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.setLength(offsetOf(data, String.format("msg-%06d-", cutAt)) + 2); // as if the tail never hit the disk
        }

        open();

        assertThat(run.checkpoint()).isGreaterThanOrEqualTo(2000);
        assertThat(listener.losses()).singleElement().satisfies(loss -> {
            assertThat(loss.stream()).isEqualTo(StreamName.of(CrashingWriter.STREAM));
            assertThat(loss.first()).isEqualTo(cutAt);
            assertThat(loss.last()).as("known up to the last checkpoint").isGreaterThanOrEqualTo(run.checkpoint() - 1);
        });
        MessageStream stream = store.get(StreamName.of(CrashingWriter.STREAM));
        assertNumbered(readAll(stream, 0), 0, cutAt - 1);
        assertNumbered(readAll(store.get(StreamName.of(CrashingWriter.BYSTANDER)), 0), 0, 9);
        long next = stream.append(CrashingWriter.payload(0));
        assertThat(next).as("numbers handed out before the checkpoint are not reused").isGreaterThanOrEqualTo(
                run.checkpoint());
    }

    @Test
    void readsWaitingOnAFileStreamSeeAppendsAfterARestart() {
        open();
        appendNumbered(fileStream("waiting"), 5);
        close();
        open();
        MessageStream stream = store.get(StreamName.of("waiting"));

        var read = stream.read(ReadRequest.of(5, 2, 10, Duration.ofMinutes(1))).toCompletableFuture();
        stream.append(CrashingWriter.payload(5));
        assertThat(read).isNotDone();
        stream.append(CrashingWriter.payload(6));

        assertNumbered(read.join(), 5, 6);
    }
}
