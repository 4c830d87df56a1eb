package io.github.edgestream.exporter.sitewise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.iotsitewise.model.AssetPropertyValue;
import software.amazon.awssdk.services.iotsitewise.model.PutAssetPropertyValueEntry;
import software.amazon.awssdk.services.iotsitewise.model.Quality;
import software.amazon.awssdk.services.iotsitewise.model.TimeInNanos;
import software.amazon.awssdk.services.iotsitewise.model.Variant;

/**
 * Reads one message payload, a JSON {@code PutAssetPropertyValueEntry} as the Stream Manager SDKs' util helpers write
 * it (protocol sections 7.7 and 15), into the SiteWise SDK model, and checks what SiteWise would refuse anyway.
 *
 * <pre>
 * { "entryId": "e1",                                 required, 1..64 of [a-zA-Z0-9_-]
 *   "propertyAlias": "/plant/line1/temp",            1..2048, no control characters   } one of: alias,
 *   "assetId": "...", "propertyId": "...",           non-empty strings                } or both ids
 *   "propertyValues": [                              required, 1..10
 *     { "value": { "doubleValue": 21.5 },            required, exactly one of doubleValue, integerValue,
 *                                                    booleanValue, stringValue (0..1024, no control characters)
 *       "timestamp": { "timeInSeconds": 1767225600,  required, 1..31556889864403199
 *                      "offsetInNanos": 5 },         0..999999999, absent = 0
 *       "quality": "GOOD" } ] }                      GOOD | BAD | UNCERTAIN, or absent
 * </pre>
 *
 * Tolerated, since the three SDKs differ: any whitespace; keys in any order; unknown keys (ignored); {@code null} for
 * an absent key; numbers with or without a fraction or exponent where the value is whole ({@code 2}, {@code 2.0},
 * {@code 1.7672256E9}); {@code NaN} as a {@code doubleValue} (Python writes it bare, and SiteWise stores it).
 * The entry id read here is kept only for reasons: {@link SiteWiseRequestBuilder} replaces it in the request.
 *
 * <p>Example: {@code {"entryId":"e1","propertyAlias":"/p","propertyValues":[{"value":{"doubleValue":2},
 * "timestamp":{"timeInSeconds":1767225600}}]}} (JS) gives an entry with {@code doubleValue} 2.0,
 * {@code offsetInNanos} 0 and no quality.
 *
 * <p>Errors: {@link InvalidEntryException} whose message names the field (as a path such as
 * {@code propertyValues[0].timestamp.offsetInNanos}), the value seen and the rule. Thread-safe: stateless apart from
 * an immutable mapper.
 */
final class SiteWiseEntryParser {

    static final int MAX_ENTRY_ID_LENGTH = 64;
    static final int MAX_ALIAS_LENGTH = 2048;
    static final int MAX_STRING_VALUE_LENGTH = 1024;
    static final int MAX_PROPERTY_VALUES = 10;
    static final long MAX_TIME_IN_SECONDS = 31_556_889_864_403_199L;
    static final int MAX_OFFSET_IN_NANOS = 999_999_999;

    private static final Pattern ENTRY_ID = Pattern.compile("[a-zA-Z0-9_-]+");
    private static final Pattern CONTROL_CHARACTER = Pattern.compile("[\\x00-\\x1F\\x7F]");
    private static final List<String> VARIANT_FIELDS =
            List.of("doubleValue", "integerValue", "booleanValue", "stringValue");
    private static final Set<String> QUALITIES = Set.of("GOOD", "BAD", "UNCERTAIN");
    /** Longest value quoted in a reason, so that a huge payload does not make a huge status message. */
    private static final int QUOTE_LIMIT = 80;

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** A payload SiteWise cannot take; the message says which field is wrong and why. */
    static final class InvalidEntryException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEntryException(String message) {
            super(message);
        }
    }

    /**
     * @param payload one message's bytes
     * @return the entry as read, with its own entry id
     * @throws InvalidEntryException if it is not JSON, not an object, or breaks a rule above
     */
    PutAssetPropertyValueEntry parse(byte[] payload) throws InvalidEntryException {
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidEntryException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidEntryException("not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidEntryException("not JSON: the payload is empty");
        }
        if (!root.isObject()) {
            throw new InvalidEntryException("not a PutAssetPropertyValueEntry: the JSON is " + describe(root)
                    + ", expected an object");
        }

        String entryId = requiredString(root, "entryId", "entryId");
        checkLength("entryId", entryId, 1, MAX_ENTRY_ID_LENGTH);
        if (!ENTRY_ID.matcher(entryId).matches()) {
            throw new InvalidEntryException("entryId is " + quote(entryId) + ", must match ^[a-zA-Z0-9_-]+$");
        }
        String alias = optionalString(root, "propertyAlias", "propertyAlias");
        String assetId = optionalString(root, "assetId", "assetId");
        String propertyId = optionalString(root, "propertyId", "propertyId");
        if (alias != null) {
            checkLength("propertyAlias", alias, 1, MAX_ALIAS_LENGTH);
            checkNoControlCharacters("propertyAlias", alias);
        }
        checkNotEmpty("assetId", assetId);
        checkNotEmpty("propertyId", propertyId);
        if (alias == null && (assetId == null || propertyId == null)) {
            throw new InvalidEntryException(assetId == null && propertyId == null
                    ? "propertyAlias is missing, and so are assetId and propertyId: name the property by its alias"
                            + " or by both ids"
                    : (assetId == null ? "assetId" : "propertyId") + " is missing: with "
                            + (assetId == null ? "propertyId" : "assetId") + " alone the property is not named"
                            + " (give both ids, or propertyAlias)");
        }

        JsonNode values = field(root, "propertyValues");
        if (values == null) {
            throw new InvalidEntryException("propertyValues is missing: an entry needs 1 to " + MAX_PROPERTY_VALUES
                    + " values");
        }
        if (!values.isArray()) {
            throw new InvalidEntryException("propertyValues is " + describe(values) + ", must be an array");
        }
        if (values.isEmpty() || values.size() > MAX_PROPERTY_VALUES) {
            throw new InvalidEntryException("propertyValues has " + values.size() + " values, must have 1 to "
                    + MAX_PROPERTY_VALUES);
        }
        List<AssetPropertyValue> parsed = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            parsed.add(propertyValue(values.get(i), "propertyValues[" + i + "]"));
        }

        return PutAssetPropertyValueEntry.builder()
                .entryId(entryId)
                .propertyAlias(alias)
                .assetId(assetId)
                .propertyId(propertyId)
                .propertyValues(parsed)
                .build();
    }

    private AssetPropertyValue propertyValue(JsonNode node, String path) throws InvalidEntryException {
        if (node == null || !node.isObject()) {
            throw new InvalidEntryException(path + " is " + describe(node) + ", must be an object");
        }
        JsonNode value = field(node, "value");
        if (value == null) {
            throw new InvalidEntryException(path + ".value is missing");
        }
        JsonNode timestamp = field(node, "timestamp");
        if (timestamp == null) {
            throw new InvalidEntryException(path + ".timestamp is missing");
        }
        var builder = AssetPropertyValue.builder()
                .value(variant(value, path + ".value"))
                .timestamp(timestamp(timestamp, path + ".timestamp"));
        String quality = optionalString(node, "quality", path + ".quality");
        if (quality != null) {
            if (!QUALITIES.contains(quality)) {
                throw new InvalidEntryException(path + ".quality is " + quote(quality)
                        + ", must be GOOD, BAD or UNCERTAIN");
            }
            builder.quality(Quality.fromValue(quality));
        }
        return builder.build();
    }

    private Variant variant(JsonNode node, String path) throws InvalidEntryException {
        if (!node.isObject()) {
            throw new InvalidEntryException(path + " is " + describe(node) + ", must be an object");
        }
        List<String> present = new ArrayList<>();
        for (String name : VARIANT_FIELDS) {
            if (field(node, name) != null) {
                present.add(name);
            }
        }
        if (present.size() != 1) {
            throw new InvalidEntryException(path + (present.isEmpty() ? " has no value" : " has " + present.size()
                    + " values (" + String.join(", ", present) + ")") + ", must have exactly one of "
                    + String.join(", ", VARIANT_FIELDS));
        }
        String name = present.get(0);
        String fieldPath = path + "." + name;
        JsonNode raw = field(node, name);
        var builder = Variant.builder();
        switch (name) {
            case "doubleValue" -> builder.doubleValue(doubleValue(raw, fieldPath));
            case "integerValue" -> builder.integerValue((int) wholeNumber(raw, fieldPath, Integer.MIN_VALUE,
                    Integer.MAX_VALUE));
            case "booleanValue" -> {
                if (!raw.isBoolean()) {
                    throw new InvalidEntryException(fieldPath + " is " + describe(raw) + ", must be true or false");
                }
                builder.booleanValue(raw.booleanValue());
            }
            default -> {
                String text = requiredString(node, name, fieldPath);
                checkLength(fieldPath, text, 0, MAX_STRING_VALUE_LENGTH);
                checkNoControlCharacters(fieldPath, text);
                builder.stringValue(text);
            }
        }
        return builder.build();
    }

    private static double doubleValue(JsonNode raw, String path) throws InvalidEntryException {
        if (!raw.isNumber()) {
            throw new InvalidEntryException(path + " is " + describe(raw) + ", must be a number");
        }
        double value = raw.doubleValue();
        if (Double.isInfinite(value)) {
            throw new InvalidEntryException(path + " is " + raw.asText() + ", must be a finite number (or NaN)");
        }
        return value;
    }

    private TimeInNanos timestamp(JsonNode node, String path) throws InvalidEntryException {
        if (!node.isObject()) {
            throw new InvalidEntryException(path + " is " + describe(node) + ", must be an object");
        }
        JsonNode seconds = field(node, "timeInSeconds");
        if (seconds == null) {
            throw new InvalidEntryException(path + ".timeInSeconds is missing");
        }
        JsonNode nanos = field(node, "offsetInNanos");
        return TimeInNanos.builder()
                .timeInSeconds(wholeNumber(seconds, path + ".timeInSeconds", 1, MAX_TIME_IN_SECONDS))
                .offsetInNanos(nanos == null ? 0
                        : (int) wholeNumber(nanos, path + ".offsetInNanos", 0, MAX_OFFSET_IN_NANOS))
                .build();
    }

    /** A JSON number whose value is whole and within [min, max], however it is written (2, 2.0, 2E0). */
    private static long wholeNumber(JsonNode raw, String path, long min, long max) throws InvalidEntryException {
        if (!raw.isNumber()) {
            throw new InvalidEntryException(path + " is " + describe(raw) + ", must be a whole number from "
                    + min + " to " + max);
        }
        if (raw.isDouble() && !Double.isFinite(raw.doubleValue())) {
            throw new InvalidEntryException(path + " is " + raw.asText() + ", must be a whole number");
        }
        // exact, also for values a double cannot hold (31556889864403199); compareTo never expands the exponent
        BigDecimal value = raw.decimalValue();
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw new InvalidEntryException(path + " is " + raw.asText() + ", must be a whole number");
        }
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new InvalidEntryException(path + " is " + raw.asText() + ", must be from " + min + " to " + max);
        }
        return value.longValueExact();
    }

    /** The field's node, or null when absent or JSON null (the SDKs either omit or null an absent key). */
    private static JsonNode field(JsonNode object, String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    private static String requiredString(JsonNode object, String name, String path) throws InvalidEntryException {
        String value = optionalString(object, name, path);
        if (value == null) {
            throw new InvalidEntryException(path + " is missing");
        }
        return value;
    }

    private static String optionalString(JsonNode object, String name, String path) throws InvalidEntryException {
        JsonNode node = field(object, name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidEntryException(path + " is " + describe(node) + ", must be a string");
        }
        return node.textValue();
    }

    private static void checkLength(String path, String value, int min, int max) throws InvalidEntryException {
        int length = value.codePointCount(0, value.length());
        if (length < min || length > max) {
            throw new InvalidEntryException(path + " is " + quote(value) + " (" + length + " characters), must have "
                    + min + " to " + max);
        }
    }

    private static void checkNotEmpty(String path, String value) throws InvalidEntryException {
        if (value != null && value.isEmpty()) {
            throw new InvalidEntryException(path + " is empty");
        }
    }

    private static void checkNoControlCharacters(String path, String value) throws InvalidEntryException {
        var matcher = CONTROL_CHARACTER.matcher(value);
        if (matcher.find()) {
            throw new InvalidEntryException(path + " is " + quote(value) + ", must not contain control characters"
                    + " (U+" + String.format("%04X", (int) matcher.group().charAt(0)) + " at index "
                    + matcher.start() + ")");
        }
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "the string " + quote(node.textValue());
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.isNumber() ? "the number " + node.asText() : node.asText();
    }

    /** The value in quotes, control characters escaped and long values cut. */
    static String quote(String value) {
        var out = new StringBuilder("\"");
        int end = Math.min(value.length(), QUOTE_LIMIT);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        out.append('"');
        if (value.length() > end) {
            out.append("...");
        }
        return out.toString();
    }
}
