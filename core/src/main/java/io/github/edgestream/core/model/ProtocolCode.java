package io.github.edgestream.core.model;

/**
 * An enum whose constants travel as integers (the Greengrass wire protocol and our on-disk definitions) and have a
 * name in the official SDKs. The codes never change.
 */
public interface ProtocolCode {

    /** The integer on the wire. */
    int code();

    /** The name the SDKs use, e.g. {@code RejectNewData}. */
    String protocolName();

    /**
     * The constant of {@code type} with this code.
     *
     * @throws IllegalArgumentException for a code no constant has
     */
    static <E extends Enum<E> & ProtocolCode> E fromCode(Class<E> type, int code) {
        for (E value : type.getEnumConstants()) {
            if (value.code() == code) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " code " + code);
    }
}
