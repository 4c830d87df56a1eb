package io.github.edgestream.api.reductstore;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * One value of the {@code when} language: a boolean, a 64-bit integer, a double, a string or a duration in
 * microseconds, with ReductStore's casts and comparisons ({@code reductstore/src/storage/query/condition/value.rs}
 * and {@code value/cmp.rs}, v1.21). Numbers and booleans compare with each other ({@code true == 1}); a string
 * only ever equals, or orders against, another string, so {@code "10" == 10} holds only because a label value is
 * parsed before it is compared ({@link #parseLabel}). Immutable.
 */
final class ConditionValue {

    enum Kind { BOOL, INT, FLOAT, STRING, DURATION }

    static final ConditionValue TRUE = new ConditionValue(Kind.BOOL, 1, 0, null);
    static final ConditionValue FALSE = new ConditionValue(Kind.BOOL, 0, 0, null);

    private final Kind kind;
    private final long integer;
    private final double real;
    private final String text;

    private ConditionValue(Kind kind, long integer, double real, String text) {
        this.kind = kind;
        this.integer = integer;
        this.real = real;
        this.text = text;
    }

    static ConditionValue bool(boolean value) {
        return value ? TRUE : FALSE;
    }

    static ConditionValue integer(long value) {
        return new ConditionValue(Kind.INT, value, 0, null);
    }

    static ConditionValue real(double value) {
        return new ConditionValue(Kind.FLOAT, 0, value, null);
    }

    static ConditionValue string(String value) {
        return new ConditionValue(Kind.STRING, 0, 0, value);
    }

    static ConditionValue duration(long micros) {
        return new ConditionValue(Kind.DURATION, micros, 0, null);
    }

    /**
     * A label value as ReductStore reads it ({@code Value::parse}): exactly {@code true} or {@code false} is a
     * boolean, then an i64, then an f64, else the string itself. A label never becomes a duration.
     */
    static ConditionValue parseLabel(String value) {
        if (value.equals("true")) {
            return TRUE;
        }
        if (value.equals("false")) {
            return FALSE;
        }
        Long asLong = parseLong(value);
        if (asLong != null) {
            return integer(asLong);
        }
        Double asDouble = parseDouble(value);
        return asDouble != null ? real(asDouble) : string(value);
    }

    Kind kind() {
        return kind;
    }

    boolean isString() {
        return kind == Kind.STRING;
    }

    boolean isDuration() {
        return kind == Kind.DURATION;
    }

    /** Truthiness: non-zero numbers, non-empty strings. */
    boolean asBool() {
        return switch (kind) {
            case BOOL, INT, DURATION -> integer != 0;
            case FLOAT -> real != 0.0;
            case STRING -> !text.isEmpty();
        };
    }

    /** As an i64: floats truncate (saturating, like Rust's {@code as}); a string must parse as an integer. */
    long asLong() {
        return switch (kind) {
            case BOOL, INT, DURATION -> integer;
            case FLOAT -> (long) real;
            case STRING -> {
                Long parsed = parseLong(text);
                if (parsed == null) {
                    throw new ConditionException("value '" + text + "' could not be parsed as integer");
                }
                yield parsed;
            }
        };
    }

    /** As an f64; a string must parse as a number. */
    double asDouble() {
        return switch (kind) {
            case BOOL, INT, DURATION -> integer;
            case FLOAT -> real;
            case STRING -> {
                Double parsed = parseDouble(text);
                if (parsed == null) {
                    throw new ConditionException("value '" + text + "' could not be parsed as float");
                }
                yield parsed;
            }
        };
    }

    /** Equality as ReductStore's {@code PartialEq}: numeric across bool/int/float/duration; strings with strings. */
    boolean sameAs(ConditionValue other) {
        if (kind == Kind.STRING || other.kind == Kind.STRING) {
            return kind == other.kind && text.equals(other.text);
        }
        if (kind == Kind.FLOAT || other.kind == Kind.FLOAT) {
            return asDouble() == other.asDouble();
        }
        return integer == other.integer;
    }

    /**
     * Order as ReductStore's {@code PartialOrd}: negative, zero or positive, or {@code null} when the two do not
     * compare (a string against a non-string, or NaN), in which case every ordering comparison is false.
     */
    Integer compareTo(ConditionValue other) {
        if (kind == Kind.STRING || other.kind == Kind.STRING) {
            return kind == other.kind ? Integer.valueOf(Integer.signum(text.compareTo(other.text))) : null;
        }
        if (kind == Kind.FLOAT || other.kind == Kind.FLOAT) {
            double left = asDouble();
            double right = other.asDouble();
            if (Double.isNaN(left) || Double.isNaN(right)) {
                return null;
            }
            return left < right ? -1 : left > right ? 1 : 0;
        }
        return Long.compare(integer, other.integer);
    }

    /** The text ReductStore's {@code Display} gives: {@code 1} for 1.0, {@code 1h 30m} for a duration. */
    String display() {
        return switch (kind) {
            case BOOL -> integer != 0 ? "true" : "false";
            case INT -> Long.toString(integer);
            case FLOAT -> displayDouble(real);
            case STRING -> text;
            case DURATION -> ConditionDurations.format(integer);
        };
    }

    @Override
    public String toString() {
        return kind == Kind.STRING ? "'" + text + "'" : display();
    }

    private static String displayDouble(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0.0) {
            return (1 / value < 0) ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** Rust's {@code str::parse::<i64>}: optional sign, ASCII digits only, no spaces. */
    private static Long parseLong(String value) {
        int start = !value.isEmpty() && (value.charAt(0) == '+' || value.charAt(0) == '-') ? 1 : 0;
        if (value.length() == start || value.length() > 20) {
            return null;
        }
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException outOfRange) {
            return null;
        }
    }

    /**
     * Rust's {@code str::parse::<f64>}: decimal digits, point, exponent, or inf/infinity/nan in any case; not Java's
     * extras (surrounding spaces, {@code d}/{@code f} suffixes, hexadecimal).
     */
    private static Double parseDouble(String value) {
        String unsigned = !value.isEmpty() && (value.charAt(0) == '+' || value.charAt(0) == '-')
                ? value.substring(1) : value;
        boolean negative = value.startsWith("-");
        String lower = unsigned.toLowerCase(Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        if (unsigned.isEmpty() || !unsigned.matches("(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return null;
        }
        return Double.parseDouble(value);
    }
}
