package io.github.edgestream.exporter.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Mount tables as systemd leaves them for a unit with PrivateTmp=yes and ProtectHome=yes, and without. */
class SandboxHintsTest {

    private static final String PLAIN = """
            27 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw
            22 27 0:21 / /proc rw,relatime - proc proc rw
            30 27 0:30 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw
            """;
    private static final String SANDBOXED = PLAIN + """
            712 690 254:1 /tmp/systemd-private-3f2a9c-edgestream.service-Kq1x2Z/tmp /tmp rw,nosuid,nodev - ext4 /dev/vda1 rw
            713 690 254:1 /var/tmp/systemd-private-3f2a9c-edgestream.service-aB3cD4/tmp /var/tmp rw - ext4 /dev/vda1 rw
            715 690 0:25 /systemd/inaccessible/dir /home ro,nosuid,nodev,noexec - tmpfs tmpfs rw,mode=755
            716 690 0:25 /systemd/inaccessible/dir /root ro,nosuid,nodev,noexec - tmpfs tmpfs rw,mode=755
            """;

    @Test
    void aPrivateTmpExplainsAMissingFileUnderTmpAndVarTmpOnly() {
        var hints = new SandboxHints(SANDBOXED);

        assertThat(hints.whyInvisible(Path.of("/tmp/upload.csv"))).get().asString()
                .contains("private /tmp").contains("PrivateTmp=yes").contains("systemctl edit edgestream");
        assertThat(hints.whyInvisible(Path.of("/var/tmp/a/b.bin"))).get().asString().contains("PrivateTmp=yes");
        assertThat(hints.whyInvisible(Path.of("/var/lib/app/outbox/upload.csv"))).isEmpty();
        assertThat(hints.whyInvisible(Path.of("/tmpfiles/x"))).isEmpty();
    }

    @Test
    void protectHomeExplainsAMissingFileUnderHomeAndRoot() {
        var hints = new SandboxHints(SANDBOXED);

        assertThat(hints.whyInvisible(Path.of("/home/pi/data.csv"))).get().asString().contains("ProtectHome=yes");
        assertThat(hints.whyInvisible(Path.of("/root/data.csv"))).get().asString().contains("ProtectHome=yes");
    }

    @Test
    void withoutASandboxNothingIsExplained() {
        var hints = new SandboxHints(PLAIN);

        assertThat(hints.whyInvisible(Path.of("/tmp/upload.csv"))).isEmpty();
        assertThat(hints.whyInvisible(Path.of("/home/pi/data.csv"))).isEmpty();
        assertThat(new SandboxHints("").whyInvisible(Path.of("/tmp/x"))).isEmpty();
    }
}
