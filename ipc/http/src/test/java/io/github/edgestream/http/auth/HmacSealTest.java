package io.github.edgestream.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HmacSealTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final HmacSeal seal = new HmacSeal(SECRET);

    @Test
    void whatWasSealedOpensUnchangedAndIsUrlSafe() {
        byte[] data = "position 42 of stream événements".getBytes(StandardCharsets.UTF_8);
        byte[] padded = java.util.Arrays.copyOf(data, data.length + 9);

        String sealed = seal.seal(padded, data.length);

        assertThat(sealed).matches("[A-Za-z0-9_-]+");
        assertThat(seal.open(sealed)).hasValueSatisfying(opened -> assertThat(opened).isEqualTo(data));
    }

    @Test
    void anyChangedBitAnotherSecretOrTooShortATextDoesNotOpen() {
        String sealed = seal.seal(new byte[] {1, 2, 3, 4}, 4);
        byte[] bytes = Base64.getUrlDecoder().decode(sealed);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] changed = bytes.clone();
            changed[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(seal.open(Base64.getUrlEncoder().withoutPadding().encodeToString(changed))).as("bit %d", bit)
                    .isEmpty();
        }
        HmacSeal other = new HmacSeal("another secret of 32 bytes or so!".getBytes(StandardCharsets.US_ASCII));
        assertThat(other.open(sealed)).isEmpty();
        assertThat(seal.open(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]))).isEmpty();
        assertThat(seal.open("not base64url!")).isEmpty();
        assertThatThrownBy(() -> new HmacSeal(new byte[31])).hasMessageContaining("at least 32");
    }
}
