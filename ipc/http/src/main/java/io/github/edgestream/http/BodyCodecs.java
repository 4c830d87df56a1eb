package io.github.edgestream.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * The JSON and CBOR codecs the HTTP APIs share, with limits for what arrives from clients: nesting at most
 * {@value #MAX_NESTING} deep, numbers of at most {@value #MAX_NUMBER_LENGTH} digits, strings no longer than a body
 * may be. (A body is already bounded by {@code http.maxBodySize}; these bound the work inside it.) Thread-safe.
 */
public final class BodyCodecs {

    public static final int MAX_NESTING = 32;
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength((int) HttpSettings.LARGEST_MAX_BODY_SIZE).build();
    private static final JsonFactory JSON_FACTORY = JsonFactory.builder().streamReadConstraints(LIMITS).build();
    private static final CBORFactory CBOR_FACTORY = CBORFactory.builder().streamReadConstraints(LIMITS).build();
    private static final ObjectMapper JSON = new ObjectMapper(JSON_FACTORY);
    private static final ObjectMapper CBOR = new CBORMapper(CBOR_FACTORY);

    private BodyCodecs() {
    }

    /** JSON, for reading request bodies and writing answers. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** CBOR (RFC 8949), for reading request bodies and writing answers. */
    public static ObjectMapper cbor() {
        return CBOR;
    }

    public static JsonFactory jsonFactory() {
        return JSON_FACTORY;
    }

    public static CBORFactory cborFactory() {
        return CBOR_FACTORY;
    }

    /**
     * The call's body as one tree.
     *
     * @throws IOException if the body is not one well-formed document within the limits (the message says where)
     */
    public static JsonNode readTree(ObjectMapper mapper, HttpCall call) throws IOException {
        try (InputStream in = call.bodyStream()) {
            return mapper.readTree(in);
        }
    }
}
