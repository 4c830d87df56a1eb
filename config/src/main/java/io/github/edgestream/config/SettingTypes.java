package io.github.edgestream.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usual setting types. Every parser accepts the same text from the YAML file and from environment variables,
 * and its error message completes "must ...". Every type's {@code render} gives text its {@code parse} reads back to
 * the same value. Immutable and thread-safe.
 */
public final class SettingTypes {

    private SettingTypes() {
    }

    /** ASCII digits only: {@link Long#parseLong} would also take Arabic-Indic and other Unicode digits. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");

    /** Any non-empty text (after trimming). */
    public static final SettingType<String> STRING = SettingType.of("text", text -> {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("not be empty");
        }
        return text;
    }, value -> value);

    /** {@code true} or {@code false} in any case; not {@code yes}, {@code on} or {@code 1}. */
    public static final SettingType<Boolean> BOOLEAN = SettingType.of("true or false", text -> {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("be true or false");
    }, String::valueOf);

    /** A whole number that fits in an {@code int}. */
    public static final SettingType<Integer> INT = SettingType.of("a whole number",
            text -> (int) parseWhole(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "be a whole number",
                    "be a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE),
            String::valueOf);

    /** A whole number that fits in a {@code long}. */
    public static final SettingType<Long> LONG = SettingType.of("a whole number",
            text -> parseWhole(text, Long.MIN_VALUE, Long.MAX_VALUE, "be a whole number",
                    "be a whole number between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE), String::valueOf);

    /** A TCP or UDP port, 0 to 65535 (0 usually means "pick a free one"). */
    public static final SettingType<Integer> PORT = intRange(0, 65_535).describedAs("a TCP port, 0 to 65535");

    /** A file system path, not resolved or checked for existence. */
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

    /** An absolute {@code http} or {@code https} URL with a host, such as an endpoint override. */
    public static final SettingType<java.net.URI> HTTP_URL = SettingType.of("an http or https URL", text -> {
        java.net.URI uri;
        try {
            uri = new java.net.URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("be an http or https URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("be an http or https URL with a host, like https://host:443");
        }
        return uri;
    }, java.net.URI::toString);

    /** A whole number from {@code min} to {@code max}, both included; the rule names the range. */
    public static SettingType<Integer> intRange(int min, int max) {
        checkRange(min, max);
        String rule = "be a whole number between " + min + " and " + max;
        return SettingType.of("a whole number from " + min + " to " + max,
                text -> (int) parseWhole(text, min, max, rule, rule), String::valueOf);
    }

    /** A whole number from {@code min} to {@code max}, both included; the rule names the range. */
    public static SettingType<Long> longRange(long min, long max) {
        checkRange(min, max);
        String rule = "be a whole number between " + min + " and " + max;
        return SettingType.of("a whole number from " + min + " to " + max,
                text -> parseWhole(text, min, max, rule, rule), String::valueOf);
    }

    private static void checkRange(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("a range needs min <= max, not " + min + " > " + max);
        }
    }

    private static long parseWhole(String text, long min, long max, String notANumber, String outOfRange) {
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            throw new IllegalArgumentException(notANumber);
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(outOfRange); // digits, but too many for a long
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(outOfRange);
        }
        return value;
    }

    private static final Pattern DURATION_PATTERN = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)");
    private static final String DURATION_RULE = "be a duration such as 500ms, 10s, 5m, 2h, 1d or PT10S";

    /**
     * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 0}, or ISO-8601 such as {@code PT10S};
     * case-insensitive. Renders in the largest unit that is exact ({@code 90m}, {@code 1500ms}), and in ISO-8601 when
     * no unit is ({@code PT0.0001S}) or the duration is negative.
     */
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
            try {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("be a duration of at most " + Long.MAX_VALUE / 86_400 + "d");
            }
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(DURATION_RULE);
        }
    }

    private static String renderDuration(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString(); // ISO-8601, which parseDuration reads back exactly
        }
        long seconds = duration.getSeconds();
        int millis = duration.getNano() / 1_000_000;
        if (millis != 0) {
            try {
                return Math.addExact(Math.multiplyExact(seconds, 1_000L), millis) + "ms";
            } catch (ArithmeticException e) {
                return duration.toString();
            }
        }
        long[] sizes = {86_400L, 3_600L, 60L};
        String[] units = {"d", "h", "m"};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds % sizes[i] == 0) {
                return seconds / sizes[i] + units[i];
            }
        }
        return seconds + "s";
    }

    private static final Pattern SIZE_PATTERN = Pattern.compile("([0-9]+)\\s*([kmgt]i?b)?", Pattern.CASE_INSENSITIVE);
    private static final String SIZE_RULE = "be a size such as 5242880, 512KiB, 16MiB or 1GB";

    /**
     * A size in bytes: a plain number, or a number with a unit, {@code KiB MiB GiB TiB} (powers of 1024) or
     * {@code KB MB GB TB} (powers of 1000), case-insensitive, with or without a space; e.g. {@code 5242880},
     * {@code 16MiB}, {@code 64 MB}. Renders in the largest binary unit that is exact ({@code 16MiB}, {@code 1000}).
     */
    public static final SettingType<Long> BYTES = SettingType.of(
            "a size such as 5242880, 512KiB, 16MiB or 1GB", SettingTypes::parseBytes, SettingTypes::renderBytes);

    private static long parseBytes(String text) {
        Matcher matcher = SIZE_PATTERN.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(SIZE_RULE);
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
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("be a size that fits in 64 bits (at most 8388607TiB)");
        }
    }

    private static String renderBytes(Long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long size = 1L << shifts[i];
            if (bytes > 0 && bytes % size == 0) {
                return bytes / size + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /** One of the given words, case-insensitive; the value is the word as listed. */
    public static SettingType<String> oneOf(String... choices) {
        List<String> list = List.of(choices);
        requireDistinctChoices(list);
        String names = String.join(", ", list);
        return SettingType.of("one of " + names, text -> list.stream()
                .filter(choice -> choice.equalsIgnoreCase(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("be one of " + names)), value -> value);
    }

    /** A constant of {@code type}, by name, case-insensitive. */
    public static <E extends Enum<E>> SettingType<E> enumOf(Class<E> type) {
        List<E> constants = List.of(type.getEnumConstants());
        requireDistinctChoices(constants.stream().map(Enum::name).toList());
        String names = String.join(", ", constants.stream().map(Enum::name).toList());
        return SettingType.of("one of " + names, text -> constants.stream()
                .filter(c -> c.name().equalsIgnoreCase(text)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("be one of " + names)), Enum::name);
    }

    private static void requireDistinctChoices(List<String> choices) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a choice needs at least one word");
        }
        Set<String> seen = new HashSet<>();
        for (String choice : choices) {
            if (choice.isBlank() || !seen.add(choice.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("choices must be distinct, ignoring case, and not blank: "
                        + Arrays.toString(choices.toArray()));
            }
        }
    }
}
