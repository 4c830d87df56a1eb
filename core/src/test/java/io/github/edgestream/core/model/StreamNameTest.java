package io.github.edgestream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamNameTest {

    @Test
    void thePortableRuleIsTheGreengrassSdksRule() {
        assertThat(StreamName.of("Line 1, sensors_2.a-b").isPortable()).isTrue();
        assertThatThrownBy(() -> StreamName.of("orders/eu")).hasMessageContaining("orders/eu")
                .hasMessageContaining(StreamName.RULE);
        assertThatThrownBy(() -> StreamName.of("x".repeat(256))).hasMessageContaining("1 to 255 characters");
        assertThat(StreamName.check("name", "")).isPresent();
    }

    @Test
    void theStoresRuleTakesAnyUtf8UpTo512BytesWithoutNul() {
        assertThat(StreamName.anyOf("orders/eu-1").isPortable()).isFalse();
        assertThat(StreamName.anyOf("\u00e9".repeat(256)).value()).hasSize(256); // 512 bytes
        assertThatThrownBy(() -> StreamName.anyOf("\u00e9".repeat(256) + "x")).hasMessageContaining(
                StreamName.ANY_RULE);
        assertThat(StreamName.anyOf("x".repeat(512)).value()).hasSize(512);
        assertThatThrownBy(() -> StreamName.anyOf("x".repeat(513))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamName.anyOf("a\0b")).hasMessageContaining("a\\u0000b")
                .hasMessageContaining("without NUL");
        assertThatThrownBy(() -> StreamName.anyOf("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamName.anyOf("bad\ud800")).as("unpaired surrogate")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StreamName.anyOf("\ud83d\ude00").value()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void everyPortableNameIsValidByTheStoresRule() {
        String portable = "Ab 0_-.," + "z".repeat(247);
        assertThat(StreamName.of(portable)).isEqualTo(StreamName.anyOf(portable));
    }
}
