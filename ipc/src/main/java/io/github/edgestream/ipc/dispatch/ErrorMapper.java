package io.github.edgestream.ipc.dispatch;

import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.ResponseTooLargeException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.UpdateNotAllowedException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.ResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The one table from failures to protocol status codes (section 9). The message of the failure becomes the
 * response's {@code errorMessage} verbatim, so every failure class carries a message a user can act on. Anything
 * not in the table is a bug of ours: {@code UnknownFailure}, logged by the caller.
 */
public final class ErrorMapper {

    private static final Map<Class<? extends Throwable>, ResponseStatus> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put(InvalidRequestException.class, ResponseStatus.INVALID_REQUEST);
        TABLE.put(InvalidStreamDefinitionException.class, ResponseStatus.INVALID_REQUEST);
        TABLE.put(StreamAlreadyExistsException.class, ResponseStatus.INVALID_REQUEST);
        // The protocol leaves the code for a full RejectNewData stream to the server; the message says "full".
        TABLE.put(StreamFullException.class, ResponseStatus.INVALID_REQUEST);
        TABLE.put(StreamNotFoundException.class, ResponseStatus.RESOURCE_NOT_FOUND);
        TABLE.put(PayloadTooLargeException.class, ResponseStatus.REQUEST_PAYLOAD_TOO_LARGE);
        TABLE.put(ResponseTooLargeException.class, ResponseStatus.RESPONSE_PAYLOAD_TOO_LARGE);
        TABLE.put(NotEnoughMessagesException.class, ResponseStatus.NOT_ENOUGH_MESSAGES);
        TABLE.put(UpdateNotAllowedException.class, ResponseStatus.UPDATE_NOT_ALLOWED);
        TABLE.put(StoreReadException.class, ResponseStatus.MESSAGE_STORE_READ_ERROR);
        TABLE.put(StoreWriteException.class, ResponseStatus.UNKNOWN_FAILURE);
        TABLE.put(StoreClosedException.class, ResponseStatus.UNKNOWN_FAILURE);
        TABLE.put(OutOfMemoryError.class, ResponseStatus.OUT_OF_MEMORY_ERROR);
    }

    private ErrorMapper() {
    }

    /** The status for {@code failure} in answer to {@code operation}; {@code UnknownFailure} for unexpected ones. */
    public static ResponseStatus statusOf(Operation operation, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (operation == Operation.UPDATE_MESSAGE_STREAM && cause instanceof StoreWriteException) {
            return ResponseStatus.UPDATE_FAILED; // the new definition could not be saved; nothing changed
        }
        for (Map.Entry<Class<? extends Throwable>, ResponseStatus> entry : TABLE.entrySet()) {
            if (entry.getKey().isInstance(cause)) {
                return entry.getValue();
            }
        }
        return ResponseStatus.UNKNOWN_FAILURE;
    }

    /** Whether the failure is one the table knows; unknown ones are logged as bugs. */
    public static boolean isExpected(Throwable failure) {
        Throwable cause = unwrap(failure);
        return TABLE.keySet().stream().anyMatch(type -> type.isInstance(cause));
    }

    public static String messageOf(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause.getMessage();
        if (isExpected(cause) && message != null) {
            return message;
        }
        return "internal error (" + cause.getClass().getSimpleName() + (message == null ? "" : ": " + message)
                + "); the server logged the details";
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
