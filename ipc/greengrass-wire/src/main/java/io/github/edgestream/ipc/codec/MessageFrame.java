package io.github.edgestream.ipc.codec;

/**
 * One frame as it travels, in both directions (protocol section 2.2): an operation byte and a CBOR payload.
 *
 * @param operation the operation byte, signed as the clients read it (0..17 are defined)
 * @param payload   the CBOR data item, one map
 */
public record MessageFrame(int operation, byte[] payload) {
}
