package io.github.edgestream.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A response as a test client received it: header names lower-case. */
public record Reply(int status, Map<String, List<String>> headers, String body) {

    /** The first value of the header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The {@code message} of a problem body ({@code {"kind":..,"message":..}} or the layer's own). */
    public String json(String field) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path(field).asText(null);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
