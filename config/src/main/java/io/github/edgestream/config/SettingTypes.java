package io.github.edgestream.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The usual setting types. Each parser's error message completes "must ...". */
public final class SettingTypes {

    private SettingTypes() {
    }

    public static final SettingType<String> STRING = SettingType.of("text", text -> {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("not be empty");
        }
        return text;
    }, value -> value);

    public static final SettingType<Boolean> BOOLEAN = SettingType.of("true or false", text -> {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("be true or false");
    }, String::valueOf);

    public static final SettingType<Integer> INT = SettingType.of("a whole number", text -> {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("be a whole number between " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE);
        }
    }, String::valueOf);

    public static final SettingType<Long> LONG = SettingType.of("a whole number", text -> {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("be a whole number");
        }
    }, String::valueOf);

    public static final SettingType<Integer> PORT = SettingType.of("a TCP port, 0 to 65535", text -> {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("be a whole number between 0 and 65535");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("be a whole number between 0 and 65535");
        }
        return port;
    }, String::valueOf);

    public static final SettingType<Path> PATH = SettingType.of("a file system path", text -> {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("be a path");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("be a valid path (" + e.getReason() + ")");
        }
    }, Path::toString);

    private static final Pattern DURATION_PATTERN = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 0}, or ISO-8601 {@code PT10S}. */
    public static final SettingType<Duration> DURATION = SettingType.of(
            "a duration such as 500ms, 10s, 5m, 2h, 1d or PT10S", SettingTypes::parseDuration,
            SettingTypes::renderDuration);

    private static Duration parseDuration(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION_PATTERN.matcher(lower);
        if (matcher.matches()) {
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("be a duration of a sensible size");
            }
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("be a duration such as 500ms, 10s, 5m, 2h, 1d or PT10S");
        }
    }

    private static String renderDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                return millis / sizes[i] + units[i];
            }
        }
        return millis + "ms";
    }

    private static final Pattern SIZE_PATTERN = Pattern.compile("(\\d+)\\s*([kmgt]i?b)?", Pattern.CASE_INSENSITIVE);

    /**
     * A size in bytes: a plain number, or a number with a unit, {@code KiB MiB GiB TiB} (powers of 1024) or
     * {@code KB MB GB TB} (powers of 1000); e.g. {@code 5242880}, {@code 16MiB}, {@code 64 MB}.
     */
    public static final SettingType<Long> BYTES = SettingType.of(
            "a size such as 5242880, 512KiB, 16MiB or 1GB", SettingTypes::parseBytes, SettingTypes::renderBytes);

    private static long parseBytes(String text) {
        Matcher matcher = SIZE_PATTERN.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("be a size such as 5242880, 512KiB, 16MiB or 1GB");
        }
        long amount;
        try {
            amount = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("be a size that fits in 64 bits");
        }
        String unit = matcher.group(2) == null ? "" : matcher.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "" -> 1;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
        try {
            return Math.multiplyExact(amount, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("be a size that fits in 64 bits");
        }
    }

    private static String renderBytes(Long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long size = 1L << shifts[i];
            if (bytes != 0 && bytes % size == 0) {
                return bytes / size + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /** One of the given words, case-insensitive; the value is the word as listed. */
    public static SettingType<String> oneOf(String... choices) {
        List<String> list = List.of(choices);
        String rule = "be one of " + String.join(", ", list);
        return SettingType.of("one of " + String.join(", ", list), text -> list.stream()
                .filter(choice -> choice.equalsIgnoreCase(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(rule)), value -> value);
    }

    /** A constant of {@code type}, by name, case-insensitive. */
    public static <E extends Enum<E>> SettingType<E> enumOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        String names = String.join(", ", Arrays.stream(constants).map(Enum::name).toList());
        return SettingType.of("one of " + names, text -> Arrays.stream(constants)
                .filter(c -> c.name().equalsIgnoreCase(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("be one of " + names)), Enum::name);
    }
}
