package io.github.edgestream.api.kinesis;

import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.stream.InvalidRecordException;
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
 * The one table from failures to Kinesis errors: core's exceptions, the HTTP layer's refusals and the API's own
 * checks. Types and statuses are AWS's ({@code 400} for client errors and throttling, {@code 500} internal,
 * {@code 503} unavailable), so clients classify them as they do against AWS: a full stream under RejectNewData is
 * {@code ProvisionedThroughputExceededException}, which every Kinesis producer retries with back-off.
 */
final class KinesisErrorTable {

    static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    static final String RESOURCE_IN_USE = "ResourceInUseException";
    static final String INVALID_ARGUMENT = "InvalidArgumentException";
    static final String VALIDATION = "ValidationException";
    static final String EXPIRED_ITERATOR = "ExpiredIteratorException";
    static final String THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    static final String LIMIT_EXCEEDED = "LimitExceededException";
    static final String ACCESS_DENIED = "AccessDeniedException";
    static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
    static final String INVALID_SIGNATURE = "InvalidSignatureException";
    static final String MISSING_TOKEN = "MissingAuthenticationTokenException";
    static final String UNKNOWN_OPERATION = "UnknownOperationException";
    static final String UNSUPPORTED_OPERATION = "UnsupportedOperationException";
    static final String SERIALIZATION = "SerializationException";
    static final String INTERNAL_FAILURE = "InternalFailure";
    static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    private KinesisErrorTable() {
    }

    /** The Kinesis error for a failure of an operation. */
    static KinesisException of(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof KinesisException kinesis) {
            return kinesis;
        }
        if (cause instanceof StreamNotFoundException) {
            return KinesisException.notFound(cause.getMessage());
        }
        if (cause instanceof StreamAlreadyExistsException) {
            return new KinesisException(RESOURCE_IN_USE, cause.getMessage());
        }
        if (cause instanceof StreamFullException) {
            return new KinesisException(THROUGHPUT_EXCEEDED, cause.getMessage());
        }
        if (cause instanceof PayloadTooLargeException || cause instanceof InvalidRecordException) {
            return new KinesisException(VALIDATION, cause.getMessage());
        }
        if (cause instanceof InvalidStreamDefinitionException || cause instanceof UpdateNotAllowedException
                || cause instanceof PartitionedStreamException || cause instanceof IllegalArgumentException) {
            return KinesisException.invalid(cause.getMessage());
        }
        if (cause instanceof AccessDeniedException) {
            return new KinesisException(ACCESS_DENIED, cause.getMessage());
        }
        if (cause instanceof StoreClosedException || cause instanceof RejectedExecutionException) {
            return new KinesisException(SERVICE_UNAVAILABLE, 503, "the daemon is shutting down");
        }
        if (cause instanceof StoreWriteException || cause instanceof StoreReadException) {
            return new KinesisException(INTERNAL_FAILURE, 500, cause.getMessage());
        }
        return null;
    }

    /** The Kinesis error for a request the HTTP layer refused. */
    static KinesisException of(HttpProblem problem) {
        String message = problem.message();
        return switch (problem.kind()) {
            case UNAUTHENTICATED -> new KinesisException(MISSING_TOKEN, 403, "Missing Authentication Token: "
                    + message);
            case UNKNOWN_CREDENTIAL -> new KinesisException(UNRECOGNIZED_CLIENT, 400,
                    "The security token included in the request is invalid: " + message);
            case BAD_CREDENTIALS -> new KinesisException(INVALID_SIGNATURE, 400, "The request signature we"
                    + " calculated does not match the signature you provided: " + message);
            case MALFORMED_CREDENTIALS -> new KinesisException("IncompleteSignatureException", 400, message);
            case EXPIRED_SIGNATURE -> new KinesisException(INVALID_SIGNATURE, 400, "Signature expired: " + message);
            case ACCESS_DENIED -> new KinesisException(ACCESS_DENIED, 400, message);
            case BODY_TOO_LARGE -> new KinesisException(VALIDATION, 413, message);
            case MALFORMED -> new KinesisException(SERIALIZATION, 400, message);
            case NOT_FOUND -> new KinesisException(UNKNOWN_OPERATION, 400, message);
            case UNAVAILABLE -> new KinesisException(SERVICE_UNAVAILABLE, 503, message);
            case INTERNAL -> new KinesisException(INTERNAL_FAILURE, 500, message);
        };
    }
}
