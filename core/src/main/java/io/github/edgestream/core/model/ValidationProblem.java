package io.github.edgestream.core.model;

/**
 * One thing wrong with a request: the field (named as the input being checked names it: the model's component names
 * for a {@link StreamDefinition}, a protocol's field names for what that protocol received), the value that was seen
 * and the rule it breaks. Validators return every problem at once, so that a user fixes a request in one round trip.
 *
 * @param field a dotted path such as {@code maxSize}, {@code exports[0].batchSize} or
 *              {@code readMessagesOptions.minMessageCount}
 * @param value the offending value as text; {@code "(absent)"} for a missing required field
 * @param rule  what the value must be, phrased to complete "must ...", e.g. {@code be between 1024 and 2147483647}
 */
public record ValidationProblem(String field, String value, String rule) {

    public static final String ABSENT = "(absent)";

    public static ValidationProblem of(String field, Object value, String rule) {
        return new ValidationProblem(field, value == null ? ABSENT : render(value), rule);
    }

    public static ValidationProblem missing(String field) {
        return new ValidationProblem(field, ABSENT, "be present");
    }

    private static String render(Object value) {
        if (value instanceof CharSequence text) {
            String quoted = '"' + text.toString() + '"';
            return quoted.length() > 80 ? quoted.substring(0, 77) + "...\" (" + text.length() + " characters)" : quoted;
        }
        return String.valueOf(value);
    }

    /** {@code maxSize is 100 but must be between 1024 and 9223372036854775807}. */
    public String message() {
        if (ABSENT.equals(value)) {
            return field + " is missing but must " + rule;
        }
        return field + " is " + value + " but must " + rule;
    }

    @Override
    public String toString() {
        return message();
    }
}
