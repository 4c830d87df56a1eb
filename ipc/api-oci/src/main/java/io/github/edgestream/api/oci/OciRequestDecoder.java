package io.github.edgestream.api.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.http.BodyCodecs;
import io.github.edgestream.http.HttpCall;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads OCI requests: JSON bodies and query parameters, each field checked by type and range with an error that
 * names the field, the value and the rule ({@code 400 InvalidParameter}, or {@code MissingParameter}).
 */
final class OciRequestDecoder {

    /** OCI's limits on tags: per resource, and on a key and a value. */
    static final int MAX_TAGS = 40;
    static final int MAX_TAG_KEY = 100;
    static final int MAX_TAG_VALUE = 256;

    private OciRequestDecoder() {
    }

    /** The body as a JSON object; an empty body is an empty object. */
    static ObjectNode body(HttpCall call) {
        if (call.bodyLength() == 0) {
            return BodyCodecs.json().createObjectNode();
        }
        JsonNode tree;
        try {
            tree = BodyCodecs.readTree(BodyCodecs.json(), call);
        } catch (IOException e) {
            throw new OciException(400, OciException.CANNOT_PARSE, "the request body is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new OciException(400, OciException.CANNOT_PARSE, "the request body must be a JSON object");
        }
        return object;
    }

    static Optional<String> optString(JsonNode node, String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw OciException.invalid(field + " must be a string, not " + value.getNodeType().name().toLowerCase());
        }
        if (value.textValue().length() > maxLength) {
            throw OciException.invalid(field + " is " + value.textValue().length() + " characters; the limit is "
                    + maxLength);
        }
        return Optional.of(value.textValue());
    }

    static String string(JsonNode node, String field, int maxLength) {
        String value = optString(node, field, maxLength).orElseThrow(() -> OciException.missing(field));
        if (value.isEmpty()) {
            throw OciException.invalid(field + " must not be empty");
        }
        return value;
    }

    static Optional<Long> optLong(JsonNode node, String field, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw OciException.invalid(field + " must be an integer, not " + clip(value));
        }
        long n = value.longValue();
        if (n < min || n > max) {
            throw OciException.invalid(field + " is " + n + " but must be between " + min + " and " + max);
        }
        return Optional.of(n);
    }

    static Optional<Boolean> optBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw OciException.invalid(field + " must be true or false, not " + clip(value));
        }
        return Optional.of(value.booleanValue());
    }

    /** An RFC 3339 time ({@code 2026-12-05T10:00:00.000Z}, any offset). */
    static Optional<Instant> optTime(JsonNode node, String field) {
        return optString(node, field, 64).map(text -> time(field, text));
    }

    static Instant time(String field, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw OciException.invalid(field + " \"" + clipText(text) + "\" is not an RFC 3339 time like"
                    + " 2026-12-05T10:00:00.000Z");
        }
    }

    /** One of {@code allowed}, exactly as spelled. */
    static String oneOf(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw OciException.invalid(field + " \"" + clipText(value) + "\" is not one of " + allowed);
        }
        return value;
    }

    /** Free-form tags: a flat object of strings. */
    static Optional<Map<String, String>> optFreeformTags(JsonNode node) {
        JsonNode value = node.get("freeformTags");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw OciException.invalid("freeformTags must be an object of strings");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (var fields = value.fields(); fields.hasNext();) {
            var field = fields.next();
            if (!field.getValue().isTextual()) {
                throw OciException.invalid("freeformTags." + clipText(field.getKey()) + " must be a string");
            }
            tags.put(tag("freeformTags", field.getKey()), value("freeformTags." + field.getKey(),
                    field.getValue().textValue()));
        }
        return Optional.of(checkCount("freeformTags", tags));
    }

    /** Defined tags: {@code {"namespace": {"key": value}}}; values kept as JSON text. */
    static Optional<Map<String, String>> optDefinedTags(JsonNode node) {
        JsonNode value = node.get("definedTags");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw OciException.invalid("definedTags must be an object of objects");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (var namespaces = value.fields(); namespaces.hasNext();) {
            var ns = namespaces.next();
            if (!ns.getValue().isObject()) {
                throw OciException.invalid("definedTags." + clipText(ns.getKey()) + " must be an object");
            }
            tag("definedTags", ns.getKey());
            for (var keys = ns.getValue().fields(); keys.hasNext();) {
                var key = keys.next();
                tag("definedTags." + ns.getKey(), key.getKey());
                if (ns.getKey().contains(".")) {
                    throw OciException.invalid("definedTags namespace \"" + clipText(ns.getKey())
                            + "\" must not contain \".\"");
                }
                tags.put(ns.getKey() + "." + key.getKey(), value("definedTags." + ns.getKey() + "." + key.getKey(),
                        key.getValue().toString()));
            }
        }
        return Optional.of(checkCount("definedTags", tags));
    }

    private static String tag(String field, String key) {
        if (key.isEmpty() || key.length() > MAX_TAG_KEY || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw OciException.invalid(field + " key \"" + clipText(key) + "\" must be 1 to " + MAX_TAG_KEY
                    + " printable ASCII characters without spaces");
        }
        return key;
    }

    private static String value(String field, String value) {
        if (value.length() > MAX_TAG_VALUE) {
            throw OciException.invalid(field + " is " + value.length() + " characters; the limit is "
                    + MAX_TAG_VALUE);
        }
        return value;
    }

    private static Map<String, String> checkCount(String field, Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw OciException.invalid(field + " has " + tags.size() + " tags; the limit is " + MAX_TAGS);
        }
        return tags;
    }

    /** A query parameter's first value. */
    static Optional<String> query(HttpCall call, String name) {
        List<String> values = call.parameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    static Optional<Long> queryLong(HttpCall call, String name, long min, long max) {
        return query(call, name).map(text -> {
            long n;
            try {
                n = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw OciException.invalid(name + " \"" + clipText(text) + "\" is not an integer");
            }
            if (n < min || n > max) {
                throw OciException.invalid(name + " is " + n + " but must be between " + min + " and " + max);
            }
            return n;
        });
    }

    private static String clip(JsonNode value) {
        return clipText(value.toString());
    }

    static String clipText(String text) {
        String safe = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return safe.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
