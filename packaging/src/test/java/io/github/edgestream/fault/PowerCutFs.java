package io.github.edgestream.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A power cut for tests: powercutfs ({@code src/test/c/powercutfs.c}), a FUSE file system of our own, mounted over a
 * backing directory. It passes everything through to the backing directory and keeps what a crash would take away:
 * the contents written to each file since that file's last fsync (names, sizes set by truncate and modes are durable
 * at once, as on a journaling file system). {@link #cut()} puts the backing files back to their durable state and
 * freezes the mount, so that pages the kernel writes back later change nothing; after {@link #unmount()}, the
 * backing directory, or a new {@link #mount} of it, holds what survived the power cut. This is the approach of
 * LazyFS.
 *
 * <p>A fault test calls {@link #assumeAvailable()} (it skips the test when gcc, pkg-config's fuse3, fusermount3,
 * /dev/fuse or mounting are not available), mounts, runs the daemon on the mount point, kills it with SIGKILL, cuts,
 * unmounts, mounts again and restarts the daemon. The C source is compiled into {@code target/powercutfs/} when the
 * binary is missing or older than the source; tests run with the module directory as working directory.
 *
 * <p>What counts as unsynced: everything written since the file's last fsync, also pages of a shared mapping that the
 * kernel wrote back on its own (at the latest when the file is closed); {@code FileChannel.force} and
 * {@code MappedByteBuffer.force} are fsyncs. After a cut, creating, renaming or deleting names on the frozen mount
 * fails with "Read-only file system", and reads through it may still come from the page cache: look at the backing
 * directory or a new mount. The mount uses {@code -o default_permissions}, so that the kernel checks permission bits
 * as on a real file system (powercutfs checks none itself); without {@code allow_other}, only the user who mounted it
 * can use the mount, so run the daemon as the test's user.
 *
 * <p>Not thread-safe; one instance per mount, used by one test thread. Errors: {@link #mount} throws
 * {@link IOException} with the file system's output when it exits or does not mount in time; {@link #cut()} and
 * {@link #unmount()} throw it when the control file or fusermount3 fail (for example, unmounting while a file is still
 * open or mapped: "Device or resource busy"). {@link #close()} unmounts whatever happened, lazily and by killing the
 * process if it must, and then throws {@link IllegalStateException} if it had to.
 */
public final class PowerCutFs implements AutoCloseable {

    private static final String SOURCE = "src/test/c/powercutfs.c";
    private static final String TYPE = "fuse.powercutfs";
    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration UNMOUNT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern STAT = Pattern.compile("(\\w+)=(\\d+)");

    private static String skipReason;
    private static boolean probed;

    private final Path backing;
    private final Path mountpoint;
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private boolean mounted;
    private boolean closed;

    private PowerCutFs(Path backing, Path mountpoint, Process process) {
        this.backing = backing;
        this.mountpoint = mountpoint;
        this.process = process;
        Thread reader = new Thread(this::collect, "powercutfs-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Mounts powercutfs over {@code backing} (an existing directory) on {@code mountpoint} (an existing directory,
     * not mounted on yet) and waits until the mount is there.
     */
    public static PowerCutFs mount(Path backing, Path mountpoint) throws IOException, InterruptedException {
        Path binary = binary();
        Path realBacking = backing.toRealPath();
        Path realMountpoint = mountpoint.toRealPath();
        for (Path directory : List.of(realBacking, realMountpoint)) {
            if (!Files.isDirectory(directory)) {
                throw new IOException("not a directory: " + directory);
            }
        }
        if (mounts(realMountpoint) > 0) {
            throw new IOException(realMountpoint + " is mounted on already");
        }
        Process process = new ProcessBuilder(binary.toString(), realBacking.toString(), realMountpoint.toString(),
                "-f", "-o", "default_permissions").redirectErrorStream(true).start();
        PowerCutFs fs = new PowerCutFs(realBacking, realMountpoint, process);
        long deadline = System.nanoTime() + MOUNT_TIMEOUT.toNanos();
        while (mounts(realMountpoint) == 0) {
            // waits for the process to end, or 10 ms: the mount table gives no event to wait on
            if (process.waitFor(10, TimeUnit.MILLISECONDS) || System.nanoTime() > deadline) {
                fs.closed = true;
                fs.stop();
                throw new IOException("powercutfs did not mount " + realMountpoint + " ("
                        + (process.isAlive() ? "timeout" : "it exited with " + process.exitValue())
                        + "); its output:\n" + fs.output());
            }
        }
        fs.mounted = true;
        return fs;
    }

    /** Skips the calling test, with the reason, when powercutfs cannot be built or mounted here. */
    public static void assumeAvailable() throws IOException, InterruptedException {
        String reason = skipReason();
        Assumptions.assumeTrue(reason == null, reason);
    }

    /**
     * Why powercutfs cannot be used here, or null if it can: checks the tools, compiles it and mounts it once on
     * temporary directories. A compiler error in the source is thrown as {@link IllegalStateException}, not skipped.
     */
    public static synchronized String skipReason() throws IOException, InterruptedException {
        if (!probed) {
            skipReason = probe();
            probed = true;
        }
        return skipReason;
    }

    private static String probe() throws IOException, InterruptedException {
        Path fuse = Path.of("/dev/fuse");
        if (!Files.exists(fuse)) {
            return "/dev/fuse does not exist (no FUSE in this kernel or container)";
        }
        if (!Files.isReadable(fuse) || !Files.isWritable(fuse)) {
            return "/dev/fuse is not readable and writable for this user";
        }
        if (run(List.of("gcc", "--version")) == null) {
            return "gcc is not installed";
        }
        Result flags = run(List.of("pkg-config", "--cflags", "--libs", "fuse3"));
        if (flags == null || flags.exit != 0) {
            return "pkg-config does not know fuse3 (apt-get install pkg-config libfuse3-dev)";
        }
        Result fusermount = run(List.of("fusermount3", "-V"));
        if (fusermount == null || fusermount.exit != 0) {
            return "fusermount3 is not installed (apt-get install fuse3)";
        }
        binary();
        Path backing = Files.createTempDirectory("powercutfs-probe-backing");
        Path mountpoint = Files.createTempDirectory("powercutfs-probe-mnt");
        try (PowerCutFs fs = mount(backing, mountpoint)) {
            fs.unmount();
            return null;
        } catch (IOException e) {
            return "mounting a FUSE file system failed: " + e.getMessage();
        } finally {
            Files.deleteIfExists(mountpoint);
            Files.deleteIfExists(backing);
        }
    }

    /** The binary, compiled from the source if it is missing or older. */
    static synchronized Path binary() throws IOException, InterruptedException {
        Path source = Path.of(SOURCE);
        if (!Files.exists(source)) {
            source = Path.of("packaging").resolve(SOURCE);   // run from the repository root
        }
        if (!Files.exists(source)) {
            throw new IllegalStateException("no " + SOURCE + " under " + Path.of("").toAbsolutePath());
        }
        source = source.toAbsolutePath();
        Path directory = source.getParent().getParent().getParent().getParent().resolve("target").resolve("powercutfs");
        Path binary = directory.resolve("powercutfs");
        if (Files.isExecutable(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Files.createDirectories(directory);
        Result flags = run(List.of("pkg-config", "--cflags", "--libs", "fuse3"));
        if (flags == null || flags.exit != 0) {
            throw new IllegalStateException("pkg-config does not know fuse3: " + (flags == null ? "" : flags.output));
        }
        Path partial = directory.resolve("powercutfs." + ProcessHandle.current().pid() + ".tmp");
        List<String> gcc = new ArrayList<>(List.of("gcc", "-Wall", "-Wextra", "-O2", "-o", partial.toString(),
                source.toString()));
        gcc.addAll(List.of(flags.output.trim().split("\\s+")));
        Result compiled = run(gcc);
        if (compiled == null || compiled.exit != 0) {
            throw new IllegalStateException("compiling " + source + " failed:\n"
                    + (compiled == null ? "gcc is not installed" : compiled.output));
        }
        Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return binary;
    }

    /** The mount point (its real path). */
    public Path mountpoint() {
        return mountpoint;
    }

    /** The backing directory (its real path). */
    public Path backing() {
        return backing;
    }

    /**
     * The power cut: drops every file's contents written since its last fsync and freezes the mount. Returns the
     * control file's line after it, e.g. {@code frozen=1 tracked_files=0 undo_pages=0 cut_files=2 cut_pages=1
     * cut_bytes=5000}.
     */
    public String cut() throws IOException {
        Files.writeString(control(), "cut\n");
        String stats = stats();
        if (stat(stats, "frozen") != 1) {
            throw new IOException("powercutfs did not cut: " + stats);
        }
        return stats;
    }

    /** The control file's line: {@code frozen}, {@code tracked_files}, {@code undo_pages} and the last cut's counts. */
    public String stats() throws IOException {
        return Files.readString(control()).trim();
    }

    /** One number of {@link #stats()}. */
    public long stat(String name) throws IOException {
        return stat(stats(), name);
    }

    private static long stat(String stats, String name) {
        Matcher matcher = STAT.matcher(stats);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return Long.parseLong(matcher.group(2));
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + stats);
    }

    private Path control() {
        return mountpoint.resolve(".powercut");
    }

    /** Unmounts (fusermount3 -u) and waits for the process to exit; does nothing if unmounted already. */
    public void unmount() throws IOException, InterruptedException {
        if (!mounted) {
            return;
        }
        Result result = run(List.of("fusermount3", "-u", mountpoint.toString()));
        if (result == null || result.exit != 0) {
            throw new IOException("fusermount3 -u " + mountpoint + " failed: "
                    + (result == null ? "not installed" : result.output));
        }
        if (!process.waitFor(UNMOUNT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("powercutfs did not exit after the unmount; its output:\n" + output());
        }
        mounted = false;
        if (process.exitValue() != 0) {
            throw new IOException("powercutfs exited with " + process.exitValue() + "; its output:\n" + output());
        }
    }

    /** Unmounts if still mounted, lazily and by killing the process if it must; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        String forced = null;
        try {
            unmount();
        } catch (IOException e) {
            forced = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forced = "interrupted";
        }
        if (forced == null && !process.isAlive()) {
            return;
        }
        String problem = stop();
        throw new IllegalStateException("powercutfs on " + mountpoint + " had to be unmounted lazily and stopped: "
                + (forced == null ? "it did not exit" : forced) + (problem == null ? "" : "; then " + problem));
    }

    /** Lazy unmount, SIGTERM, SIGKILL, lazy unmount: whatever it takes. Returns a problem it met, or null. */
    private String stop() {
        try {
            if (mounts(mountpoint) > 0) {
                run(List.of("fusermount3", "-u", "-z", mountpoint.toString()));
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (mounts(mountpoint) > 0) {
                run(List.of("fusermount3", "-u", "-z", mountpoint.toString()));
            }
            return null;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        } finally {
            mounted = false;
        }
    }

    /** What the process wrote to stdout and stderr so far. */
    public synchronized String output() {
        return String.join("\n", output);
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (this) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended: its pipe is closed
        }
    }

    /** How many times a powercutfs is mounted on mountpoint, from /proc/self/mounts. */
    static int mounts(Path mountpoint) throws IOException {
        int count = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 2 && fields[2].equals(TYPE) && unescape(fields[1]).equals(mountpoint.toString())) {
                count++;
            }
        }
        return count;
    }

    // the mount table writes space, tab, newline and backslash as \040, \011, \012, \134
    private static String unescape(String field) {
        Matcher matcher = Pattern.compile("\\\\([0-7]{3})").matcher(field);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(matcher.group(1), 8))));
        }
        return matcher.appendTail(out).toString();
    }

    private record Result(int exit, String output) {
    }

    /** Runs a tool to its end (bounded) with its output in a file; null if it cannot be started. */
    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("powercutfs-tool", ".log");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                return null;   // not installed
            }
            if (!process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, String.join(" ", command) + " timed out");
            }
            return new Result(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
