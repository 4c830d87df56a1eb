package io.github.edgestream.http.auth;

/**
 * The caller is authenticated, but its credential's scope does not grant the permission on the stream or namespace.
 * Each API answers it in its own error shape (Kinesis: {@code AccessDeniedException}, HTTP 400).
 */
public final class AccessDeniedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message, null, false, false);
    }
}
