package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.edgestream.core.model.ValidationProblem;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading CBOR values of a known shape from Jackson's streaming parser, for any encoding the clients produce
 * (definite and indefinite maps and arrays, integers of every width, null for absent). A value of the wrong type is
 * not fatal: it becomes a {@link ValidationProblem} naming the field path and what was found, the value is skipped,
 * and decoding goes on, so that a request's errors are all reported at once.
 *
 * <p>Not thread-safe: one instance per decoded payload.
 */
final class CborIn {

    /** Reads one field's value; called with the parser on that value's first token. */
    @FunctionalInterface
    interface FieldReader {
        void read(String field, String path) throws IOException;
    }

    private final JsonParser parser;
    private final List<ValidationProblem> problems;

    CborIn(JsonParser parser, List<ValidationProblem> problems) {
        this.parser = parser;
        this.problems = problems;
    }

    JsonParser parser() {
        return parser;
    }

    List<ValidationProblem> problems() {
        return problems;
    }

    /** Positions on the first token; false (with a problem) if the data is empty. */
    boolean start() throws IOException {
        return parser.nextToken() != null;
    }

    /**
     * Reads a map at the current token, handing each key to {@code reader} with the parser on its value; unknown keys
     * are the reader's to skip (call {@link #skip()}). A non-map is a problem.
     *
     * @return false if the value was not a map
     */
    boolean map(String path, FieldReader reader) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            wrongType(path, "be a map");
            return false;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                continue; // null is absent
            }
            reader.read(field, path.isEmpty() ? field : path + "." + field);
        }
        return true;
    }

    /** Reads an array at the current token, calling {@code element} with the parser on each element. */
    void array(String path, FieldReader element) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            wrongType(path, "be an array");
            return;
        }
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == null) {
                throw new IOException("unexpected end of data in " + path);
            }
            element.read(Integer.toString(index), path + "[" + index + "]");
            index++;
        }
    }

    void skip() throws IOException {
        parser.skipChildren();
    }

    String text(String path) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        wrongType(path, "be a text string");
        return null;
    }

    /** A CBOR integer of any width that fits in a long; anything else is a problem. */
    Long integer(String path) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger big = parser.getBigIntegerValue();
                problems.add(ValidationProblem.of(path, big, "be an integer between -2^63 and 2^63-1"));
                return null;
            }
            return parser.getLongValue();
        }
        wrongType(path, "be an integer");
        return null;
    }

    Boolean bool(String path) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        wrongType(path, "be true or false");
        return null;
    }

    /** A CBOR byte string (major type 2). A text string here is what breaks the JS and Python clients. */
    byte[] bytes(String path) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_EMBEDDED_OBJECT) {
            return parser.getBinaryValue();
        }
        wrongType(path, "be a byte string");
        return null;
    }

    List<String> textList(String path) throws IOException {
        List<String> values = new ArrayList<>();
        array(path, (index, elementPath) -> {
            String value = text(elementPath);
            if (value != null) {
                values.add(value);
            }
        });
        return values;
    }

    private void wrongType(String path, String rule) throws IOException {
        problems.add(new ValidationProblem(path, describeCurrent(), rule));
        parser.skipChildren();
    }

    private String describeCurrent() throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            return "(end of data)";
        }
        return switch (token) {
            case VALUE_STRING -> {
                String text = parser.getText();
                yield "the text \"" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "\"";
            }
            case VALUE_NUMBER_INT -> "the integer " + parser.getText();
            case VALUE_NUMBER_FLOAT -> "the floating-point number " + parser.getText();
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + parser.getText();
            case VALUE_EMBEDDED_OBJECT -> "a byte string";
            case START_OBJECT -> "a map";
            case START_ARRAY -> "an array";
            default -> token.toString();
        };
    }
}
