package io.github.edgestream.api.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cursors are URL-safe, carry what they were issued with, expire after five minutes, and cannot be forged. */
class OciCursorsTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    private final ManualClock clock = ManualClock.startingAt2026();
    private final OciCursors cursors = new OciCursors(SECRET, clock);
    private final OciCursors.Target target = new OciCursors.Target(Namespace.of("oci.pool"), "événements/eu",
            1_700_000_000_123L);

    @Test
    void aPartitionCursorReadsBackWhatItWasIssuedWith() {
        String cursor = cursors.issue(new OciCursors.PartitionCursor(target, 7, 123_456_789L));

        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        OciCursors.Decoded decoded = cursors.read(cursor);
        assertThat(decoded.group()).isNull();
        assertThat(decoded.partition()).isEqualTo(new OciCursors.PartitionCursor(target, 7, 123_456_789L));
    }

    @Test
    void aGroupCursorOf256PartitionsFitsTheLimitAndReadsBack() {
        List<OciCursors.Held> held = new ArrayList<>();
        for (int p = 0; p < 256; p++) {
            held.add(new OciCursors.Held(p, Long.MAX_VALUE - p, p * 1000L));
        }
        OciCursors.GroupCursor group = new OciCursors.GroupCursor(target, "g".repeat(128), "i".repeat(128), 30_000,
                true, 255, held);

        String cursor = cursors.issue(group);

        assertThat(cursor.length()).isLessThanOrEqualTo(OciCursors.MAX_LENGTH);
        assertThat(cursors.read(cursor).group()).isEqualTo(group);
    }

    @Test
    void aCursorExpiresFiveMinutesAfterItWasIssued() {
        String cursor = cursors.issue(new OciCursors.PartitionCursor(target, 0, 1));
        clock.advance(OciCursors.TTL);
        assertThat(cursors.read(cursor).partition().position()).isEqualTo(1);

        clock.advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> cursors.read(cursor))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("the cursor expired")
                .hasMessageContaining("5 minutes");
    }

    @Test
    void everyChangedByteAndEveryTruncationIsRefused() {
        String cursor = cursors.issue(new OciCursors.PartitionCursor(target, 2, 99));
        byte[] bytes = Base64.getUrlDecoder().decode(cursor);
        for (int i = 0; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] ^= 0x01;
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
            assertThatThrownBy(() -> cursors.read(forged)).as("byte %d changed", i)
                    .isInstanceOf(OciException.class).hasMessageContaining("not valid");
        }
        for (int length = 0; length < bytes.length; length++) {
            String cut = Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> cursors.read(cut)).as("cut to %d bytes", length)
                    .isInstanceOf(OciException.class);
        }
    }

    @Test
    void aCursorOfAnotherSecretOrNotBase64IsRefused() {
        String foreign = new OciCursors("another secret of at least 32 bytes!".getBytes(), clock)
                .issue(new OciCursors.PartitionCursor(target, 0, 0));

        assertThatThrownBy(() -> cursors.read(foreign)).hasMessageContaining("not issued by this gateway");
        assertThatThrownBy(() -> cursors.read("not+base64/url")).hasMessageContaining("not valid");
        assertThatThrownBy(() -> cursors.read("")).hasMessage("cursor is required");
        assertThatThrownBy(() -> cursors.read("A".repeat(OciCursors.MAX_LENGTH + 1)))
                .hasMessageContaining("8193 characters");
    }
}
