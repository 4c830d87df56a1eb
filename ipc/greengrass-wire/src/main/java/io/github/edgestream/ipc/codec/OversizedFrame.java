package io.github.edgestream.ipc.codec;

import java.util.Optional;

/**
 * A frame longer than the maximum for its operation. Its payload is skipped as it arrives, never buffered; the request id,
 * if it could be read from the first bytes, lets the server answer {@code RequestPayloadTooLarge} on a connection
 * that stays usable.
 *
 * @param operation the operation byte of the frame
 * @param length    the declared frame length (operation byte plus payload)
 * @param requestId the frame's {@code requestId}, if the payload's first bytes contained it
 * @param maxLength the longest frame the decoder accepts for this operation
 */
public record OversizedFrame(int operation, long length, Optional<String> requestId, long maxLength) {
}
