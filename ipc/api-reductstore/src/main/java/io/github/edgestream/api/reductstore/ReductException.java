package io.github.edgestream.api.reductstore;

/**
 * A ReductStore error: an HTTP status and a message, which ReductStore sends in the {@code x-reduct-error} header
 * (the clients ignore the body). Statuses are ReductStore's: 400 bad request, 401 no or bad token, 403 not allowed,
 * 404 not found, 409 conflict (a bucket that exists, a record at that timestamp), 413 too large, 422 unprocessable
 * (a bad query, an unknown operator), 500, 503.
 */
final class ReductException extends RuntimeException {

    private final int status;

    ReductException(int status, String message) {
        super(message);
        this.status = status;
    }

    static ReductException badRequest(String message) {
        return new ReductException(400, message);
    }

    static ReductException notFound(String message) {
        return new ReductException(404, message);
    }

    static ReductException conflict(String message) {
        return new ReductException(409, message);
    }

    static ReductException unprocessable(String message) {
        return new ReductException(422, message);
    }

    int status() {
        return status;
    }
}
