package io.github.edgestream.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DataSizeTest {

    @ParameterizedTest(name = "{0} bytes prints as {1}")
    @CsvSource(delimiter = '|', value = {
            "0|0 bytes",
            "1|1 byte",
            "1023|1023 bytes",
            "1024|1 KiB",
            "1536|1.5 KiB (1536 bytes)",
            "16777216|16 MiB",
            "268435456|256 MiB",
            "3221225472|3 GiB",
            "1099511627776|1 TiB",
    })
    void printsTheWayPeopleReadSizes(long bytes, String text) {
        assertThat(DataSize.ofBytes(bytes)).hasToString(text);
    }

    @Test
    void negativeSizesDoNotExist() {
        assertThatThrownBy(() -> DataSize.ofBytes(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unitsMultiplyWithoutOverflowingSilently() {
        assertThat(DataSize.ofGibibytes(2).bytes()).isEqualTo(2L << 30);
        assertThatThrownBy(() -> DataSize.ofGibibytes(Long.MAX_VALUE)).isInstanceOf(ArithmeticException.class);
    }
}
