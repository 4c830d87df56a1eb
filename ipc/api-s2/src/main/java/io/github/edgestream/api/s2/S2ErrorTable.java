package io.github.edgestream.api.s2;

import io.github.edgestream.core.stream.FencingTokenMismatchException;
import io.github.edgestream.core.stream.InvalidRecordException;
import io.github.edgestream.core.stream.PayloadTooLargeException;
import io.github.edgestream.core.stream.SequenceMismatchException;
import io.github.edgestream.core.stream.StoreClosedException;
import io.github.edgestream.core.stream.StoreReadException;
import io.github.edgestream.core.stream.StoreWriteException;
import io.github.edgestream.core.stream.StreamAlreadyExistsException;
import io.github.edgestream.core.stream.StreamFullException;
import io.github.edgestream.core.stream.StreamNotFoundException;
import io.github.edgestream.http.HttpProblem;
import io.github.edgestream.http.auth.AccessDeniedException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Every failure of the store, the HTTP layer or this API, as the S2 error a client expects (S2's codes and
 * statuses). The SDK retries 408, 429, 5xx and {@code transaction_conflict}; everything a retry cannot fix is a 4xx
 * here.
 *
 * <table>
 *   <caption>Store failures</caption>
 *   <tr><th>failure</th><th>status</th><th>code</th></tr>
 *   <tr><td>stream not found</td><td>404</td><td>stream_not_found</td></tr>
 *   <tr><td>stream exists</td><td>409</td><td>resource_already_exists</td></tr>
 *   <tr><td>sequence mismatch</td><td>412</td><td>{@code {"seq_num_mismatch":N}}</td></tr>
 *   <tr><td>fencing token mismatch</td><td>412</td><td>{@code {"fencing_token_mismatch":"t"}}</td></tr>
 *   <tr><td>stream full (RejectNewData)</td><td>403</td><td>quota_exhausted</td></tr>
 *   <tr><td>a record or batch beyond a limit</td><td>422</td><td>invalid</td></tr>
 *   <tr><td>disk full, I/O error</td><td>500</td><td>storage</td></tr>
 *   <tr><td>daemon stopping</td><td>503</td><td>unavailable</td></tr>
 *   <tr><td>no permission</td><td>403</td><td>permission_denied</td></tr>
 * </table>
 */
final class S2ErrorTable {

    private S2ErrorTable() {
    }

    /** The S2 error for a failure; null if it is not one this API expects (a bug: answered 500 and logged). */
    static S2Exception of(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof S2Exception s2) {
            return s2;
        }
        if (cause instanceof StreamNotFoundException) {
            return new S2Exception(404, "stream_not_found", cause.getMessage());
        }
        if (cause instanceof StreamAlreadyExistsException) {
            return new S2Exception(409, "resource_already_exists", cause.getMessage());
        }
        if (cause instanceof SequenceMismatchException e) {
            return S2Exception.withBody(412, "seq_num_mismatch", e.getMessage(),
                    "{\"seq_num_mismatch\":" + e.actual() + "}");
        }
        if (cause instanceof FencingTokenMismatchException e) {
            return S2Exception.withBody(412, "fencing_token_mismatch", e.getMessage(),
                    "{\"fencing_token_mismatch\":" + S2ResponseEncoder.quote(e.current()) + "}");
        }
        if (cause instanceof StreamFullException e) {
            return new S2Exception(403, "quota_exhausted", e.getMessage() + " (api.s2.maxSize; the stream rejects"
                    + " new records until retention or a trim frees space)");
        }
        if (cause instanceof InvalidRecordException || cause instanceof PayloadTooLargeException) {
            return S2Exception.invalid(cause.getMessage());
        }
        if (cause instanceof AccessDeniedException) {
            return new S2Exception(403, "permission_denied", cause.getMessage());
        }
        if (cause instanceof StoreWriteException || cause instanceof StoreReadException) {
            return new S2Exception(500, "storage", cause.getMessage());
        }
        if (cause instanceof StoreClosedException || cause instanceof RejectedExecutionException) {
            return new S2Exception(503, "unavailable", "the daemon is shutting down");
        }
        return null;
    }

    /** The S2 error for a request the HTTP layer refused before this API ran. */
    static S2Exception of(HttpProblem problem) {
        return switch (problem.kind()) {
            case UNAUTHENTICATED, BAD_CREDENTIALS, UNKNOWN_CREDENTIAL, MALFORMED_CREDENTIALS, EXPIRED_SIGNATURE ->
                    new S2Exception(401, "authn", problem.message());
            case ACCESS_DENIED -> new S2Exception(403, "permission_denied", problem.message());
            case BODY_TOO_LARGE -> new S2Exception(413, "invalid", problem.message());
            case MALFORMED -> new S2Exception(400, "bad_header", problem.message());
            case NOT_FOUND -> new S2Exception(404, "bad_path", problem.message());
            case UNAVAILABLE -> new S2Exception(503, "unavailable", problem.message());
            case INTERNAL -> new S2Exception(500, "other", problem.message());
        };
    }
}
