package io.github.edgestream.api.reductstore;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntPredicate;
import java.util.function.LongBinaryOperator;
import java.util.function.ToIntFunction;

/**
 * The operators of the {@code when} language, one entry per name, each checking its operand count when the
 * condition is parsed and evaluating as ReductStore v1.21 does ({@code condition/operators/}, {@code value/}):
 * <ul>
 *   <li>comparison {@code $eq $ne $gt $gte $lt $lte}: two operands; a string only compares with a string;</li>
 *   <li>logical {@code $and $or $not $xor} (also {@code $all_of $any_of $none_of $one_of}): any number,
 *       short-circuit except {@code $xor} (exactly one true); {@code $in $nin}: a value and at least one
 *       candidate;</li>
 *   <li>aggregation {@code $limit $each_n $each_t $gate}: stateful, per {@link Condition.Evaluator};</li>
 *   <li>arithmetic {@code $add $mult} (any number), {@code $sub $div $div_num $rem} (two), {@code $abs} (one);</li>
 *   <li>string {@code $contains $starts_with $ends_with}: two operands, compared as displayed text;</li>
 *   <li>date {@code $second $minute $hour $day $month $year $weekday}: a µs timestamp and an optional IANA zone;</li>
 *   <li>misc {@code $exists}/{@code $has}, {@code $cast}, {@code $ref}, {@code $timestamp}/{@code $id}.</li>
 * </ul>
 * Integer overflow is a {@link ConditionException} (ReductStore's release build wraps). Stateless.
 */
final class ConditionOperators {

    private interface Builder {
        ConditionNode build(String name, ConditionNode[] operands, ConditionParser parser);
    }

    private static final Map<String, Builder> OPERATORS = new TreeMap<>();

    static {
        // Aggregation: state lives in the evaluator, slot by slot.
        OPERATORS.put("$limit", exactly(1, ConditionOperators::limit));
        OPERATORS.put("$each_n", exactly(1, ConditionOperators::eachN));
        OPERATORS.put("$each_t", exactly(1, ConditionOperators::eachT));
        OPERATORS.put("$gate", exactly(2, ConditionOperators::gate));
        // Logical.
        for (String name : List.of("$and", "$all_of")) {
            OPERATORS.put(name, (n, ops, p) -> allOf(List.of(ops)));
        }
        for (String name : List.of("$or", "$any_of")) {
            OPERATORS.put(name, (n, ops, p) -> record -> {
                for (ConditionNode op : ops) {
                    if (op.apply(record).asBool()) {
                        return ConditionValue.TRUE;
                    }
                }
                return ConditionValue.FALSE;
            });
        }
        for (String name : List.of("$not", "$none_of")) {
            OPERATORS.put(name, (n, ops, p) -> record -> {
                for (ConditionNode op : ops) {
                    if (op.apply(record).asBool()) {
                        return ConditionValue.FALSE;
                    }
                }
                return ConditionValue.TRUE;
            });
        }
        for (String name : List.of("$xor", "$one_of")) {
            OPERATORS.put(name, (n, ops, p) -> record -> {
                int count = 0;
                for (ConditionNode op : ops) {
                    count += op.apply(record).asBool() ? 1 : 0;
                }
                return ConditionValue.bool(count == 1);
            });
        }
        OPERATORS.put("$in", atLeast(2, (n, ops, p) -> record -> ConditionValue.bool(member(ops, record))));
        OPERATORS.put("$nin", atLeast(2, (n, ops, p) -> record -> ConditionValue.bool(!member(ops, record))));
        // Comparison.
        OPERATORS.put("$eq", exactly(2, (n, ops, p) -> record ->
                ConditionValue.bool(ops[0].apply(record).sameAs(ops[1].apply(record)))));
        OPERATORS.put("$ne", exactly(2, (n, ops, p) -> record ->
                ConditionValue.bool(!ops[0].apply(record).sameAs(ops[1].apply(record)))));
        OPERATORS.put("$gt", ordering(order -> order > 0));
        OPERATORS.put("$gte", ordering(order -> order >= 0));
        OPERATORS.put("$lt", ordering(order -> order < 0));
        OPERATORS.put("$lte", ordering(order -> order <= 0));
        // Arithmetic.
        OPERATORS.put("$add", (n, ops, p) -> fold(n, ops, Math::addExact, Double::sum));
        OPERATORS.put("$mult", (n, ops, p) -> fold(n, ops, Math::multiplyExact, (a, b) -> a * b));
        OPERATORS.put("$sub", exactly(2, (n, ops, p) -> fold(n, ops, Math::subtractExact, (a, b) -> a - b)));
        OPERATORS.put("$rem", exactly(2, (n, ops, p) -> fold(n, ops, ConditionOperators::remainder, (a, b) -> a % b)));
        OPERATORS.put("$div", exactly(2, ConditionOperators::divide));
        OPERATORS.put("$div_num", exactly(2, ConditionOperators::divideWhole));
        OPERATORS.put("$abs", exactly(1, ConditionOperators::abs));
        // String: on the displayed text of both operands, whatever their type.
        OPERATORS.put("$contains", exactly(2, (n, ops, p) -> record -> ConditionValue.bool(
                ops[0].apply(record).display().contains(ops[1].apply(record).display()))));
        OPERATORS.put("$starts_with", exactly(2, (n, ops, p) -> record -> ConditionValue.bool(
                ops[0].apply(record).display().startsWith(ops[1].apply(record).display()))));
        OPERATORS.put("$ends_with", exactly(2, (n, ops, p) -> record -> ConditionValue.bool(
                ops[0].apply(record).display().endsWith(ops[1].apply(record).display()))));
        // Date.
        OPERATORS.put("$second", date(ZonedDateTime::getSecond));
        OPERATORS.put("$minute", date(ZonedDateTime::getMinute));
        OPERATORS.put("$hour", date(ZonedDateTime::getHour));
        OPERATORS.put("$day", date(ZonedDateTime::getDayOfMonth));
        OPERATORS.put("$month", date(ZonedDateTime::getMonthValue));
        OPERATORS.put("$year", date(ZonedDateTime::getYear));
        OPERATORS.put("$weekday", date(time -> time.getDayOfWeek().getValue() - 1)); // Monday is 0
        // Misc.
        for (String name : List.of("$exists", "$has")) {
            OPERATORS.put(name, atLeast(1, (n, ops, p) -> record -> {
                for (ConditionNode op : ops) {
                    if (!record.labels.containsKey(op.apply(record).display())) {
                        return ConditionValue.FALSE;
                    }
                }
                return ConditionValue.TRUE;
            }));
        }
        OPERATORS.put("$cast", exactly(2, (n, ops, p) -> record ->
                cast(ops[0].apply(record), ops[1].apply(record).display())));
        OPERATORS.put("$ref", exactly(1, (n, ops, p) -> record -> {
            String name = ops[0].apply(record).display();
            String value = record.labels.get(name);
            if (value == null) {
                throw ConditionException.missingLabel("&" + name);
            }
            return ConditionValue.parseLabel(value);
        }));
        for (String name : List.of("$timestamp", "$id")) {
            OPERATORS.put(name, exactly(0, (n, ops, p) -> record -> ConditionValue.integer(record.timestamp)));
        }
    }

    private ConditionOperators() {
    }

    static boolean isKnown(String name) {
        return OPERATORS.containsKey(name);
    }

    /**
     * The operator {@code name} over {@code operands}.
     *
     * @throws ConditionException naming the operator if it is unknown or has the wrong number of operands
     */
    static ConditionNode build(String name, List<ConditionNode> operands, ConditionParser parser) {
        Builder builder = OPERATORS.get(name);
        if (builder == null) {
            throw new ConditionException("operator '" + name + "' is not supported; supported: "
                    + String.join(" ", OPERATORS.keySet()));
        }
        return builder.build(name, operands.toArray(new ConditionNode[0]), parser);
    }

    /** All of {@code operands}, in order, stopping at the first false one: the root and {@code $and}. */
    static ConditionNode allOf(List<ConditionNode> operands) {
        ConditionNode[] ops = operands.toArray(new ConditionNode[0]);
        return record -> {
            for (ConditionNode op : ops) {
                if (!op.apply(record).asBool()) {
                    return ConditionValue.FALSE;
                }
            }
            return ConditionValue.TRUE;
        };
    }

    static ConditionNode label(String name) {
        return record -> {
            String value = record.labels.get(name);
            if (value == null) {
                throw ConditionException.missingLabel("&" + name);
            }
            return ConditionValue.parseLabel(value);
        };
    }

    static ConditionNode computedLabel(String name) {
        return record -> {
            String value = record.computedLabels.get(name);
            if (value == null) {
                throw ConditionException.missingLabel("@" + name);
            }
            return ConditionValue.parseLabel(value);
        };
    }

    private static Builder exactly(int count, Builder builder) {
        return (name, ops, parser) -> {
            if (ops.length != count) {
                throw new ConditionException(name + " requires exactly " + count + " operand" + (count == 1 ? "" : "s")
                        + ", got " + ops.length);
            }
            return builder.build(name, ops, parser);
        };
    }

    private static Builder atLeast(int count, Builder builder) {
        return (name, ops, parser) -> {
            if (ops.length < count) {
                throw new ConditionException(name + " requires at least " + count + " operand"
                        + (count == 1 ? "" : "s") + ", got " + ops.length);
            }
            return builder.build(name, ops, parser);
        };
    }

    private static Builder ordering(IntPredicate holds) {
        return exactly(2, (n, ops, p) -> record -> {
            Integer order = ops[0].apply(record).compareTo(ops[1].apply(record));
            return ConditionValue.bool(order != null && holds.test(order));
        });
    }

    private static boolean member(ConditionNode[] ops, Condition.Evaluator record) {
        ConditionValue value = ops[0].apply(record);
        for (int i = 1; i < ops.length; i++) {
            if (ops[i].apply(record).sameAs(value)) {
                return true;
            }
        }
        return false;
    }

    // $limit: the (n+1)-th record that reaches it ends the scan, unreturned.
    private static ConditionNode limit(String name, ConditionNode[] ops, ConditionParser parser) {
        int slot = parser.nextSlot();
        return record -> {
            long count = record.counter(slot, 0) + 1;
            record.counter(slot, 0, count);
            if (count > ops[0].apply(record).asLong()) {
                throw Condition.Stop.INSTANCE;
            }
            return ConditionValue.TRUE;
        };
    }

    // $each_n: true for the n-th, 2n-th, … record that reaches it (so not the first, unless n is 1).
    private static ConditionNode eachN(String name, ConditionNode[] ops, ConditionParser parser) {
        int slot = parser.nextSlot();
        return record -> {
            long count = record.counter(slot, 0) + 1;
            record.counter(slot, 0, count);
            ConditionValue n = ops[0].apply(record);
            if (n.asLong() == 0) {
                throw new ConditionException("value " + n + " is not a valid operand for $each_n");
            }
            return ConditionValue.bool(count % n.asLong() == 0);
        };
    }

    // $each_t: the first record to reach it opens the clock and is NOT returned (ReductStore's EachT); after that,
    // a record is returned when at least t has passed since the last returned one (or the first one seen).
    // t is seconds (a number) or a duration literal; time going backwards restarts the clock.
    private static ConditionNode eachT(String name, ConditionNode[] ops, ConditionParser parser) {
        int slot = parser.nextSlot();
        return record -> {
            if (!record.started(slot)) {
                record.started(slot, true);
                record.counter(slot, 0, record.timestamp);
            }
            long last = record.counter(slot, 0);
            ConditionValue t = ops[0].apply(record);
            long periodMicros = t.isDuration() ? t.asLong() : saturatingMicros(t.asDouble());
            if (record.timestamp < last) {
                record.counter(slot, 0, record.timestamp);
                return ConditionValue.FALSE;
            }
            boolean due = record.timestamp - last >= Math.max(0, periodMicros);
            if (due) {
                record.counter(slot, 0, record.timestamp);
            }
            return ConditionValue.bool(due);
        };
    }

    // $gate [duration, input]: a rising edge of input opens the gate for duration; while open it passes input, and
    // once the gate has closed it stays shut until input has been false once (ReductStore's Gate). Time going
    // backwards resets it.
    private static ConditionNode gate(String name, ConditionNode[] ops, ConditionParser parser) {
        int slot = parser.nextSlot();
        return record -> {
            long flags = record.counter(slot, FLAGS);
            if (record.started(slot) && record.timestamp < record.counter(slot, LAST)) {
                flags = 0;
            }
            record.started(slot, true);
            record.counter(slot, LAST, record.timestamp);
            ConditionValue period = ops[0].apply(record);
            long durationMicros = Math.max(0, period.isDuration() ? period.asLong()
                    : saturatingMicros(period.asDouble()));
            boolean input = ops[1].apply(record).asBool();
            long deadline = record.counter(slot, DEADLINE);
            if ((flags & OPEN) != 0 && record.timestamp >= deadline) {
                flags = (flags & ~OPEN) | RESET_REQUIRED;
            }
            boolean output;
            if ((flags & RESET_REQUIRED) != 0) {
                if (!input) {
                    flags &= ~RESET_REQUIRED;
                }
                output = false;
            } else {
                if ((flags & OPEN) == 0 && (flags & PREVIOUS_INPUT) == 0 && input) {
                    long sum = record.timestamp + durationMicros;
                    deadline = sum < record.timestamp ? Long.MAX_VALUE : sum;
                    record.counter(slot, DEADLINE, deadline);
                    flags |= OPEN;
                }
                output = (flags & OPEN) != 0 && record.timestamp < deadline && input;
            }
            flags = input ? flags | PREVIOUS_INPUT : flags & ~PREVIOUS_INPUT;
            record.counter(slot, FLAGS, flags);
            return ConditionValue.bool(output);
        };
    }

    // $gate's counters and flag bits.
    private static final int LAST = 0;
    private static final int DEADLINE = 1;
    private static final int FLAGS = 2;
    private static final long OPEN = 1;
    private static final long PREVIOUS_INPUT = 2;
    private static final long RESET_REQUIRED = 4;

    private static ConditionNode fold(String name, ConditionNode[] ops, LongBinaryOperator whole,
            DoubleBinaryOperator real) {
        return record -> {
            if (ops.length == 0) {
                return ConditionValue.integer(0);
            }
            ConditionValue result = ops[0].apply(record);
            for (int i = 1; i < ops.length; i++) {
                ConditionValue next = ops[i].apply(record);
                result = combine(name, result, next, whole, real);
            }
            return result;
        };
    }

    private static ConditionValue combine(String name, ConditionValue left, ConditionValue right,
            LongBinaryOperator whole, DoubleBinaryOperator real) {
        if (left.isString() || right.isString()) {
            if (name.equals("$add") && left.isString() && right.isString()) {
                return ConditionValue.string(left.display() + right.display());
            }
            throw new ConditionException(name + " cannot combine " + left + " and " + right);
        }
        if (left.kind() == ConditionValue.Kind.FLOAT || right.kind() == ConditionValue.Kind.FLOAT) {
            return ConditionValue.real(real.applyAsDouble(left.asDouble(), right.asDouble()));
        }
        try {
            return ConditionValue.integer(whole.applyAsLong(left.asLong(), right.asLong()));
        } catch (ArithmeticException e) {
            throw new ConditionException(name + " of " + left + " and " + right + " is out of range: "
                    + e.getMessage());
        }
    }

    private static long remainder(long dividend, long divisor) {
        if (divisor == 0) {
            throw new ArithmeticException("division by zero");
        }
        return dividend % divisor;
    }

    private static ConditionNode divide(String name, ConditionNode[] ops, ConditionParser parser) {
        return record -> {
            ConditionValue dividend = ops[0].apply(record);
            ConditionValue divisor = ops[1].apply(record);
            checkNotStrings(name, dividend, divisor);
            if (divisor.asDouble() == 0.0) {
                throw new ConditionException(name + " cannot divide " + dividend + " by zero");
            }
            return ConditionValue.real(dividend.asDouble() / divisor.asDouble());
        };
    }

    private static ConditionNode divideWhole(String name, ConditionNode[] ops, ConditionParser parser) {
        return record -> {
            ConditionValue dividend = ops[0].apply(record);
            ConditionValue divisor = ops[1].apply(record);
            checkNotStrings(name, dividend, divisor);
            if (divisor.asLong() == 0) {
                throw new ConditionException(name + " cannot divide " + dividend + " by zero");
            }
            if (dividend.asLong() == Long.MIN_VALUE && divisor.asLong() == -1) {
                throw new ConditionException(name + " of " + dividend + " by -1 is out of range");
            }
            return ConditionValue.integer(dividend.asLong() / divisor.asLong());
        };
    }

    private static ConditionNode abs(String name, ConditionNode[] ops, ConditionParser parser) {
        return record -> {
            ConditionValue value = ops[0].apply(record);
            return switch (value.kind()) {
                case STRING -> throw new ConditionException("$abs cannot take the absolute value of " + value);
                case FLOAT -> ConditionValue.real(Math.abs(value.asDouble()));
                default -> {
                    if (value.asLong() == Long.MIN_VALUE) {
                        throw new ConditionException("$abs of " + value + " is out of range");
                    }
                    yield ConditionValue.integer(Math.abs(value.asLong()));
                }
            };
        };
    }

    private static void checkNotStrings(String name, ConditionValue dividend, ConditionValue divisor) {
        if (dividend.isString() || divisor.isString()) {
            throw new ConditionException(name + " cannot divide " + dividend + " by " + divisor);
        }
    }

    private static ConditionValue cast(ConditionValue value, String type) {
        return switch (type) {
            case "bool" -> ConditionValue.bool(value.asBool());
            case "int" -> ConditionValue.integer(value.asLong());
            case "float" -> ConditionValue.real(value.asDouble());
            case "string" -> ConditionValue.string(value.display());
            case "duration" -> ConditionValue.duration(value.asLong());
            default -> throw new ConditionException("$cast: unknown type '" + type
                    + "' (bool, int, float, string, duration)");
        };
    }

    private static Builder date(ToIntFunction<ZonedDateTime> field) {
        return (name, ops, parser) -> {
            if (ops.length != 1 && ops.length != 2) {
                throw new ConditionException(name + " requires one or two operands, got " + ops.length);
            }
            return record -> {
                long micros = ops[0].apply(record).asLong();
                ZoneId zone = ZoneOffset.UTC;
                if (ops.length == 2) {
                    ConditionValue zoneName = ops[1].apply(record);
                    if (!zoneName.isString()) {
                        throw new ConditionException(name + " requires the time zone to be a string, got " + zoneName);
                    }
                    try {
                        zone = ZoneId.of(zoneName.display());
                    } catch (DateTimeException e) {
                        throw new ConditionException(name + ": invalid time zone " + zoneName);
                    }
                }
                Instant instant;
                try {
                    instant = Instant.EPOCH.plusSeconds(Math.floorDiv(micros, 1_000_000L))
                            .plusNanos(Math.floorMod(micros, 1_000_000L) * 1_000L);
                    return ConditionValue.integer(field.applyAsInt(instant.atZone(zone)));
                } catch (DateTimeException | ArithmeticException e) {
                    throw new ConditionException(name + " requires a valid timestamp in microseconds, got " + micros);
                }
            };
        };
    }

    private static long saturatingMicros(double seconds) {
        double micros = seconds * 1_000_000.0;
        return Double.isNaN(micros) ? 0 : (long) micros;
    }
}
