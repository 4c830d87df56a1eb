package io.github.edgestream.api.oci;

import io.github.edgestream.core.cursor.ReservationConflictException;
import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.stream.InvalidRecordException;
import io.github.edgestream.core.stream.NamespaceNotFoundException;
import io.github.edgestream.core.stream.PartitionedStreamException;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.UpdateNotAllowedException;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.auth.AccessDeniedException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one table from failures to OCI errors: core's exceptions, the HTTP layer's refusals and the API's own checks.
 * As on OCI, a resource the caller may not see is {@code 404 NotAuthorizedOrNotFound} (the message says which of
 * the two it is: this daemon has no reason to hide it from a caller that authenticated).
 */
final class OciErrorTable {

    private OciErrorTable() {
    }

    /** The OCI error for a failure; null for an unexpected one (a bug: the caller logs it and answers 500). */
    static OciException of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof OciException oci) {
            return oci;
        }
        if (cause instanceof StreamNotFoundException || cause instanceof NamespaceNotFoundException) {
            return OciException.notFound(cause.getMessage());
        }
        if (cause instanceof StreamAlreadyExistsException) {
            return new OciException(409, OciException.CONFLICT, cause.getMessage());
        }
        if (cause instanceof StreamFullException) {
            return new OciException(429, OciException.TOO_MANY_REQUESTS, cause.getMessage());
        }
        if (cause instanceof ReservationConflictException) {
            return new OciException(409, OciException.CONFLICT, cause.getMessage());
        }
        if (cause instanceof PayloadTooLargeException || cause instanceof InvalidRecordException
                || cause instanceof InvalidStreamDefinitionException || cause instanceof UpdateNotAllowedException
                || cause instanceof PartitionedStreamException || cause instanceof IllegalArgumentException) {
            return OciException.invalid(cause.getMessage());
        }
        if (cause instanceof AccessDeniedException) {
            return OciException.notFound("not authorized: " + cause.getMessage());
        }
        if (cause instanceof StoreClosedException || cause instanceof RejectedExecutionException) {
            return new OciException(503, OciException.UNAVAILABLE, "the daemon is shutting down");
        }
        if (cause instanceof StoreWriteException || cause instanceof StoreReadException) {
            return new OciException(500, OciException.INTERNAL, cause.getMessage());
        }
        return null;
    }

    /** The OCI error for a request the HTTP layer refused. */
    static OciException of(HttpProblem problem) {
        String message = problem.message();
        return switch (problem.kind()) {
            case UNAUTHENTICATED, UNKNOWN_CREDENTIAL, BAD_CREDENTIALS, MALFORMED_CREDENTIALS, EXPIRED_SIGNATURE ->
                    new OciException(401, OciException.NOT_AUTHENTICATED, "The required information to complete"
                            + " authentication was not provided or was incorrect: " + message);
            case ACCESS_DENIED -> OciException.notFound("not authorized: " + message);
            case BODY_TOO_LARGE -> new OciException(413, OciException.TOO_LARGE, message);
            case MALFORMED -> new OciException(400, OciException.CANNOT_PARSE, message);
            case NOT_FOUND -> OciException.notFound(message);
            case UNAVAILABLE -> new OciException(503, OciException.UNAVAILABLE, message);
            case INTERNAL -> new OciException(500, OciException.INTERNAL, message);
        };
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
