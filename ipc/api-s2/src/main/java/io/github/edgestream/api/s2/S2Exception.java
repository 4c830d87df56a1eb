package io.github.edgestream.api.s2;

/**
 * An S2 error as the client sees it: an HTTP status and a body. Most bodies are {@code {"code","message"}}; the
 * append-condition failures (412) and the out-of-range read (416) have bodies of their own ({@link #body}).
 */
final class S2Exception extends RuntimeException {

    private final int status;
    private final String code;
    /** The whole JSON body when it is not {@code {code, message}}; null otherwise. */
    private final String body;

    S2Exception(int status, String code, String message) {
        this(status, code, message, null);
    }

    private S2Exception(int status, String code, String message, String body) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.body = body;
    }

    /** An error whose body is the given JSON instead of {@code {code, message}}. */
    static S2Exception withBody(int status, String code, String message, String json) {
        return new S2Exception(status, code, message, json);
    }

    static S2Exception invalid(String message) {
        return new S2Exception(422, "invalid", message);
    }

    static S2Exception badJson(String message) {
        return new S2Exception(400, "bad_json", message);
    }

    static S2Exception badQuery(String message) {
        return new S2Exception(400, "bad_query", message);
    }

    static S2Exception badPath(String message) {
        return new S2Exception(400, "bad_path", message);
    }

    static S2Exception badHeader(String message) {
        return new S2Exception(400, "bad_header", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** The response body: the special one, or {@code {"code","message"}}. */
    String json() {
        if (body != null) {
            return body;
        }
        return "{\"code\":" + S2ResponseEncoder.quote(code) + ",\"message\":" + S2ResponseEncoder.quote(getMessage()) + "}";
    }
}
