package io.github.edgestream.api.reductstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.edgestream.api.reductstore.Condition.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code when} language against ReductStore v1.21: the documented examples (reduct.store/docs/conditional-query)
 * and the behaviour of its sources ({@code reductstore/src/storage/query/condition/}), record by record.
 */
class ConditionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECOND = 1_000_000L;

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Verdict verdict(String when, long timestamp, Map<String, String> labels) {
        return Condition.parse(json(when), false).evaluator().test(timestamp, labels);
    }

    private static Map<String, String> labels(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** One record, one verdict. Conditions use ' for " to stay readable. */
    static Stream<Arguments> singleRecords() {
        Verdict in = Verdict.INCLUDE;
        Verdict out = Verdict.SKIP;
        return Stream.of(
                // documented examples: object and array notation, several operands, unary, implicit AND
                Arguments.of("{'&label_name': {'$gt': 10}}", labels("label_name", "20"), in),
                Arguments.of("{'&label_name': {'$gt': 10}}", labels("label_name", "5"), out),
                Arguments.of("{'$gt': ['&label_name', 10]}", labels("label_name", "20"), in),
                Arguments.of("{'$and': [{'&x': {'$gt': 10}}, {'&y': {'$lt': 20}}, {'&z': {'$eq': 30}}]}",
                        labels("x", "11", "y", "19", "z", "30"), in),
                Arguments.of("{'$and': [{'&x': {'$gt': 10}}, {'&y': {'$lt': 20}}, {'&z': {'$eq': 30}}]}",
                        labels("x", "11", "y", "19", "z", "31"), out),
                Arguments.of("{'$not': '&flag'}", labels("flag", "false"), in),
                Arguments.of("{'$not': '&flag'}", labels("flag", "true"), out),
                Arguments.of("{'&a': {'$gt': 10}, '&b': {'$lt': 20}}", labels("a", "11", "b", "19"), in),
                Arguments.of("{'&a': {'$gt': 10}, '&b': {'$lt': 20}}", labels("a", "11", "b", "25"), out),
                Arguments.of("{}", labels(), in),
                Arguments.of("true", labels(), in),
                Arguments.of("false", labels(), out),
                // comparison operators, each on both sides of its boundary
                Arguments.of("{'&v': {'$eq': 5}}", labels("v", "5"), in),
                Arguments.of("{'&v': {'$ne': 5}}", labels("v", "5"), out),
                Arguments.of("{'&v': {'$ne': 5}}", labels("v", "6"), in),
                Arguments.of("{'&v': {'$gte': 5}}", labels("v", "5"), in),
                Arguments.of("{'&v': {'$gte': 5}}", labels("v", "4"), out),
                Arguments.of("{'&v': {'$lt': 5}}", labels("v", "5"), out),
                Arguments.of("{'&v': {'$lt': 5}}", labels("v", "4"), in),
                Arguments.of("{'&v': {'$lte': 5}}", labels("v", "5"), in),
                Arguments.of("{'&v': {'$lte': 5}}", labels("v", "6"), out),
                // a label that reads as a number compares as one: "10" > 9 although "10" < "9" as text
                Arguments.of("{'&n': {'$gt': 9}}", labels("n", "10"), in),
                Arguments.of("{'&n': {'$eq': 10}}", labels("n", "10.0"), in),
                Arguments.of("{'&n': {'$lt': 10.5}}", labels("n", "10"), in),
                Arguments.of("{'&s': {'$gt': 'abc'}}", labels("s", "abd"), in),
                // a label "10" is the integer 10, so it never equals the string "10" (as in ReductStore) ...
                Arguments.of("{'&s': {'$eq': '10'}}", labels("s", "10"), out),
                // ... unless cast back to a string
                Arguments.of("{'$eq': [{'$cast': ['&s', 'string']}, '10']}", labels("s", "10"), in),
                // a string and a number never order, and are never equal
                Arguments.of("{'&s': {'$gt': 1}}", labels("s", "abc"), out),
                Arguments.of("{'&s': {'$lt': 1}}", labels("s", "abc"), out),
                Arguments.of("{'&s': {'$ne': 1}}", labels("s", "abc"), in),
                // booleans are 0 and 1 among numbers; only exactly "true"/"false" is a boolean
                Arguments.of("{'&b': {'$eq': true}}", labels("b", "true"), in),
                Arguments.of("{'&b': {'$eq': 1}}", labels("b", "true"), in),
                Arguments.of("{'&b': {'$eq': true}}", labels("b", "True"), out),
                // $in / $nin with mixed types: numbers match across int/float, strings only strings
                Arguments.of("{'$in': ['&v', 'a', 2, 3.5, true]}", labels("v", "2"), in),
                Arguments.of("{'$in': ['&v', 'a', 2, 3.5, true]}", labels("v", "2.0"), in),
                Arguments.of("{'$in': ['&v', 'a', 2, 3.5, true]}", labels("v", "3.5"), in),
                Arguments.of("{'$in': ['&v', 'a', 2, 3.5, true]}", labels("v", "a"), in),
                Arguments.of("{'$in': ['&v', 'a', 2, 3.5, true]}", labels("v", "1"), in),
                Arguments.of("{'$in': ['&v', 'a', 2, 3.5, true]}", labels("v", "b"), out),
                Arguments.of("{'$in': ['&v', 'a', 2, 3.5]}", labels("v", "3"), out),
                Arguments.of("{'$nin': ['&v', 'a', 2]}", labels("v", "b"), in),
                Arguments.of("{'$nin': ['&v', 'a', 2]}", labels("v", "2"), out),
                // logical
                Arguments.of("{'$or': [{'&a': {'$eq': 1}}, {'&b': {'$eq': 2}}]}", labels("a", "0", "b", "2"), in),
                Arguments.of("{'$or': [{'&a': {'$eq': 1}}, {'&b': {'$eq': 2}}]}", labels("a", "0", "b", "0"), out),
                Arguments.of("{'$xor': [true, false]}", labels(), in),
                Arguments.of("{'$xor': [true, true]}", labels(), out),
                Arguments.of("{'$one_of': [false, false, true]}", labels(), in),
                Arguments.of("{'$any_of': [false, 0, '']}", labels(), out),
                Arguments.of("{'$all_of': [1, 'x', 2.5]}", labels(), in),
                Arguments.of("{'$none_of': [false, 0]}", labels(), in),
                // an object operand contributes all its keys: $not of two conditions is "neither"
                Arguments.of("{'$not': [{'&a': {'$eq': 1}, '&b': {'$eq': 2}}]}", labels("a", "0", "b", "2"), out),
                Arguments.of("{'$not': [{'&a': {'$eq': 1}, '&b': {'$eq': 2}}]}", labels("a", "0", "b", "0"), in),
                // string operators work on the displayed text, numbers included (1.50 shows as 1.5)
                Arguments.of("{'&s': {'$contains': 'ell'}}", labels("s", "hello"), in),
                Arguments.of("{'&s': {'$contains': 'xyz'}}", labels("s", "hello"), out),
                Arguments.of("{'&s': {'$starts_with': 'he'}}", labels("s", "hello"), in),
                Arguments.of("{'&s': {'$ends_with': 'lo'}}", labels("s", "hello"), in),
                Arguments.of("{'&s': {'$ends_with': 'he'}}", labels("s", "hello"), out),
                Arguments.of("{'&n': {'$ends_with': '.5'}}", labels("n", "1.50"), in),
                // arithmetic
                Arguments.of("{'$gt': [{'$add': ['&a', '&b']}, 10]}", labels("a", "5", "b", "6"), in),
                Arguments.of("{'$gt': [{'$add': ['&a', '&b']}, 10]}", labels("a", "5", "b", "5"), out),
                Arguments.of("{'$eq': [{'$add': ['ab', 'cd']}, 'abcd']}", labels(), in),
                Arguments.of("{'$eq': [{'$sub': [10, 4]}, 6]}", labels(), in),
                Arguments.of("{'$eq': [{'$mult': [2, 3, 4]}, 24]}", labels(), in),
                Arguments.of("{'$eq': [{'$div': [7, 2]}, 3.5]}", labels(), in),
                Arguments.of("{'$eq': [{'$div_num': [7, 2]}, 3]}", labels(), in),
                Arguments.of("{'$eq': [{'$rem': [7, 2]}, 1]}", labels(), in),
                Arguments.of("{'$eq': [{'$abs': -3}, 3]}", labels(), in),
                Arguments.of("{'$eq': [{'$abs': -2.5}, 2.5]}", labels(), in),
                // misc: $exists/$has, $ref, $timestamp, $cast
                Arguments.of("{'$exists': ['a', 'b']}", labels("a", "1", "b", "2"), in),
                Arguments.of("{'$has': ['a', 'b']}", labels("a", "1"), out),
                Arguments.of("{'$eq': [{'$ref': 'name'}, 5]}", labels("name", "5"), in),
                Arguments.of("{'$eq': [{'$cast': ['&f', 'int']}, 2]}", labels("f", "2.9"), in),
                // durations: literals add up, a duration equals its microseconds
                Arguments.of("{'$eq': ['1h -30m', '30m']}", labels(), in),
                Arguments.of("{'$eq': ['100ms 500us', 100500]}", labels(), in),
                // '$$' escapes a string that starts with '$'
                Arguments.of("{'&p': {'$eq': '$$plugin'}}", labels("p", "$plugin"), in),
                // a computed label is never there in edgestream's two-argument test
                Arguments.of("{'@score': {'$gt': 1}}", labels("score", "5"), out));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("singleRecords")
    void evaluatesOneRecordAsReductStoreDoes(String when, Map<String, String> labels, Verdict expected) {
        assertThat(verdict(when, 0, labels)).isEqualTo(expected);
    }

    static Stream<Arguments> timestamps() {
        long oneAmUtc = 3_600 * SECOND;
        return Stream.of(
                Arguments.of("{'$gte': ['$timestamp', 1000]}", 1000L, Verdict.INCLUDE),
                Arguments.of("{'$gte': ['$timestamp', 1000]}", 999L, Verdict.SKIP),
                Arguments.of("{'$lt': ['$id', '1s']}", SECOND - 1, Verdict.INCLUDE),
                Arguments.of("{'$lt': ['$id', '1s']}", SECOND, Verdict.SKIP),
                Arguments.of("{'$eq': [{'$hour': '$timestamp'}, 1]}", oneAmUtc, Verdict.INCLUDE),
                Arguments.of("{'$eq': [{'$hour': ['$timestamp', 'Europe/Berlin']}, 2]}", oneAmUtc, Verdict.INCLUDE),
                Arguments.of("{'$eq': [{'$weekday': '$timestamp'}, 3]}", 0L, Verdict.INCLUDE), // 1970-01-01: Thu
                Arguments.of("{'$eq': [{'$year': '$timestamp'}, 2024]}", 1_704_067_200L * SECOND, Verdict.INCLUDE),
                Arguments.of("{'$eq': [{'$month': '$timestamp'}, 1]}", 1_704_067_200L * SECOND, Verdict.INCLUDE),
                Arguments.of("{'$eq': [{'$day': '$timestamp'}, 1]}", 1_704_067_200L * SECOND, Verdict.INCLUDE),
                Arguments.of("{'$eq': [{'$minute': '$timestamp'}, 2]}", 125 * SECOND, Verdict.INCLUDE),
                Arguments.of("{'$eq': [{'$second': '$timestamp'}, 5]}", 125 * SECOND, Verdict.INCLUDE));
    }

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @MethodSource("timestamps")
    void readsTheRecordTimestamp(String when, long timestamp, Verdict expected) {
        assertThat(verdict(when, timestamp, labels())).isEqualTo(expected);
    }

    @Test
    void computedLabelsAreReadWhenTheCallerHasThem() {
        Condition.Evaluator evaluator = Condition.parse(json("{'@score': {'$gt': 1}}"), false).evaluator();
        assertThat(evaluator.test(0, labels(), labels("score", "5"))).isEqualTo(Verdict.INCLUDE);
    }

    // --- missing labels

    @Test
    void missingLabelSkipsTheRecordOutsideStrictMode() {
        assertThat(verdict("{'&missing': {'$eq': 1}}", 0, labels("other", "1"))).isEqualTo(Verdict.SKIP);
    }

    // ReductStore turns the whole evaluation into an error, so even $not or a true branch of $or cannot rescue it.
    @Test
    void missingLabelFailsTheWholeConditionNotJustItsBranch() {
        assertThat(verdict("{'$not': [{'&missing': {'$eq': 1}}]}", 0, labels())).isEqualTo(Verdict.SKIP);
        assertThat(verdict("{'$or': [{'&missing': {'$eq': 1}}, true]}", 0, labels())).isEqualTo(Verdict.SKIP);
    }

    @Test
    void missingLabelInStrictModeIsAnErrorNamingTheLabel() {
        Condition.Evaluator evaluator = Condition.parse(json("{'&sensor': {'$eq': 1}}"), true).evaluator();
        assertThat(evaluator.test(0, labels("sensor", "1"))).isEqualTo(Verdict.INCLUDE);
        assertThatThrownBy(() -> evaluator.test(1, labels("other", "1")))
                .isInstanceOf(ConditionException.class)
                .hasMessageContaining("'&sensor'")
                .satisfies(e -> assertThat(((ConditionException) e).missingLabel()).isEqualTo("&sensor"));
    }

    @Test
    void typeErrorsSkipOutsideStrictModeAndFailInStrictMode() {
        String when = "{'$gt': [{'$add': ['&a', 1]}, 0]}"; // "x" + 1 cannot be computed
        assertThat(verdict(when, 0, labels("a", "x"))).isEqualTo(Verdict.SKIP);
        assertThatThrownBy(() -> Condition.parse(json(when), true).evaluator().test(0, labels("a", "x")))
                .isInstanceOf(ConditionException.class).hasMessageContaining("$add").hasMessageContaining("'x'");
    }

    // --- stateful operators: $limit, $each_n, $each_t, $gate

    private static List<Verdict> run(String when, long[] timestamps, List<Map<String, String>> labels) {
        Condition.Evaluator evaluator = Condition.parse(json(when), false).evaluator();
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < timestamps.length; i++) {
            verdicts.add(evaluator.test(timestamps[i], labels.get(i)));
        }
        return verdicts;
    }

    private static List<Verdict> runTimes(String when, long... timestamps) {
        List<Map<String, String>> none = new ArrayList<>();
        for (long ignored : timestamps) {
            none.add(labels());
        }
        return run(when, timestamps, none);
    }

    private static List<Verdict> runLabels(String when, String label, String... values) {
        long[] timestamps = new long[values.length];
        List<Map<String, String>> labels = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            timestamps[i] = i;
            labels.add(labels(label, values[i]));
        }
        return run(when, timestamps, labels);
    }

    private static final Verdict I = Verdict.INCLUDE;
    private static final Verdict S = Verdict.SKIP;
    private static final Verdict X = Verdict.STOP;

    @Test
    void limitStopsTheScanAfterNIncludesAndStaysStopped() {
        assertThat(runTimes("{'$limit': 3}", 1, 2, 3, 4, 5)).containsExactly(I, I, I, X, X);
    }

    @Test
    void limitAfterAFilterCountsOnlyMatchingRecords() {
        assertThat(runLabels("{'&a': {'$eq': 1}, '$limit': 2}", "a", "0", "1", "0", "1", "1", "0"))
                .containsExactly(S, I, S, I, X, X);
    }

    // Documented: "the order of operators affects the result".
    @Test
    void limitBeforeAFilterCountsEveryRecord() {
        assertThat(runLabels("{'$limit': 2, '&a': {'$eq': 1}}", "a", "0", "1", "1")).containsExactly(S, I, X);
    }

    @Test
    void limitZeroStopsAtTheFirstRecord() {
        assertThat(runTimes("{'$limit': 0}", 1)).containsExactly(X);
    }

    @Test
    void eachNKeepsEveryNthRecord() {
        assertThat(runTimes("{'$each_n': 3}", 1, 2, 3, 4, 5, 6, 7)).containsExactly(S, S, I, S, S, I, S);
    }

    @Test
    void eachNAfterAFilterKeepsEveryNthMatchingRecord() {
        assertThat(runLabels("{'&score': {'$gt': 10}, '$each_n': 2}", "score", "11", "1", "12", "13", "2", "14"))
                .containsExactly(S, S, I, S, S, I);
    }

    @Test
    void eachNOfZeroIsAnErrorNamingTheOperator() {
        assertThat(runTimes("{'$each_n': 0}", 1)).containsExactly(S);
        assertThatThrownBy(() -> Condition.parse(json("{'$each_n': 0}"), true).evaluator().test(1, labels()))
                .isInstanceOf(ConditionException.class).hasMessageContaining("$each_n");
    }

    // ReductStore's EachT: the first record starts the clock and is not returned; then one record per period.
    @Test
    void eachTKeepsOneRecordPerPeriodAfterTheFirst() {
        long[] times = {0, 400_000, SECOND, 1_500_000, 2 * SECOND, 2_100_000, 5 * SECOND};
        List<Verdict> expected = List.of(S, S, I, S, I, S, I);
        assertThat(runTimes("{'$each_t': 1}", times)).isEqualTo(expected);
        assertThat(runTimes("{'$each_t': '1s'}", times)).isEqualTo(expected);
        assertThat(runTimes("{'$each_t': '1000ms'}", times)).isEqualTo(expected);
    }

    @Test
    void eachTTakesFractionalSeconds() {
        assertThat(runTimes("{'$each_t': 0.5}", 0, 400_000, 500_000, 900_000, 1_000_000))
                .containsExactly(S, S, I, S, I);
    }

    @Test
    void eachTRestartsWhenTimeGoesBackwards() {
        assertThat(runTimes("{'$each_t': 1}", 10 * SECOND, 5 * SECOND, 5 * SECOND + 999_999, 6 * SECOND))
                .containsExactly(S, S, S, I);
    }

    @Test
    void eachTAfterAFilterMeasuresFromTheLastKeptMatchingRecord() {
        long[] times = {0, SECOND, 2 * SECOND, 3 * SECOND};
        List<Map<String, String>> labels = List.of(labels("a", "1"), labels("a", "1"), labels("a", "0"),
                labels("a", "1"));
        assertThat(run("{'&a': {'$eq': 1}, '$each_t': 1.5}", times, labels)).containsExactly(S, S, S, I);
    }

    // $gate [duration, input]: opens on input rising, passes input while open, then waits for input to fall.
    @Test
    void gateOpensForItsDurationOnARisingEdge() {
        long[] times = {0, SECOND, 2 * SECOND, 3 * SECOND, 4 * SECOND, 5 * SECOND, 6 * SECOND};
        List<Map<String, String>> labels = new ArrayList<>();
        for (String on : new String[] {"0", "1", "1", "1", "0", "1", "1"}) {
            labels.add(labels("on", on));
        }
        assertThat(run("{'$gate': ['2s', {'&on': {'$eq': 1}}]}", times, labels))
                .containsExactly(S, I, I, S, S, I, I);
    }

    @Test
    void gateOfZeroDurationNeverPasses() {
        assertThat(runTimes("{'$gate': [0, true]}", 0, 1, 2)).containsExactly(S, S, S);
    }

    @Test
    void evaluatorsOfOneConditionKeepSeparateCounters() {
        Condition condition = Condition.parse(json("{'$limit': 1}"), false);
        Condition.Evaluator first = condition.evaluator();
        Condition.Evaluator second = condition.evaluator();
        assertThat(first.test(1, labels())).isEqualTo(I);
        assertThat(first.test(2, labels())).isEqualTo(X);
        assertThat(second.test(1, labels())).isEqualTo(I);
    }

    // --- errors at parse time: every message names what is wrong

    static Stream<Arguments> invalidConditions() {
        return Stream.of(
                Arguments.of("{'&a': {'$foo': 1}}", "'$foo' is not supported"),
                Arguments.of("{'$bar': [1, 2]}", "'$bar' is not supported"),
                Arguments.of("{'&a': {'$eq': '$nope'}}", "'$nope'"),
                Arguments.of("{'$eq': [1]}", "$eq requires exactly 2 operands, got 1"),
                Arguments.of("{'$gt': [1, 2, 3]}", "$gt requires exactly 2 operands, got 3"),
                Arguments.of("{'$in': ['&a']}", "$in requires at least 2 operands, got 1"),
                Arguments.of("{'$limit': []}", "$limit requires exactly 1 operand, got 0"),
                Arguments.of("{'$each_t': [1, 2]}", "$each_t requires exactly 1 operand, got 2"),
                Arguments.of("{'$timestamp': [1]}", "$timestamp requires exactly 0 operands, got 1"),
                Arguments.of("{'$hour': [1, 'UTC', 3]}", "$hour requires one or two operands, got 3"),
                Arguments.of("{'$exists': []}", "$exists requires at least 1 operand, got 0"),
                Arguments.of("{'&a': {'$eq': 1, '$ne': 2}}", "'&a' must map to exactly one operator"),
                Arguments.of("{'&a': {}}", "'&a' must map to exactly one operator"),
                Arguments.of("{'&a': 1}", "'&a' is not an operator"),
                Arguments.of("{'&a': {'$eq': null}}", "null"),
                Arguments.of("{'&a': {'$in': [1, 2]}}", "array [1,2] is not allowed here"),
                Arguments.of("[1, 2]", "array [1,2] is not allowed here"),
                Arguments.of("null", "null"),
                Arguments.of("{'$eq': [18446744073709551616, 1]}", "18446744073709551616 is out of range"),
                Arguments.of("{'#ctx_before': 1, '&a': {'$eq': 1}}", "directive '#ctx_before'"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidConditions")
    void rejectsMalformedConditionsNamingTheProblem(String when, String message) {
        assertThatThrownBy(() -> Condition.parse(json(when), false))
                .isInstanceOf(ConditionException.class).hasMessageContaining(message);
    }

    @Test
    void unknownOperatorIsRejectedInStrictModeToo() {
        assertThatThrownBy(() -> Condition.parse(json("{'$regex': ['&a', 'x']}"), true))
                .isInstanceOf(ConditionException.class).hasMessageContaining("'$regex'");
    }

    @Test
    void missingConditionIsRejected() {
        assertThatThrownBy(() -> Condition.parse(null, false))
                .isInstanceOf(ConditionException.class).hasMessageContaining("missing");
    }

    // --- bounded work: depth 32 and 1,000 JSON values, each at max and max + 1

    /** {"$and": [ … {"$and": [true]} … ]}: two levels (object and array) per layer. */
    private static String nested(int layers, String innermost) {
        return "{'$and': [".repeat(layers) + innermost + "]}".repeat(layers);
    }

    @Test
    void acceptsNestingOfExactly32Levels() {
        String depth32 = nested(15, "{'$and': [true]}"); // 15 * 2 + 2
        assertThat(verdict(depth32, 0, labels())).isEqualTo(Verdict.INCLUDE);
    }

    @Test
    void rejectsNestingDeeperThan32Levels() {
        String depth33 = nested(16, "{'$not': false}"); // 16 * 2 + 1
        assertThatThrownBy(() -> Condition.parse(json(depth33), false))
                .isInstanceOf(ConditionException.class).hasMessageContaining("deeper than 32");
    }

    /** {"$in": ["&a", 1, 2, …, n]}: the object, the array, "&a" and n numbers. */
    private static String valueCount(int total) {
        StringBuilder text = new StringBuilder("{'$in': ['&a'");
        for (int i = 1; i <= total - 3; i++) {
            text.append(", ").append(i);
        }
        return text.append("]}").toString();
    }

    @Test
    void acceptsExactly1000JsonValues() {
        assertThat(verdict(valueCount(1_000), 0, labels("a", "997"))).isEqualTo(Verdict.INCLUDE);
    }

    @Test
    void rejectsMoreThan1000JsonValues() {
        assertThatThrownBy(() -> Condition.parse(json(valueCount(1_001)), false))
                .isInstanceOf(ConditionException.class).hasMessageContaining("more than 1000");
    }

    // --- values and durations

    @Test
    void labelValuesParseAsRustDoes() {
        assertThat(ConditionValue.parseLabel("42").kind()).isEqualTo(ConditionValue.Kind.INT);
        assertThat(ConditionValue.parseLabel("-4.5e2").kind()).isEqualTo(ConditionValue.Kind.FLOAT);
        assertThat(ConditionValue.parseLabel("true").kind()).isEqualTo(ConditionValue.Kind.BOOL);
        // Java would read these as numbers; Rust does not
        assertThat(ConditionValue.parseLabel(" 42").kind()).isEqualTo(ConditionValue.Kind.STRING);
        assertThat(ConditionValue.parseLabel("1.5f").kind()).isEqualTo(ConditionValue.Kind.STRING);
        assertThat(ConditionValue.parseLabel("0x10").kind()).isEqualTo(ConditionValue.Kind.STRING);
        // a label never becomes a duration
        assertThat(ConditionValue.parseLabel("5s").kind()).isEqualTo(ConditionValue.Kind.STRING);
    }

    // ReductStore's own table (duration_format.rs): parse and print round-trip.
    @Test
    void durationsParseAndPrintAsReductStoreDoes() {
        Map<Long, String> table = Map.of(0L, "0us", -1L, "-1us", 100_000L, "100ms", -SECOND, "-1s",
                60 * SECOND, "1m", 86_400 * SECOND + 3_600 * SECOND, "1d 1h", 86_400 * SECOND - 3_600 * SECOND + 5,
                "23h 5us");
        table.forEach((micros, text) -> {
            assertThat(ConditionDurations.parse(text)).as(text).isEqualTo(micros);
            assertThat(ConditionDurations.format(micros)).as(text).isEqualTo(text);
        });
        assertThat(ConditionDurations.parse("2.5m")).isNull();
        assertThat(ConditionDurations.parse("100xyz")).isNull();
        assertThat(ConditionDurations.parse("1h,2m")).isNull();
    }
}
