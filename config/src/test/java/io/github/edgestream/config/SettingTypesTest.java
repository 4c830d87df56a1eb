package io.github.edgestream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingTypesTest {

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({"0, 0", "5242880, 5242880", "512KiB, 524288", "16MiB, 16777216", "16 mib, 16777216",
            "1GiB, 1073741824", "2TiB, 2199023255552", "64MB, 64000000", "1kb, 1000", "3GB, 3000000000"})
    void sizesTakeBinaryAndDecimalUnits(String text, long bytes) {
        assertThat(SettingTypes.BYTES.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5MiB", "10 bytes", "16XB", "99999999999999999999", "9999999TiB"})
    void badSizesAreRejected(String text) {
        assertThatThrownBy(() -> SettingTypes.BYTES.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} renders as {1}")
    @CsvSource({"16777216, 16MiB", "5242880, 5MiB", "1000, 1000", "1024, 1KiB", "0, 0"})
    void sizesRenderInTheLargestExactBinaryUnit(long bytes, String text) {
        assertThat(SettingTypes.BYTES.render(bytes)).isEqualTo(text);
        assertThat(SettingTypes.BYTES.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"500ms, 500", "10s, 10000", "5m, 300000", "2h, 7200000", "1d, 86400000", "0, 0", "PT10S, 10000",
            "pt1m30s, 90000"})
    void durationsTakeUnitsAndIso8601(String text, long millis) {
        assertThat(SettingTypes.DURATION.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "1.5s", "ten seconds", "-5s", "5y"})
    void badDurationsAreRejected(String text) {
        assertThatThrownBy(() -> SettingTypes.DURATION.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("be a duration");
    }

    @ParameterizedTest(name = "{0} renders as {1}")
    @CsvSource({"PT10S, 10s", "PT0S, 0s", "PT1.5S, 1500ms", "PT24H, 1d", "PT90M, 90m"})
    void durationsRenderInTheLargestExactUnit(String iso, String text) {
        assertThat(SettingTypes.DURATION.render(Duration.parse(iso))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0, true", "65535, true", "65536, false", "-1, false", "8088, true", "http, false"})
    void portsAreZeroTo65535(String text, boolean valid) {
        if (valid) {
            assertThat(SettingTypes.PORT.parse(text)).isEqualTo(Integer.parseInt(text));
        } else {
            assertThatThrownBy(() -> SettingTypes.PORT.parse(text)).hasMessage("be a whole number between 0 and 65535");
        }
    }

    @ParameterizedTest
    @CsvSource({"true, true", "FALSE, false", "True, true"})
    void booleansAreTrueOrFalseOnly(String text, boolean value) {
        assertThat(SettingTypes.BOOLEAN.parse(text)).isEqualTo(value);
        assertThatThrownBy(() -> SettingTypes.BOOLEAN.parse("yes")).hasMessage("be true or false");
    }

    enum Color { RED, GREEN }

    @ParameterizedTest
    @ValueSource(strings = {"red", "RED", "Red"})
    void choicesIgnoreCase(String text) {
        assertThat(SettingTypes.enumOf(Color.class).parse(text)).isEqualTo(Color.RED);
        assertThat(SettingTypes.oneOf("RED", "GREEN").parse(text)).isEqualTo("RED");
        assertThatThrownBy(() -> SettingTypes.enumOf(Color.class).parse("blue")).hasMessage("be one of RED, GREEN");
    }
}
