package io.github.edgestream.ipc.dispatch;

import io.github.edgestream.core.cursor.CursorConflictException;
import io.github.edgestream.core.cursor.ReservationConflictException;
import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.model.ValidationProblem;
import io.github.edgestream.core.stream.FencingTokenMismatchException;
import io.github.edgestream.core.stream.InvalidRecordException;
import io.github.edgestream.core.stream.NamespaceNotFoundException;
import io.github.edgestream.core.stream.NotEnoughMessagesException;
import io.github.edgestream.core.stream.PartitionedStreamException;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.ResponseTooLargeException;
import io.github.edgestream.core.stream.SequenceMismatchException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreLockedException;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.TimestampOrderException;
import io.github.edgestream.core.stream.UpdateNotAllowedException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.ResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The one table from core's failures to Greengrass status codes (protocol section 9); {@code
 * GreengrassErrorTableTest} pins every core exception type to its code, per operation where they differ. The message
 * of the failure becomes the response's {@code errorMessage} verbatim (a definition's problems named by their path
 * in the request, {@code definition.<field>}), so every failure class carries a message a user can act on. Anything
 * not in the table is a bug of ours: {@code UnknownFailure}, logged by the caller. Stateless.
 */
public final class GreengrassErrorTable {

    private static final Map<Class<? extends Throwable>, ResponseStatus> TABLE = new LinkedHashMap<>();

    static {
        TABLE.put(InvalidStreamDefinitionException.class, ResponseStatus.INVALID_REQUEST);
        TABLE.put(StreamAlreadyExistsException.class, ResponseStatus.INVALID_REQUEST);
        // The protocol leaves the code for a full RejectNewData stream to the server; the message says "full".
        TABLE.put(StreamFullException.class, ResponseStatus.INVALID_REQUEST);
        TABLE.put(StreamNotFoundException.class, ResponseStatus.RESOURCE_NOT_FOUND);
        TABLE.put(NamespaceNotFoundException.class, ResponseStatus.RESOURCE_NOT_FOUND);
        TABLE.put(PayloadTooLargeException.class, ResponseStatus.REQUEST_PAYLOAD_TOO_LARGE);
        TABLE.put(ResponseTooLargeException.class, ResponseStatus.RESPONSE_PAYLOAD_TOO_LARGE);
        TABLE.put(NotEnoughMessagesException.class, ResponseStatus.NOT_ENOUGH_MESSAGES);
        TABLE.put(UpdateNotAllowedException.class, ResponseStatus.UPDATE_NOT_ALLOWED);
        TABLE.put(StoreReadException.class, ResponseStatus.MESSAGE_STORE_READ_ERROR);
        TABLE.put(StoreWriteException.class, ResponseStatus.UNKNOWN_FAILURE);
        TABLE.put(StoreClosedException.class, ResponseStatus.UNKNOWN_FAILURE);
        // Only opening a store throws it, never a request; listed so that every core failure has its row.
        TABLE.put(StoreLockedException.class, ResponseStatus.UNKNOWN_FAILURE);
        TABLE.put(OutOfMemoryError.class, ResponseStatus.OUT_OF_MEMORY_ERROR);
        // The store's newer capabilities, reached through edgestream's extension operations only (ipc/EXTENSIONS.md)
        TABLE.put(InvalidRecordException.class, ResponseStatus.INVALID_REQUEST);
        TABLE.put(TimestampOrderException.class, ResponseStatus.INVALID_REQUEST);
        TABLE.put(PartitionedStreamException.class, ResponseStatus.INVALID_REQUEST);
        TABLE.put(SequenceMismatchException.class, ResponseStatus.CONFLICT);
        TABLE.put(FencingTokenMismatchException.class, ResponseStatus.CONFLICT);
        TABLE.put(CursorConflictException.class, ResponseStatus.CONFLICT);
        TABLE.put(ReservationConflictException.class, ResponseStatus.CONFLICT);
    }

    /** Argument checks of cursors and groups (a name, a position): invalid requests, for extension operations. */
    private static final List<Class<? extends Throwable>> EXTENSION_ARGUMENT_FAILURES =
            List.of(IllegalArgumentException.class, IllegalStateException.class);

    private GreengrassErrorTable() {
    }

    /** The status for {@code failure} in answer to {@code operation}; {@code UnknownFailure} for unexpected ones. */
    public static ResponseStatus statusOf(Operation operation, Throwable failure) {
        return statusOf(operation, unwrap(failure).getClass());
    }

    /** The status for a failure of this type in answer to {@code operation}. */
    public static ResponseStatus statusOf(Operation operation, Class<? extends Throwable> type) {
        if ((operation == Operation.UPDATE_MESSAGE_STREAM || operation == Operation.UPDATE_IN_NAMESPACE)
                && StoreWriteException.class.isAssignableFrom(type)) {
            return ResponseStatus.UPDATE_FAILED; // the new definition could not be saved; nothing changed
        }
        for (Map.Entry<Class<? extends Throwable>, ResponseStatus> entry : TABLE.entrySet()) {
            if (entry.getKey().isAssignableFrom(type)) {
                // Conflict exists only in edgestream's extensions: the official SDKs must never see it (they cannot
                // get these failures anyway; this keeps the guarantee by construction)
                return entry.getValue() == ResponseStatus.CONFLICT && !operation.isExtension()
                        ? ResponseStatus.INVALID_REQUEST : entry.getValue();
            }
        }
        if (operation.isExtension() && EXTENSION_ARGUMENT_FAILURES.stream().anyMatch(t -> t.isAssignableFrom(type))) {
            return ResponseStatus.INVALID_REQUEST;
        }
        return ResponseStatus.UNKNOWN_FAILURE;
    }

    /** Whether the failure is one the table knows; unknown ones are logged as bugs. */
    public static boolean isExpected(Throwable failure) {
        return isExpected(unwrap(failure).getClass());
    }

    /** Whether a failure of this operation is expected: in the table, or an argument check of an extension. */
    public static boolean isExpected(Operation operation, Throwable failure) {
        Class<? extends Throwable> type = unwrap(failure).getClass();
        return isExpected(type) || (operation.isExtension()
                && EXTENSION_ARGUMENT_FAILURES.stream().anyMatch(t -> t.isAssignableFrom(type)));
    }

    /** Whether failures of this type are in the table. */
    public static boolean isExpected(Class<? extends Throwable> type) {
        return TABLE.keySet().stream().anyMatch(known -> known.isAssignableFrom(type));
    }

    public static String messageOf(Throwable failure) {
        return messageOf(Operation.UNKNOWN, failure);
    }

    /** The errorMessage for a failure of this operation: its own message when expected, else a generic one. */
    public static String messageOf(Operation operation, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof InvalidStreamDefinitionException invalid) {
            // the problems are core's, named by field; in this protocol the definition is the request's "definition"
            return invalid.problems().stream()
                    .map(p -> new ValidationProblem("definition." + p.field(), p.value(), p.rule()).message())
                    .collect(Collectors.joining("; "));
        }
        String message = cause.getMessage();
        if (isExpected(operation, cause) && message != null) {
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
