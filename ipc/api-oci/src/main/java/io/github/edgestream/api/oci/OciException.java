package io.github.edgestream.api.oci;

import io.github.edgestream.http.BodyCodecs;
import java.io.UncheckedIOException;

/**
 * An OCI Streaming error: an HTTP status and OCI's {@code {"code","message"}} body, which the SDKs turn into
 * {@code OciError(statusCode, serviceCode, message)}. Codes are OCI's: {@code InvalidParameter} and
 * {@code MissingParameter} (400), {@code NotAuthenticated} (401), {@code NotAuthorizedOrNotFound} (404),
 * {@code Conflict} (409), {@code TooManyRequests} (429), {@code InternalServerError} (500),
 * {@code ServiceUnavailable} (503). The SDKs retry 409 {@code IncorrectState}, 429 and 5xx; never PutMessages.
 */
final class OciException extends RuntimeException {

    static final String INVALID_PARAMETER = "InvalidParameter";
    static final String MISSING_PARAMETER = "MissingParameter";
    static final String CANNOT_PARSE = "CannotParseRequest";
    static final String NOT_AUTHENTICATED = "NotAuthenticated";
    static final String NOT_FOUND = "NotAuthorizedOrNotFound";
    static final String CONFLICT = "Conflict";
    static final String TOO_MANY_REQUESTS = "TooManyRequests";
    static final String TOO_LARGE = "RequestEntityTooLarge";
    static final String INTERNAL = "InternalServerError";
    static final String UNAVAILABLE = "ServiceUnavailable";

    private final int status;
    private final String code;

    OciException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static OciException invalid(String message) {
        return new OciException(400, INVALID_PARAMETER, message);
    }

    static OciException missing(String field) {
        return new OciException(400, MISSING_PARAMETER, field + " is required");
    }

    static OciException notFound(String message) {
        return new OciException(404, NOT_FOUND, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The error body: {@code {"code":"…","message":"…"}}. */
    byte[] json() {
        try {
            return BodyCodecs.json().writeValueAsBytes(BodyCodecs.json().createObjectNode().put("code", code)
                    .put("message", getMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
