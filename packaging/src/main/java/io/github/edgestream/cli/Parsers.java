package io.github.edgestream.cli;

import io.github.edgestream.config.SettingTypes;
import io.github.edgestream.core.model.DataSize;
import java.time.Duration;
import picocli.CommandLine;

/** Command-line values with units, parsed as the configuration file parses them ({@code 16MiB}, {@code 90s}). */
final class Parsers {

    private Parsers() {
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return SettingTypes.DURATION.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" must " + e.getMessage());
            }
        }
    }

    static final class SizeConverter implements CommandLine.ITypeConverter<DataSize> {
        @Override
        public DataSize convert(String value) {
            try {
                return DataSize.ofBytes(SettingTypes.BYTES.parse(value));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("\"" + value + "\" must " + e.getMessage());
            }
        }
    }
}
