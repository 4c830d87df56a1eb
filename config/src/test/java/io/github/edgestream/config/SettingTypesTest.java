package io.github.edgestream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every type's accepted and rejected forms, boundaries included, and that what it renders it reads back. */
class SettingTypesTest {

    @ParameterizedTest(name = "\"{0}\" is \"{1}\"")
    @CsvSource(delimiter = '|', value = {"hello | hello", "'  padded  ' | padded", "a b # c | a b # c", "0 | 0"})
    void stringsAreAnyNonEmptyTextTrimmed(String text, String value) {
        assertThat(SettingTypes.STRING.parse(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void emptyStringsAreRejected(String text) {
        assertThatThrownBy(() -> SettingTypes.STRING.parse(text)).hasMessage("not be empty");
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"true, true", "TRUE, true", "True, true", "false, false", "FALSE, false", "' false ', false"})
    void booleansAreTrueOrFalseInAnyCase(String text, boolean value) {
        assertThat(SettingTypes.BOOLEAN.parse(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "off", "1", "0", "y", "t", "", "truee"})
    void booleansAreNothingElse(String text) {
        assertThatThrownBy(() -> SettingTypes.BOOLEAN.parse(text)).hasMessage("be true or false");
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"0, 0", "-1, -1", "+7, 7", "' 42 ', 42", "007, 7", "2147483647, 2147483647",
            "-2147483648, -2147483648"})
    void intsAreWholeNumbersUpToTheirLimits(String text, int value) {
        assertThat(SettingTypes.INT.parse(text)).isEqualTo(value);
    }

    @ParameterizedTest(name = "\"{0}\" must {1}")
    @CsvSource(delimiter = '|', value = {
            "2147483648 | be a whole number between -2147483648 and 2147483647",
            "-2147483649 | be a whole number between -2147483648 and 2147483647",
            "99999999999999999999 | be a whole number between -2147483648 and 2147483647",
            "1.5 | be a whole number", "1e3 | be a whole number", "0x10 | be a whole number",
            "1_000 | be a whole number", "ten | be a whole number", "'' | be a whole number",
            "\u0663 | be a whole number"}) // an Arabic-Indic three, which Integer.parseInt would take
    void intsRejectEverythingElse(String text, String rule) {
        assertThatThrownBy(() -> SettingTypes.INT.parse(text)).hasMessage(rule);
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"0, 0", "9223372036854775807, 9223372036854775807", "-9223372036854775808, -9223372036854775808"})
    void longsAreWholeNumbersUpToTheirLimits(String text, long value) {
        assertThat(SettingTypes.LONG.parse(text)).isEqualTo(value);
    }

    @ParameterizedTest(name = "\"{0}\" must {1}")
    @CsvSource(delimiter = '|', value = {
            "9223372036854775808 | be a whole number between -9223372036854775808 and 9223372036854775807",
            "-9223372036854775809 | be a whole number between -9223372036854775808 and 9223372036854775807",
            "12.0 | be a whole number", "lots | be a whole number"})
    void longsRejectEverythingElse(String text, String rule) {
        assertThatThrownBy(() -> SettingTypes.LONG.parse(text)).hasMessage(rule);
    }

    @ParameterizedTest(name = "{0} in [1, 10]: {1}")
    @CsvSource({"0, false", "1, true", "5, true", "10, true", "11, false", "-1, false", "x, false"})
    void rangesIncludeBothEnds(String text, boolean accepted) {
        SettingType<Integer> ints = SettingTypes.intRange(1, 10);
        SettingType<Long> longs = SettingTypes.longRange(1, 10);
        if (accepted) {
            assertThat(ints.parse(text)).isEqualTo(Integer.parseInt(text));
            assertThat(longs.parse(text)).isEqualTo(Long.parseLong(text));
        } else {
            assertThatThrownBy(() -> ints.parse(text)).hasMessage("be a whole number between 1 and 10");
            assertThatThrownBy(() -> longs.parse(text)).hasMessage("be a whole number between 1 and 10");
        }
    }

    @Test
    void aRangeMustNotBeEmpty() {
        assertThatThrownBy(() -> SettingTypes.intRange(2, 1)).hasMessageContaining("min <= max");
    }

    @ParameterizedTest(name = "port {0}: {1}")
    @CsvSource({"-1, false", "0, true", "1, true", "8088, true", "65535, true", "65536, false", "http, false",
            "80x, false"})
    void portsAreZeroTo65535(String text, boolean accepted) {
        if (accepted) {
            assertThat(SettingTypes.PORT.parse(text)).isEqualTo(Integer.parseInt(text));
        } else {
            assertThatThrownBy(() -> SettingTypes.PORT.parse(text)).hasMessage("be a whole number between 0 and 65535");
        }
        assertThat(SettingTypes.PORT.description()).isEqualTo("a TCP port, 0 to 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"data", "/var/lib/edgestream", "./relative/dir", "with space/x", "C:colon"})
    void pathsAreTakenAsWritten(String text) {
        assertThat(SettingTypes.PATH.parse(text)).isEqualTo(Path.of(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "nul\u0000char"})
    void emptyOrImpossiblePathsAreRejected(String text) {
        assertThatThrownBy(() -> SettingTypes.PATH.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("be a");
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"0, 0", "0ms, 0", "0s, 0", "1ms, 1", "500ms, 500", "10s, 10000", "10 s, 10000", "10S, 10000",
            "5m, 300000", "2h, 7200000", "1d, 86400000", "PT10S, 10000", "pt1m30s, 90000", "P1D, 86400000",
            "PT0.5S, 500", "9223372036854775807ms, 9223372036854775807"})
    void durationsTakeUnitsAndIso8601(String text, long millis) {
        assertThat(SettingTypes.DURATION.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void theLongestDurationInDaysIsTheLastThatFitsInSeconds() {
        assertThat(SettingTypes.DURATION.parse("106751991167300d")).isEqualTo(Duration.ofDays(106_751_991_167_300L));
        assertThatThrownBy(() -> SettingTypes.DURATION.parse("106751991167301d"))
                .hasMessage("be a duration of at most 106751991167300d");
        assertThatThrownBy(() -> SettingTypes.DURATION.parse("9223372036854775808ms"))
                .hasMessage("be a duration of at most 106751991167300d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "1.5s", "ten seconds", "-5s", "5y", "5 min", "1h30m", "PT", "s"})
    void badDurationsAreRejected(String text) {
        assertThatThrownBy(() -> SettingTypes.DURATION.parse(text))
                .hasMessage("be a duration such as 500ms, 10s, 5m, 2h, 1d or PT10S");
    }

    @ParameterizedTest(name = "{0} renders as {1}")
    @CsvSource({"PT0S, 0s", "PT0.001S, 1ms", "PT10S, 10s", "PT1.5S, 1500ms", "PT90S, 90s", "PT90M, 90m",
            "PT24H, 1d", "PT25H, 25h", "PT48H, 2d", "PT0.0001S, PT0.0001S", "PT-5S, PT-5S"})
    void durationsRenderInTheLargestExactUnit(String iso, String text) {
        Duration duration = Duration.parse(iso);
        assertThat(SettingTypes.DURATION.render(duration)).isEqualTo(text);
        assertThat(SettingTypes.DURATION.parse(text)).isEqualTo(duration);
    }

    @Test
    void theLongestDurationRendersWithoutOverflow() {
        Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        assertThat(SettingTypes.DURATION.parse(SettingTypes.DURATION.render(longest))).isEqualTo(longest);
        Duration longestMillis = Duration.ofSeconds(Long.MAX_VALUE, 5_000_000);
        assertThat(SettingTypes.DURATION.parse(SettingTypes.DURATION.render(longestMillis))).isEqualTo(longestMillis);
    }

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({"0, 0", "1, 1", "5242880, 5242880", "512KiB, 524288", "16MiB, 16777216", "16 MiB, 16777216",
            "16 mib, 16777216", "16MIB, 16777216", "1GiB, 1073741824", "2TiB, 2199023255552", "1kb, 1000",
            "1KB, 1000", "64MB, 64000000", "3GB, 3000000000", "2TB, 2000000000000",
            "9223372036854775807, 9223372036854775807", "8388607TiB, 9223370937343148032"})
    void sizesTakeBinaryAndDecimalUnits(String text, long bytes) {
        assertThat(SettingTypes.BYTES.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5MiB", "10 bytes", "16XB", "16B", "16 M", "MiB", "1,000", "16MiB!"})
    void badSizesAreRejected(String text) {
        assertThatThrownBy(() -> SettingTypes.BYTES.parse(text))
                .hasMessage("be a size such as 5242880, 512KiB, 16MiB or 1GB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "8388608TiB", "99999999999999999999KiB"})
    void sizesBeyond64BitsAreRejected(String text) {
        assertThatThrownBy(() -> SettingTypes.BYTES.parse(text))
                .hasMessage("be a size that fits in 64 bits (at most 8388607TiB)");
    }

    @ParameterizedTest(name = "{0} renders as {1}")
    @CsvSource({"0, 0", "1, 1", "1000, 1000", "1023, 1023", "1024, 1KiB", "1536, 1536", "5242880, 5MiB",
            "16777216, 16MiB", "17825792, 17MiB", "1073741824, 1GiB", "1099511627776, 1TiB",
            "2199023255552, 2TiB", "1000000, 1000000", "64000000, 62500KiB"})
    void sizesRenderInTheLargestExactBinaryUnit(long bytes, String text) {
        assertThat(SettingTypes.BYTES.render(bytes)).isEqualTo(text);
        assertThat(SettingTypes.BYTES.parse(text)).isEqualTo(bytes);
    }

    enum Color { RED, GREEN }

    @ParameterizedTest
    @ValueSource(strings = {"red", "RED", "Red", " red "})
    void choicesIgnoreCaseAndGiveTheListedSpelling(String text) {
        assertThat(SettingTypes.enumOf(Color.class).parse(text)).isEqualTo(Color.RED);
        assertThat(SettingTypes.oneOf("RED", "GREEN").parse(text)).isEqualTo("RED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blue", "", "RE", "REDD"})
    void choicesRejectOtherWordsNamingTheChoices(String text) {
        assertThatThrownBy(() -> SettingTypes.enumOf(Color.class).parse(text)).hasMessage("be one of RED, GREEN");
        assertThatThrownBy(() -> SettingTypes.oneOf("RED", "GREEN").parse(text)).hasMessage("be one of RED, GREEN");
    }

    @Test
    void choicesMustBeDistinctIgnoringCase() {
        assertThatThrownBy(() -> SettingTypes.oneOf()).hasMessageContaining("at least one");
        assertThatThrownBy(() -> SettingTypes.oneOf("INFO", "info")).hasMessageContaining("distinct");
    }

    static Stream<Arguments> valuesOfEveryType() {
        return Stream.of(
                Arguments.of(SettingTypes.STRING, "rw-rw----"),
                Arguments.of(SettingTypes.BOOLEAN, false),
                Arguments.of(SettingTypes.INT, Integer.MIN_VALUE),
                Arguments.of(SettingTypes.LONG, Long.MAX_VALUE),
                Arguments.of(SettingTypes.intRange(-5, 5), -5),
                Arguments.of(SettingTypes.PORT, 65_535),
                Arguments.of(SettingTypes.PATH, Path.of("/var/lib/edgestream")),
                Arguments.of(SettingTypes.DURATION, Duration.ofMillis(86_400_001)),
                Arguments.of(SettingTypes.BYTES, 17L << 20),
                Arguments.of(SettingTypes.enumOf(Color.class), Color.GREEN),
                Arguments.of(SettingTypes.oneOf("TRACE", "DEBUG"), "DEBUG"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("valuesOfEveryType")
    <T> void everyTypeReadsBackWhatItRenders(SettingType<T> type, T value) {
        assertThat(type.parse(type.render(value))).isEqualTo(value);
    }

    @Test
    void otherModulesDefineTheirOwnTypes() {
        SettingType<Integer> even = SettingType.of("an even number", text -> {
            int value = SettingTypes.INT.parse(text);
            if (value % 2 != 0) {
                throw new IllegalArgumentException("be even");
            }
            return value;
        }, String::valueOf);

        assertThat(even.parse(" 4 ")).isEqualTo(4);
        assertThatThrownBy(() -> even.parse("3")).hasMessage("be even");
        assertThat(even.describedAs("a pair count").description()).isEqualTo("a pair count");
        assertThat(even.describedAs("a pair count").parse("6")).isEqualTo(6);
    }
}
