package io.github.edgestream.ipc.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.util.Optional;

/**
 * Recovers the {@code requestId} of a payload that cannot be decoded as a whole (malformed further on, of an unknown
 * operation, or cut short), so that the error can still be answered to the right caller. Reads the top-level map
 * only as far as the {@code requestId} key; every official client writes it first.
 */
public final class RequestIds {

    /** The longest text value any request may hold (see the wire layer's {@code Cbor}). */
    public static final int MAX_TEXT_LENGTH = 16_384;

    /** What every CBOR parser of requests enforces while decoding, before a value is materialised. */
    public static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(32)
            .maxStringLength(MAX_TEXT_LENGTH)
            .maxNameLength(1024)
            .maxNumberLength(64)
            .build();

    static final CBORFactory CBOR = CBORFactory.builder().streamReadConstraints(CONSTRAINTS).build();

    private RequestIds() {
    }

    /** The top-level text {@code requestId} of this CBOR map, if it can be found before the data ends or breaks. */
    public static Optional<String> find(byte[] payload) {
        try (JsonParser parser = CBOR.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("requestId".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? Optional.of(parser.getText()) : Optional.empty();
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (IOException | RuntimeException malformed) {
            return Optional.empty();
        }
    }
}
