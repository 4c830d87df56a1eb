package io.github.edgestream.exporter.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why a file a program named may exist for that program and not for the daemon: systemd's sandboxing of the
 * daemon's unit. The shipped unit runs the daemon with {@code PrivateTmp=yes} (its own /tmp and /var/tmp) and
 * {@code ProtectHome=yes} (/home, /root and /run/user inaccessible), so a task naming {@code /tmp/upload.csv}, as the
 * AWS samples do, finds no file. Read from the daemon's mount table ({@code /proc/self/mountinfo}):
 *
 * <pre>
 * 712 690 254:1 /tmp/systemd-private-3f..-edgestream.service-Kq..../tmp /tmp rw,nosuid,nodev - ext4 /dev/vda1 rw
 *               ^ root: a systemd-private directory                    ^ mount point
 * 715 690 0:25 /systemd/inaccessible/dir /home ro,nosuid,nodev,noexec - tmpfs tmpfs rw,mode=755
 * </pre>
 *
 * Thread-safe: immutable.
 */
final class SandboxHints {

    private static final SandboxHints OF_THIS_PROCESS = read(Path.of("/proc/self/mountinfo"));

    private final boolean privateTmp;
    private final boolean protectHome;

    SandboxHints(String mountinfo) {
        boolean tmp = false;
        boolean home = false;
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            String root = fields[3];
            String mountPoint = fields[4];
            if ((mountPoint.equals("/tmp") || mountPoint.equals("/var/tmp")) && root.contains("/systemd-private-")) {
                tmp = true;
            }
            if ((mountPoint.equals("/home") || mountPoint.equals("/root") || mountPoint.equals("/run/user"))
                    && root.contains("inaccessible")) {
                home = true;
            }
        }
        this.privateTmp = tmp;
        this.protectHome = home;
    }

    static SandboxHints ofThisProcess() {
        return OF_THIS_PROCESS;
    }

    private static SandboxHints read(Path mountinfo) {
        try {
            return new SandboxHints(Files.readString(mountinfo));
        } catch (IOException | RuntimeException e) {
            return new SandboxHints(""); // not Linux, or no /proc: no hints
        }
    }

    /** Why {@code file} (absolute, normalised) cannot be seen by the daemon, if its sandbox explains it. */
    Optional<String> whyInvisible(Path file) {
        if (privateTmp && (file.startsWith("/tmp") || file.startsWith("/var/tmp"))) {
            return Optional.of("the daemon runs with a private /tmp (systemd PrivateTmp=yes, as the shipped unit"
                    + " sets), so what other programs write to /tmp and /var/tmp is not visible to it: write upload"
                    + " files to a directory both can reach and the edgestream user can read (e.g."
                    + " /var/lib/<your-app>/outbox), or set PrivateTmp=no with systemctl edit edgestream");
        }
        if (protectHome && (file.startsWith("/home") || file.startsWith("/root") || file.startsWith("/run/user"))) {
            return Optional.of("the daemon runs with ProtectHome=yes (as the shipped unit sets), so /home, /root and"
                    + " /run/user are not visible to it: write upload files elsewhere (e.g. /var/lib/<your-app>/outbox),"
                    + " or relax ProtectHome with systemctl edit edgestream");
        }
        return Optional.empty();
    }
}
