package io.github.edgestream.ipc.wire;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

/** The one Jackson CBOR factory of the wire layer. Thread-safe. */
final class Cbor {

    /**
     * Nesting is limited to what our messages need (the deepest is about 6 levels), so that hostile input cannot
     * recurse deeply; strings and numbers may be as long as a frame allows.
     */
    static final CBORFactory FACTORY = CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(64)
                    .build())
            .build();

    private Cbor() {
    }
}
