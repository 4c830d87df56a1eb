package io.github.edgestream.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A size-limited tmpfs mounted for one test, for a disk that really fills up. Mounting needs root (or
 * CAP_SYS_ADMIN); where it is not permitted, {@link #mount} skips the calling test and says why. Not thread-safe.
 */
final class Tmpfs implements AutoCloseable {

    private final Path mountpoint;
    private boolean mounted;

    private Tmpfs(Path mountpoint) {
        this.mountpoint = mountpoint;
        this.mounted = true;
    }

    /** Mounts a tmpfs of {@code mebibytes} on {@code mountpoint} (created), or skips the test with the reason. */
    static Tmpfs mount(Path mountpoint, int mebibytes) throws IOException, InterruptedException {
        Files.createDirectories(mountpoint);
        Result result = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0700", "tmpfs",
                mountpoint.toString()));
        Assumptions.assumeTrue(result.exit == 0, () -> "cannot mount a size-limited tmpfs here (mount needs root or"
                + " CAP_SYS_ADMIN; it said: " + result.output.trim() + "), so the disk-full test cannot run");
        return new Tmpfs(mountpoint);
    }

    Path path() {
        return mountpoint;
    }

    long usableBytes() throws IOException {
        return Files.getFileStore(mountpoint).getUsableSpace();
    }

    @Override
    public void close() throws IOException {
        if (!mounted) {
            return;
        }
        mounted = false;
        try {
            Result result = run(List.of("umount", mountpoint.toString()));
            if (result.exit != 0) {
                run(List.of("umount", "-l", mountpoint.toString()));
                throw new IOException("umount " + mountpoint + " failed (" + result.output.trim()
                        + "); unmounted lazily");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mountpoint, e);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return new Result(-1, command.get(0) + " cannot be run: " + notInstalled.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, String.join(" ", command) + " timed out");
        }
        return new Result(process.exitValue(), output);
    }
}
