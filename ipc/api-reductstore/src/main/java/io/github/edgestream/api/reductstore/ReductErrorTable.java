package io.github.edgestream.api.reductstore;

import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.stream.InvalidRecordException;
import io.github.edgestream.core.stream.NamespaceNotFoundException;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.core.stream.TimestampOrderException;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.auth.AccessDeniedException;
import io.github.edgestream.http.auth.TokenExistsException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/** The one table from failures to ReductStore errors: core's exceptions, the HTTP layer's refusals, the API's own. */
final class ReductErrorTable {

    private ReductErrorTable() {
    }

    /** The error for a failure; null for an unexpected one (a bug: the caller logs it and answers 500). */
    static ReductException of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ReductException reduct) {
            return reduct;
        }
        if (cause instanceof ConditionException condition) {
            // as ReductStore: a reference to a label a record lacks (strict mode) is "not found"
            return condition.missingLabel() != null ? ReductException.notFound(cause.getMessage())
                    : ReductException.unprocessable(cause.getMessage());
        }
        if (cause instanceof StreamNotFoundException || cause instanceof NamespaceNotFoundException) {
            return ReductException.notFound(cause.getMessage());
        }
        if (cause instanceof StreamAlreadyExistsException) {
            return ReductException.conflict(cause.getMessage());
        }
        if (cause instanceof TokenExistsException exists) {
            return ReductException.conflict("Token '" + Buckets.clip(exists.id()) + "' already exists");
        }
        if (cause instanceof TimestampOrderException) {
            return ReductException.unprocessable(cause.getMessage());
        }
        if (cause instanceof StreamFullException) {
            return new ReductException(507, cause.getMessage());
        }
        if (cause instanceof PayloadTooLargeException) {
            return new ReductException(413, cause.getMessage());
        }
        if (cause instanceof InvalidRecordException || cause instanceof InvalidStreamDefinitionException
                || cause instanceof IllegalArgumentException) {
            return ReductException.unprocessable(cause.getMessage());
        }
        if (cause instanceof AccessDeniedException) {
            return new ReductException(403, cause.getMessage());
        }
        if (cause instanceof StoreClosedException || cause instanceof RejectedExecutionException) {
            return new ReductException(503, "the daemon is shutting down");
        }
        if (cause instanceof StoreWriteException || cause instanceof StoreReadException) {
            return new ReductException(500, cause.getMessage());
        }
        return null;
    }

    static ReductException of(HttpProblem problem) {
        return switch (problem.kind()) {
            case UNAUTHENTICATED, UNKNOWN_CREDENTIAL, BAD_CREDENTIALS, MALFORMED_CREDENTIALS, EXPIRED_SIGNATURE ->
                    new ReductException(401, "Invalid token: " + problem.message());
            case ACCESS_DENIED -> new ReductException(403, problem.message());
            default -> new ReductException(problem.kind().status(), problem.message());
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
