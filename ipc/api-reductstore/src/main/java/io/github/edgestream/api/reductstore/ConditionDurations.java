package io.github.edgestream.api.reductstore;

import java.util.ArrayList;
import java.util.List;

/**
 * Duration literals of the {@code when} language, as ReductStore reads and prints them
 * ({@code reductstore/src/core/duration.rs}, {@code condition/value/duration_format.rs}, v1.21): whitespace-separated
 * parts, each an integer with a unit {@code us ms s m h d}, summed ({@code "1h -30m"} is 30 minutes). A string
 * literal in a condition that reads as a duration becomes one; label values never do. Stateless.
 */
final class ConditionDurations {

    private static final String[] UNITS = {"d", "h", "m", "s", "ms", "us"};
    private static final long[] MICROS = {86_400_000_000L, 3_600_000_000L, 60_000_000L, 1_000_000L, 1_000L, 1L};

    private ConditionDurations() {
    }

    /** The duration in microseconds, or {@code null} if {@code literal} is not a duration literal. */
    static Long parse(String literal) {
        if (literal.isBlank()) {
            return null;
        }
        long total = 0;
        for (String part : literal.trim().split("\\s+")) {
            Long micros = parsePart(part);
            if (micros == null) {
                return null;
            }
            total += micros;
        }
        return total;
    }

    // ReductStore splits a part into its digits/'.'/'-' and the rest, whatever their order; the digits must be an
    // i64 and the rest one unit. So "2.5m" is not a duration (it stays a string).
    private static Long parsePart(String part) {
        StringBuilder number = new StringBuilder();
        StringBuilder unit = new StringBuilder();
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if ((c >= '0' && c <= '9') || c == '.' || c == '-') {
                number.append(c);
            } else {
                unit.append(c);
            }
        }
        if (!number.toString().matches("-?\\d{1,18}")) {
            return null;
        }
        long value = Long.parseLong(number.toString());
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].contentEquals(unit)) {
                return value * MICROS[i];
            }
        }
        return null;
    }

    /** ReductStore's rendering: {@code 0us}, {@code 100ms}, {@code 1d 1h}, {@code -1s}. */
    static String format(long micros) {
        List<String> parts = new ArrayList<>();
        long rest = micros;
        for (int i = 0; i < UNITS.length; i++) {
            if (Math.abs(rest) >= MICROS[i]) {
                long value = rest / MICROS[i];
                parts.add(value + UNITS[i]);
                rest -= value * MICROS[i];
            }
        }
        return parts.isEmpty() ? "0us" : String.join(" ", parts);
    }
}
