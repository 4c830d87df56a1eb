package io.github.edgestream.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One name/value pair carried by a record besides its payload: an S2 header, a ReductStore label, a content type.
 * Both parts are bytes (S2 allows any); {@link #of(String, String)} stores UTF-8. The name may be empty (S2 command
 * records use an empty name); the value may be empty.
 *
 * <p>The arrays are shared, not copied: treat them as read-only. Immutable by that convention and thread-safe.
 */
public record Header(byte[] name, byte[] value) {

    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** A header whose name and value are the UTF-8 bytes of these strings. */
    public static Header of(String name, String value) {
        return new Header(name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    /** The name decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String nameText() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /** The value decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String valueText() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Header that && Arrays.equals(name, that.name) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(name) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return nameText() + "=" + valueText();
    }
}
