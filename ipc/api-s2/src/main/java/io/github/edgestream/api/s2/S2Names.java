package io.github.edgestream.api.s2;

import io.github.edgestream.core.model.Namespace;
import io.github.edgestream.core.model.StreamName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * S2's names and where they live in the store. A basin is the store's namespace {@code s2.<basin>}; its streams are
 * that namespace's streams, named by the store's rule ({@link StreamName#anyOf}: 1 to 512 bytes of UTF-8 without
 * NUL, as S2 allows).
 */
final class S2Names {

    /** S2's basin names: 8 to 48 of a-z 0-9 and -, neither first nor last a hyphen. */
    static final Pattern BASIN = Pattern.compile("[a-z0-9][a-z0-9-]{6,46}[a-z0-9]");
    static final String BASIN_RULE = "be 8 to 48 characters from a-z 0-9 and -, not starting or ending with -";
    static final String PREFIX = "s2.";

    private S2Names() {
    }

    /** Checks a basin name; {@code field} names it in the error. */
    static String basin(String name, String field) {
        if (name == null || !BASIN.matcher(name).matches()) {
            throw S2Exception.badPath(field + " is \"" + S2RequestDecoder.clip(name) + "\" but a basin name must "
                    + BASIN_RULE);
        }
        return name;
    }

    static Namespace namespace(String basin) {
        return Namespace.of(PREFIX + basin);
    }

    /** The basin a namespace holds, if it is one of S2's. */
    static java.util.Optional<String> basinOf(Namespace namespace) {
        String value = namespace.value();
        return value.startsWith(PREFIX) && BASIN.matcher(value.substring(PREFIX.length())).matches()
                ? java.util.Optional.of(value.substring(PREFIX.length())) : java.util.Optional.empty();
    }

    /** Checks a stream name by S2's rule. */
    static StreamName stream(String name, String field) {
        if (StreamName.checkAny(field, name).isPresent()) {
            throw S2Exception.badPath(field + " is \"" + S2RequestDecoder.clip(name) + "\" but a stream name must "
                    + StreamName.ANY_RULE);
        }
        return StreamName.anyOf(name);
    }

    /**
     * A raw path split at {@code /} and each segment percent-decoded as UTF-8 ({@code +} stays a plus: it is a path,
     * not a form), so that a stream name holding an encoded {@code /} stays one segment.
     */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            if (!raw.isEmpty()) {
                segments.add(decode(raw));
            }
        }
        return segments;
    }

    static String decode(String raw) {
        if (raw.indexOf('%') < 0 && raw.chars().allMatch(c -> c < 0x80)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw S2Exception.badPath("the path segment \"" + S2RequestDecoder.clip(raw) + "\" has a cut"
                            + " percent escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw S2Exception.badPath("the path segment \"" + S2RequestDecoder.clip(raw) + "\" has a bad"
                            + " percent escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c <= 0xFF) {
                // the HTTP layer reads the request target one byte a character (ISO-8859-1): a byte that was sent
                // raw, not percent-encoded, is that byte, and the segment's bytes are decoded as UTF-8 below
                bytes.write(c);
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw S2Exception.badPath("the path segment \"" + S2RequestDecoder.clip(raw) + "\" is not UTF-8");
        }
    }
}
