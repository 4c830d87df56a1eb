package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns the JSON of a {@code when} condition into {@link ConditionNode}s with ReductStore's rules
 * ({@code condition/parser.rs}, v1.21):
 * <pre>
 *   {"$op": [a, b, …]}        array form: operator over the operands
 *   {"&amp;label": {"$op": b}}    object form: the key is the first operand, exactly one operator inside
 *   {"$op": b}                scalar form: operator over one operand ({"$limit": 10})
 *   {k1: …, k2: …}            several keys: all must hold (AND, in key order, short-circuit)
 *   "&amp;name" "@name"           a label, a computed label
 *   "$op"                     an operator without operands ("$timestamp")
 *   "$$text"                  the string "$text"
 *   "1h 30m", "100ms"         a duration (us ms s m h d)
 * </pre>
 * An object used as an operand contributes all its keys as operands ({@code {"$not": [{"&a": …, "&b": …}]}} is
 * "neither"), as in ReductStore. Arrays other than operand lists, and null, are errors. One parser per parse; not
 * thread-safe.
 */
final class ConditionParser {

    static final int MAX_DEPTH = 32;
    static final int MAX_NODES = 1_000;

    private int nodes;
    private int slots;

    ConditionNode parseRoot(JsonNode when) {
        if (when == null || when.isMissingNode()) {
            throw new ConditionException("condition is missing");
        }
        if (when.isObject()) {
            for (Iterator<String> names = when.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.startsWith("#")) {
                    throw new ConditionException("directive '" + name + "' is not supported by edgestream");
                }
            }
        }
        return ConditionOperators.allOf(parse(when, 1));
    }

    /** How many state slots the stateful operators took. */
    int slots() {
        return slots;
    }

    int nextSlot() {
        return slots++;
    }

    // depth: how many objects and arrays enclose json, json included if it is one (the root object is at 1).
    private List<ConditionNode> parse(JsonNode json, int depth) {
        if (json.isContainerNode()) {
            checkDepth(depth);
        }
        countNode();
        if (json.isObject()) {
            return parseObject(json, depth);
        }
        if (json.isBoolean()) {
            return List.of(constant(ConditionValue.bool(json.booleanValue())));
        }
        if (json.isNumber()) {
            return List.of(constant(number(json)));
        }
        if (json.isTextual()) {
            return List.of(literal(json.textValue()));
        }
        if (json.isArray()) {
            throw new ConditionException("array " + abbreviate(json) + " is not allowed here: an array must be the"
                    + " operand list of an operator, as in {\"$in\": [\"&label\", 1, 2]}");
        }
        throw new ConditionException("value " + abbreviate(json) + " is not allowed in a condition");
    }

    private List<ConditionNode> parseObject(JsonNode object, int depth) {
        List<ConditionNode> expressions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (value.isArray()) {
                checkDepth(depth + 1);
                countNode();
                List<ConditionNode> operands = new ArrayList<>();
                for (JsonNode operand : value) {
                    operands.addAll(parse(operand, depth + 2));
                }
                expressions.add(operator(key, operands));
            } else if (value.isObject()) {
                expressions.add(parseObjectSyntax(key, value, depth + 1));
            } else {
                expressions.add(operator(key, parse(value, depth + 1)));
            }
        }
        return expressions;
    }

    private ConditionNode parseObjectSyntax(String leftOperand, JsonNode operatorAndRight, int depth) {
        if (operatorAndRight.size() != 1) {
            throw new ConditionException("'" + leftOperand + "' must map to exactly one operator, as in {\""
                    + leftOperand + "\": {\"$eq\": 1}}; got " + operatorAndRight.size() + ": "
                    + abbreviate(operatorAndRight));
        }
        checkDepth(depth);
        countNode();
        Map.Entry<String, JsonNode> only = operatorAndRight.fields().next();
        List<ConditionNode> operands = new ArrayList<>();
        operands.add(literal(leftOperand));
        operands.addAll(parse(only.getValue(), depth + 1));
        return operator(only.getKey(), operands);
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new ConditionException("condition nests deeper than " + MAX_DEPTH + " levels of objects and arrays");
        }
    }

    private void countNode() {
        if (++nodes > MAX_NODES) {
            throw new ConditionException("condition has more than " + MAX_NODES + " JSON values");
        }
    }

    private ConditionNode operator(String name, List<ConditionNode> operands) {
        if (!name.startsWith("$")) {
            throw new ConditionException("'" + name + "' is not an operator (operators start with '$'); to test a"
                    + " label write {\"" + name + "\": {\"$eq\": …}}");
        }
        return ConditionOperators.build(name, operands, this);
    }

    private ConditionNode literal(String text) {
        if (text.startsWith("&")) {
            return ConditionOperators.label(text.substring(1));
        }
        if (text.startsWith("@")) {
            return ConditionOperators.computedLabel(text.substring(1));
        }
        if (text.startsWith("$$")) {
            return constant(ConditionValue.string(text.substring(1)));
        }
        if (text.startsWith("$")) {
            if (!ConditionOperators.isKnown(text)) {
                throw new ConditionException("unknown '$' literal '" + text + "'; use '$$' to escape a string");
            }
            return ConditionOperators.build(text, List.of(), this);
        }
        Long micros = ConditionDurations.parse(text);
        return constant(micros != null ? ConditionValue.duration(micros) : ConditionValue.string(text));
    }

    private static ConditionValue number(JsonNode number) {
        if (number.isIntegralNumber()) {
            if (!number.canConvertToLong()) {
                throw new ConditionException("integer " + number.bigIntegerValue() + " is out of range (max "
                        + BigInteger.valueOf(Long.MAX_VALUE) + ")");
            }
            return ConditionValue.integer(number.longValue());
        }
        return ConditionValue.real(number.doubleValue());
    }

    private static ConditionNode constant(ConditionValue value) {
        return record -> value;
    }

    private static String abbreviate(JsonNode json) {
        String text = json.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
