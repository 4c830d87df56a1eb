package io.github.edgestream.api.s2;

/**
 * A protobuf body that {@link S2Protobuf} refuses: malformed on the wire, of the wrong shape for its message, or past
 * a limit the decoder enforces while reading. The message names the field by its path from the top message, e.g.
 * {@code AppendInput.records[3].headers[0]: length 900 runs past the end of the message}, and is fit to show to the
 * client.
 */
final class S2ProtobufException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    S2ProtobufException(String message) {
        super(message);
    }
}
