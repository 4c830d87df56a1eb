package io.github.edgestream.http.auth;

/**
 * An issued token with this id already exists (and has not expired). APIs answer it as a conflict (HTTP 409).
 */
public final class TokenExistsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String id;

    public TokenExistsException(String id) {
        super("token id \"" + id + "\" is already in use; revoke it first or choose another id");
        this.id = id;
    }

    /** The id that is taken. */
    public String id() {
        return id;
    }
}
