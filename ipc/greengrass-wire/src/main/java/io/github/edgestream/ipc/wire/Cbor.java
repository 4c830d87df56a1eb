package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.github.edgestream.ipc.codec.RequestIds;

/** The one Jackson CBOR factory of the wire layer. Thread-safe. */
final class Cbor {

    /**
     * The longest text value of any request: an HTTP export's {@code uri} is the longest legitimate one (URIs past
     * 8,000 octets are not interoperable, RFC 9110); names are at most 255, request ids 512, tokens far less.
     */
    static final int MAX_TEXT_LENGTH = RequestIds.MAX_TEXT_LENGTH;

    /**
     * Limits the parser enforces while it decodes, before a value is materialised, so that a hostile frame cannot
     * make the server build megabytes of text (or keep grown buffers around): text values up to
     * {@link #MAX_TEXT_LENGTH} characters, map keys up to 1,024 (ours are short words), nesting to what our messages
     * need (the deepest is about 6 levels), numbers to 64 digits. Byte strings (message payloads) are bounded by the
     * frame size only.
     */
    static final CBORFactory FACTORY = CBORFactory.builder()
            .streamReadConstraints(RequestIds.CONSTRAINTS)
            .build();

    private Cbor() {
    }
}
