package io.github.edgestream.fault;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** powercutfs against its durability model: what an fsync keeps, what a cut drops, and that a cut is final. */
class PowerCutFsTest {

    private static final int PAGE = 4096;

    @TempDir
    Path temp;

    private Path backing;
    private Path mnt;
    private PowerCutFs fs;

    // per test rather than @BeforeAll, so that each test is reported as skipped, with the reason
    @BeforeEach
    void mount() throws Exception {
        PowerCutFs.assumeAvailable();
        backing = Files.createDirectories(temp.resolve("backing"));
        mnt = Files.createDirectories(temp.resolve("mnt"));
        fs = PowerCutFs.mount(backing, mnt);
    }

    @AfterEach
    void unmount() {
        if (fs == null) {
            return;   // skipped
        }
        fs.close();
        assertThat(fs.output()).doesNotContain("cannot");
    }

    /** Cuts, unmounts and mounts the same backing directory again; returns the cut's line. */
    private String cutAndRemount() throws Exception {
        String cut = fs.cut();
        fs.unmount();
        fs.close();
        fs = PowerCutFs.mount(backing, mnt);
        return cut;
    }

    private static void write(Path file, long position, String text, boolean fsync) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes, position + bytes.position());
            }
            if (fsync) {
                channel.force(true);
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, US_ASCII);
    }

    // unmapping now rather than at some GC, so that the mount can be unmounted: Unsafe.invokeCleaner, by reflection
    private static void unmap(MappedByteBuffer buffer) throws Exception {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        unsafeClass.getMethod("invokeCleaner", ByteBuffer.class).invoke(theUnsafe.get(null), buffer);
    }

    @Test
    void anFsyncedWriteSurvivesACutAndARemount() throws Exception {
        write(mnt.resolve("a"), 0, "durable", true);

        String cut = cutAndRemount();

        assertThat(cut).contains("cut_files=0", "cut_bytes=0");
        assertThat(read(mnt.resolve("a"))).isEqualTo("durable");
        assertThat(read(backing.resolve("a"))).isEqualTo("durable");
    }

    @Test
    void anUnsyncedOverwriteIsLostAndTheOldContentComesBack() throws Exception {
        Path file = mnt.resolve("a");
        write(file, 0, "A".repeat(6000), true);
        write(file, 100, "B".repeat(5000), false);   // pages 0 and 1
        assertThat(read(file)).contains("B");

        String cut = cutAndRemount();

        assertThat(cut).contains("cut_files=1", "cut_pages=2", "cut_bytes=5000");
        assertThat(read(file)).isEqualTo("A".repeat(6000));
    }

    @Test
    void aFileGrownWithoutFsyncGoesBackToItsDurableSize() throws Exception {
        Path file = mnt.resolve("a");
        write(file, 0, "A".repeat(5000), true);
        write(file, 5000, "C".repeat(10000), false);

        String cut = cutAndRemount();

        assertThat(cut).contains("cut_files=1", "cut_pages=0", "cut_bytes=10000");
        assertThat(read(file)).isEqualTo("A".repeat(5000));
    }

    @Test
    void aFileCreatedAndNeverSyncedComesBackEmptyButPresent() throws Exception {
        Files.createDirectories(mnt.resolve("dir"));
        write(mnt.resolve("dir/a"), 0, "hello", false);

        cutAndRemount();

        assertThat(mnt.resolve("dir/a")).exists().isEmptyFile();
    }

    @Test
    void aTruncateIsDurableAtOnceAndWhatItUncoversReadsAsZeros() throws Exception {
        Path file = mnt.resolve("a");
        write(file, 0, "A".repeat(100), true);
        write(file, 100, "B".repeat(9000), false);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(50);   // durable: 50 bytes of A
        }
        write(file, 0, "D".repeat(20), false);
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8000);   // durable: 50 bytes of A, then zeros
        }
        write(file, 1000, "E".repeat(3000), false);
        write(file, 8000, "G".repeat(2000), false);
        try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(12000);   // durable: the unsynced G bytes below the new size read as zeros
        }

        cutAndRemount();

        assertThat(read(file)).isEqualTo("A".repeat(50) + "\0".repeat(11950));
    }

    @Test
    void aRenameOfASyncedFileSurvivesAndTakesItsUnsyncedWritesAlong() throws Exception {
        write(mnt.resolve("a.tmp"), 0, "old", true);
        Files.move(mnt.resolve("a.tmp"), mnt.resolve("a.dat"), StandardCopyOption.ATOMIC_MOVE);
        write(mnt.resolve("b.tmp"), 0, "first", true);
        write(mnt.resolve("b.tmp"), 0, "SECOND", false);
        Files.move(mnt.resolve("b.tmp"), mnt.resolve("b.dat"), StandardCopyOption.ATOMIC_MOVE);
        Files.createDirectories(mnt.resolve("dir"));
        write(mnt.resolve("dir/c"), 0, "third", true);
        write(mnt.resolve("dir/c"), 5, "+unsynced", false);
        Files.move(mnt.resolve("dir"), mnt.resolve("dir2"), StandardCopyOption.ATOMIC_MOVE);

        cutAndRemount();

        assertThat(mnt.resolve("a.tmp")).doesNotExist();
        assertThat(read(mnt.resolve("a.dat"))).isEqualTo("old");
        assertThat(mnt.resolve("b.tmp")).doesNotExist();
        assertThat(read(mnt.resolve("b.dat"))).isEqualTo("first");
        assertThat(mnt.resolve("dir")).doesNotExist();
        assertThat(read(mnt.resolve("dir2/c"))).isEqualTo("third");
    }

    @Test
    void mappedWritesSurviveWithForceAndAreLostWithoutEvenWhenWrittenBackBeforeTheCut() throws Exception {
        Path file = mnt.resolve("m");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, 16 * PAGE);
            for (int i = 0; i < 3 * PAGE; i++) {
                map.put(i, (byte) 'F');
            }
            map.force();
            for (int i = 2 * PAGE + 100; i < 6 * PAGE; i++) {
                map.put(i, (byte) 'U');
            }
            unmap(map);
        }   // closing writes the dirty pages back (FUSE flush), without an fsync
        assertThat(read(backing.resolve("m"))).contains("U");
        assertThat(fs.stat("undo_pages")).isEqualTo(4);

        String cut = cutAndRemount();

        assertThat(cut).contains("cut_files=1", "cut_pages=4", "cut_bytes=" + (4 * PAGE - 100));
        assertThat(read(file)).isEqualTo("F".repeat(3 * PAGE) + "\0".repeat(13 * PAGE));
    }

    @Test
    void writesAfterACutChangeNothing() throws Exception {
        Path file = mnt.resolve("a");
        write(file, 0, "before".repeat(1000), true);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, PAGE);
            map.put(0, (byte) 'M');   // dirty in the page cache: the kernel writes it back after the cut
            fs.cut();

            assertThat(channel.write(ByteBuffer.wrap("after".getBytes(US_ASCII)), 0)).isEqualTo(5);
            channel.truncate(2);
            channel.write(ByteBuffer.wrap("appended".getBytes(US_ASCII)), 6000);
            channel.force(true);
            unmap(map);
        }
        write(file, 0, "again", true);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
        assertThatThrownBy(() -> write(mnt.resolve("new"), 0, "x", true)).hasMessageContaining("Read-only");
        assertThatThrownBy(() -> Files.delete(file)).hasMessageContaining("Read-only");
        assertThat(fs.stat("tracked_files")).isZero();
        fs.unmount();

        assertThat(read(backing.resolve("a"))).isEqualTo("before".repeat(1000));
        assertThat(Files.getLastModifiedTime(backing.resolve("a")).toMillis()).isNotZero();
        assertThat(backing.resolve("new")).doesNotExist();
    }

    @Test
    void aSecondMountOfTheBackingDirectorySeesTheDroppedStateAndIsNotFrozen() throws Exception {
        write(mnt.resolve("kept"), 0, "kept", true);
        write(mnt.resolve("lost"), 0, "lost", false);
        fs.cut();
        fs.unmount();
        Path mnt2 = Files.createDirectories(temp.resolve("mnt2"));

        try (PowerCutFs second = PowerCutFs.mount(backing, mnt2)) {
            assertThat(read(mnt2.resolve("kept"))).isEqualTo("kept");
            assertThat(mnt2.resolve("lost")).isEmptyFile();
            assertThat(second.stat("frozen")).isZero();
            write(mnt2.resolve("lost"), 0, "found", true);
            write(mnt2.resolve("new"), 0, "new", false);
            assertThat(second.cut()).contains("cut_files=1", "cut_bytes=3");
            second.unmount();
        }

        assertThat(read(backing.resolve("lost"))).isEqualTo("found");
        assertThat(backing.resolve("new")).isEmptyFile();
    }

    @Test
    void aBusyMountIsNotUnmountedButCloseStopsItAnywayAndSaysSo() throws Exception {
        Path mnt2 = Files.createDirectories(temp.resolve("mnt2"));
        PowerCutFs second = PowerCutFs.mount(backing, mnt2);
        FileChannel open = FileChannel.open(mnt2.resolve("a"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            assertThatThrownBy(second::unmount).isInstanceOf(IOException.class).hasMessageContaining("busy");

            assertThatThrownBy(second::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("unmounted lazily");
            assertThat(PowerCutFs.mounts(second.mountpoint())).isZero();
            second.close();   // idempotent
        } finally {
            assertThatThrownBy(open::close).hasMessageContaining("Transport endpoint is not connected");
        }
        assertThatThrownBy(() -> PowerCutFs.mount(backing.resolve("missing"), mnt2))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        Files.writeString(temp.resolve("file"), "not a directory");
        assertThatThrownBy(() -> PowerCutFs.mount(backing, temp.resolve("file"))).isInstanceOf(IOException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> PowerCutFs.mount(backing, mnt)).isInstanceOf(IOException.class)
                .hasMessageContaining("mounted on already");
    }

    // about what a JVM writing a Chronicle Queue does: 50 MiB through a mapping, forced, then all of it again, not
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fiftyMegabytesThroughAMappingTakeSecondsNotMinutes() throws Exception {
        int size = 50 << 20;
        Path file = mnt.resolve("big");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            for (int i = 0; i < size; i += 8) {
                map.putLong(i, i);
            }
            map.force();
            for (int i = 0; i < size; i += 8) {
                map.putLong(i, -1);
            }
            unmap(map);
        }
        assertThat(fs.stat("undo_pages")).isEqualTo(size / PAGE);

        String cut = cutAndRemount();

        assertThat(cut).contains("cut_pages=" + size / PAGE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            for (int i = 0; i < size; i += 8) {
                if (map.getLong(i) != i) {
                    throw new AssertionError("at " + i + ": " + map.getLong(i));
                }
            }
            unmap(map);
        }
    }
}
