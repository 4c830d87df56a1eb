package io.github.edgestream.http.auth;

import java.util.Locale;

/**
 * What a credential may do to the streams its scope covers.
 *
 * <ul>
 *   <li>{@link #READ}: list and describe streams, read records, use cursors;</li>
 *   <li>{@link #WRITE}: append records;</li>
 *   <li>{@link #ADMIN}: create, delete and change streams (tags, retention, settings), fence and trim; includes
 *       read and write.</li>
 * </ul>
 */
public enum Permission {
    READ, WRITE, ADMIN;

    /** Whether holding this permission grants {@code wanted}. */
    public boolean grants(Permission wanted) {
        return this == wanted || this == ADMIN;
    }

    /** {@code read}, {@code write} or {@code admin}, any case. */
    public static Permission parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("permission \"" + text + "\" is not one of read, write, admin");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
