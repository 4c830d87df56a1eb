package io.github.edgestream.api.s2;

/**
 * An s2s session stream that {@link S2sFraming.Decoder} refuses: a frame longer than the session allows, a frame
 * without a flag byte, reserved flag bits set, or a compression edgestream does not support. The session cannot go
 * on after one (the framing is lost), so the caller ends it with a terminal frame or a stream reset.
 */
final class S2sFramingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    S2sFramingException(String message) {
        super(message);
    }
}
