package io.github.edgestream.exporter.sitewise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.exporter.sitewise.SiteWiseEntryParser.InvalidEntryException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.iotsitewise.model.AssetPropertyValue;
import software.amazon.awssdk.services.iotsitewise.model.PutAssetPropertyValueEntry;
import software.amazon.awssdk.services.iotsitewise.model.Quality;
import software.amazon.awssdk.services.iotsitewise.model.TimeInNanos;
import software.amazon.awssdk.services.iotsitewise.model.Variant;

class SiteWiseEntryParserTest {

    private final SiteWiseEntryParser parser = new SiteWiseEntryParser();

    private static final PutAssetPropertyValueEntry DOUBLE_TWO = PutAssetPropertyValueEntry.builder()
            .entryId("e1")
            .propertyAlias("/plant/line1/temp")
            .propertyValues(AssetPropertyValue.builder()
                    .value(Variant.builder().doubleValue(2.0).build())
                    .timestamp(TimeInNanos.builder().timeInSeconds(1767225600L).offsetInNanos(5).build())
                    .quality(Quality.GOOD)
                    .build())
            .build();

    // The first three are byte for byte what the util helpers wrote for the same entry (doubleValue 2.0):
    // JS aws-greengrass-core-sdk 1.7.0 util.validateAndSerializeToJsonBytes, Python SDK 1.1.1
    // Util.validate_and_serialize_to_json_bytes, Java SDK 1.1.0 ValidateAndSerialize.validateAndSerializeToJsonBytes.
    static Stream<Arguments> theSameEntryAsEachSdkWritesIt() {
        return Stream.of(
                Arguments.of("JS, compact, doubleValue as the integer 2",
                        "{\"entryId\":\"e1\",\"propertyAlias\":\"/plant/line1/temp\",\"propertyValues\":[{\"value\":"
                                + "{\"doubleValue\":2},\"timestamp\":{\"timeInSeconds\":1767225600,\"offsetInNanos\":5},"
                                + "\"quality\":\"GOOD\"}]}"),
                Arguments.of("Python, with spaces",
                        "{\"entryId\": \"e1\", \"propertyAlias\": \"/plant/line1/temp\", \"propertyValues\": "
                                + "[{\"value\": {\"doubleValue\": 2.0}, \"timestamp\": {\"timeInSeconds\": 1767225600, "
                                + "\"offsetInNanos\": 5}, \"quality\": \"GOOD\"}]}"),
                Arguments.of("Java, compact, no nulls",
                        "{\"entryId\":\"e1\",\"propertyAlias\":\"/plant/line1/temp\",\"propertyValues\":[{\"value\":"
                                + "{\"doubleValue\":2.0},\"timestamp\":{\"timeInSeconds\":1767225600,\"offsetInNanos\":5},"
                                + "\"quality\":\"GOOD\"}]}"),
                Arguments.of("Java with unknown keys (a newer SDK) at every level",
                        "{\"entryId\":\"e1\",\"propertyAlias\":\"/plant/line1/temp\",\"batchHint\":{\"a\":[1,2]},"
                                + "\"propertyValues\":[{\"value\":{\"doubleValue\":2.0,\"unit\":\"C\"},\"timestamp\":"
                                + "{\"timeInSeconds\":1767225600,\"offsetInNanos\":5,\"zone\":\"UTC\"},"
                                + "\"quality\":\"GOOD\",\"source\":\"plc-7\"}]}"),
                Arguments.of("pretty-printed, keys reordered, absent keys as null, numbers with exponents",
                        "{\n  \"propertyValues\" : [ {\n    \"quality\" : \"GOOD\",\n    \"timestamp\" : {"
                                + " \"offsetInNanos\" : 5.0, \"timeInSeconds\" : 1.7672256E9 },\n    \"value\" : {"
                                + " \"stringValue\" : null, \"doubleValue\" : 2E0 }\n  } ],\n  \"assetId\" : null,\n"
                                + "  \"entryId\" : \"e1\",\n  \"propertyAlias\" : \"/plant/line1/temp\"\n}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void theSameEntryAsEachSdkWritesIt(String sdk, String json) throws Exception {
        assertThat(parser.parse(bytes(json))).isEqualTo(DOUBLE_TWO);
    }

    // JS integerValue, no quality, no offsetInNanos, asset and property ids instead of an alias (JS 1.7.0 output)
    @Test
    void readsIdsAnIntegerAndDefaultsTheOffsetToZero() throws Exception {
        var entry = parser.parse(bytes("{\"entryId\":\"e2\",\"assetId\":\"a1b2c3d4-5678-90ab-cdef-11111EXAMPLE\","
                + "\"propertyId\":\"a1b2c3d4-5678-90ab-cdef-22222EXAMPLE\",\"propertyValues\":[{\"value\":"
                + "{\"integerValue\":7},\"timestamp\":{\"timeInSeconds\":1767225600}}]}"));

        assertThat(entry.assetId()).isEqualTo("a1b2c3d4-5678-90ab-cdef-11111EXAMPLE");
        assertThat(entry.propertyId()).isEqualTo("a1b2c3d4-5678-90ab-cdef-22222EXAMPLE");
        assertThat(entry.propertyAlias()).isNull();
        var value = entry.propertyValues().get(0);
        assertThat(value.value()).isEqualTo(Variant.builder().integerValue(7).build());
        assertThat(value.timestamp()).isEqualTo(TimeInNanos.builder().timeInSeconds(1767225600L).offsetInNanos(0)
                .build());
        assertThat(value.quality()).isNull();
    }

    // Python 1.1.1 output: two values, a boolean and a string, the second UNCERTAIN
    @Test
    void readsBooleanAndStringValues() throws Exception {
        var entry = parser.parse(bytes("{\"entryId\": \"e2\", \"propertyAlias\": \"/plant/line1/state\", "
                + "\"propertyValues\": [{\"value\": {\"booleanValue\": true}, \"timestamp\": {\"timeInSeconds\": "
                + "1767225600}}, {\"value\": {\"stringValue\": \"ok\"}, \"timestamp\": {\"timeInSeconds\": "
                + "1767225601}, \"quality\": \"UNCERTAIN\"}]}"));

        assertThat(entry.propertyValues()).extracting(AssetPropertyValue::value).containsExactly(
                Variant.builder().booleanValue(true).build(), Variant.builder().stringValue("ok").build());
        assertThat(entry.propertyValues().get(1).quality()).isEqualTo(Quality.UNCERTAIN);
    }

    // Python writes float('nan') as a bare NaN, and SiteWise stores NaN doubles
    @Test
    void acceptsPythonsBareNaNAsADouble() throws Exception {
        var entry = parser.parse(bytes(entry("{\"doubleValue\": NaN}", "{\"timeInSeconds\": 1767225600}")));

        assertThat(entry.propertyValues().get(0).value().doubleValue()).isNaN();
    }

    @Test
    void keepsTheBoundariesOfTheTimestamp() throws Exception {
        var entry = parser.parse(bytes(entry("{\"booleanValue\":false}",
                "{\"timeInSeconds\":31556889864403199,\"offsetInNanos\":999999999}")));

        assertThat(entry.propertyValues().get(0).timestamp().timeInSeconds()).isEqualTo(31556889864403199L);
        assertThat(entry.propertyValues().get(0).timestamp().offsetInNanos()).isEqualTo(999_999_999);
    }

    // Each reason names the field, the value seen and the rule, so that the producer can fix the message.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not JSON               | {"entryId":"e1",                        | not JSON
            trailing garbage       | {"entryId":"e1"} x                      | not JSON
            empty payload          | ` `                                     | not JSON: the payload is empty
            a JSON array           | [1,2]                                   | the JSON is an array, expected an object
            missing entryId        | {"propertyAlias":"/a"}                  | entryId is missing
            entryId not a string   | {"entryId":5}                           | entryId is the number 5, must be a string
            entryId with a space   | {"entryId":"e 1"}                       | entryId is "e 1", must match ^[a-zA-Z0-9_-]+$
            entryId empty          | {"entryId":""}                          | entryId is "" (0 characters), must have 1 to 64
            no property named      | {"entryId":"e1"}                        | propertyAlias is missing, and so are assetId and
            assetId alone          | {"entryId":"e1","assetId":"a"}          | propertyId is missing
            alias with a newline   | {"entryId":"e1","propertyAlias":"/a\\nb"} | propertyAlias is "/a\\u000ab", must not contain control
            missing propertyValues | {"entryId":"e1","propertyAlias":"/a"}   | propertyValues is missing
            empty propertyValues   | {"entryId":"e","propertyAlias":"/a","propertyValues":[]} | propertyValues has 0 values, must have 1 to 10
            """)
    void refusesAnEntryNamingTheField(String rule, String json, String reason) {
        assertThatThrownBy(() -> parser.parse(bytes(json)))
                .isInstanceOf(InvalidEntryException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            two variant values    | {"doubleValue":1,"integerValue":1} | has 2 values (doubleValue, integerValue), must have exactly one of
            no variant value      | {"nullValue":{"valueType":"D"}}    | has no value, must have exactly one of doubleValue, integerValue,
            integerValue fraction | {"integerValue":1.5}               | .integerValue is 1.5, must be a whole number
            integerValue over int | {"integerValue":2147483648}        | .integerValue is 2147483648, must be from -2147483648 to 2147483647
            integerValue NaN      | {"integerValue":NaN}               | .integerValue is NaN, must be a whole number
            doubleValue a string  | {"doubleValue":"2.0"}              | .doubleValue is the string "2.0", must be a number
            doubleValue infinite  | {"doubleValue":1e400}              | .doubleValue is 1E+400, must be a finite number
            booleanValue a string | {"booleanValue":"true"}            | .booleanValue is the string "true", must be true or false
            stringValue with tab  | {"stringValue":"a\\tb"}            | .stringValue is "a\\u0009b", must not contain control characters
            """)
    void refusesAValueNamingTheField(String rule, String variant, String reason) {
        assertThatThrownBy(() -> parser.parse(bytes(entry(variant, "{\"timeInSeconds\":1767225600}"))))
                .isInstanceOf(InvalidEntryException.class)
                .hasMessageContaining("propertyValues[0].value" + (reason.startsWith(".") ? "" : " ") + reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            offsetInNanos 1e9       | {"timeInSeconds":1767225600,"offsetInNanos":1000000000} | offsetInNanos is 1000000000, must be from 0 to 999999999
            offsetInNanos 1E9       | {"timeInSeconds":1767225600,"offsetInNanos":1E9}        | offsetInNanos is 1E+9, must be from 0 to 999999999
            offsetInNanos negative  | {"timeInSeconds":1767225600,"offsetInNanos":-1}         | offsetInNanos is -1, must be from 0 to 999999999
            timeInSeconds 0         | {"timeInSeconds":0}                   | timeInSeconds is 0, must be from 1 to 31556889864403199
            timeInSeconds too large | {"timeInSeconds":31556889864403200}   | timeInSeconds is 31556889864403200, must be from 1 to
            timeInSeconds fraction  | {"timeInSeconds":1767225600.5}        | timeInSeconds is 1767225600.5, must be a whole number
            timeInSeconds a string  | {"timeInSeconds":"1767225600"}        | timeInSeconds is the string "1767225600", must be a whole
            timeInSeconds missing   | {"offsetInNanos":0}                   | timeInSeconds is missing
            """)
    void refusesATimestampNamingTheField(String rule, String timestamp, String reason) {
        assertThatThrownBy(() -> parser.parse(bytes(entry("{\"doubleValue\":1}", timestamp))))
                .isInstanceOf(InvalidEntryException.class)
                .hasMessageContaining("propertyValues[0].timestamp." + reason);
    }

    @Test
    void refusesAnUnknownQuality() {
        String json = "{\"entryId\":\"e1\",\"propertyAlias\":\"/a\",\"propertyValues\":[{\"value\":{\"doubleValue\":1},"
                + "\"timestamp\":{\"timeInSeconds\":1767225600},\"quality\":\"good\"}]}";

        assertThatThrownBy(() -> parser.parse(bytes(json)))
                .hasMessage("propertyValues[0].quality is \"good\", must be GOOD, BAD or UNCERTAIN");
    }

    @Test
    void refusesAValueWithoutTimestampNamingItsIndex() {
        String json = "{\"entryId\":\"e1\",\"propertyAlias\":\"/a\",\"propertyValues\":[{\"value\":{\"doubleValue\":1},"
                + "\"timestamp\":{\"timeInSeconds\":1767225600}},{\"value\":{\"doubleValue\":2}}]}";

        assertThatThrownBy(() -> parser.parse(bytes(json))).hasMessage("propertyValues[1].timestamp is missing");
    }

    // boundaries 1, 10 and 11 values; 64 and 65 characters of entry id; 1024 and 1025 of a string value
    @ParameterizedTest
    @CsvSource({"1, true", "10, true", "11, false"})
    void takesOneToTenValues(int count, boolean valid) throws Exception {
        var values = new StringBuilder();
        for (int i = 0; i < count; i++) {
            values.append(i == 0 ? "" : ",").append("{\"value\":{\"integerValue\":").append(i)
                    .append("},\"timestamp\":{\"timeInSeconds\":").append(1767225600 + i).append("}}");
        }
        String json = "{\"entryId\":\"e1\",\"propertyAlias\":\"/a\",\"propertyValues\":[" + values + "]}";
        if (valid) {
            assertThat(parser.parse(bytes(json)).propertyValues()).hasSize(count);
        } else {
            assertThatThrownBy(() -> parser.parse(bytes(json)))
                    .hasMessage("propertyValues has 11 values, must have 1 to 10");
        }
    }

    @ParameterizedTest
    @CsvSource({"64, true", "65, false"})
    void takesEntryIdsOfUpTo64Characters(int length, boolean valid) throws Exception {
        String id = "a".repeat(length);
        String json = "{\"entryId\":\"" + id + "\",\"propertyAlias\":\"/a\",\"propertyValues\":[{\"value\":"
                + "{\"integerValue\":1},\"timestamp\":{\"timeInSeconds\":1767225600}}]}";
        if (valid) {
            assertThat(parser.parse(bytes(json)).entryId()).isEqualTo(id);
        } else {
            assertThatThrownBy(() -> parser.parse(bytes(json))).hasMessageContaining("entryId is \"")
                    .hasMessageContaining("(65 characters), must have 1 to 64");
        }
    }

    @ParameterizedTest
    @CsvSource({"1024, true", "1025, false"})
    void takesStringValuesOfUpTo1024Characters(int length, boolean valid) throws Exception {
        String json = entry("{\"stringValue\":\"" + "é".repeat(length) + "\"}", "{\"timeInSeconds\":1767225600}");
        if (valid) {
            assertThat(parser.parse(bytes(json)).propertyValues().get(0).value().stringValue()).hasSize(length);
        } else {
            assertThatThrownBy(() -> parser.parse(bytes(json)))
                    .hasMessageContaining("propertyValues[0].value.stringValue is \"")
                    .hasMessageContaining("(1025 characters), must have 0 to 1024");
        }
    }

    private static String entry(String variant, String timestamp) {
        return "{\"entryId\":\"e1\",\"propertyAlias\":\"/a\",\"propertyValues\":[{\"value\":" + variant
                + ",\"timestamp\":" + timestamp + "}]}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
