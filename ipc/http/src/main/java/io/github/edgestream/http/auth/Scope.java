package io.github.edgestream.http.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A part of the store and what may be done there: namespaces and streams by glob ({@code *} any run of characters,
 * {@code ?} one character; everything else literal, case-sensitive), and permissions.
 *
 * @param namespaces  globs over namespace names ({@code default}, {@code s2.plant-*})
 * @param streams     globs over stream names within those namespaces
 * @param permissions what the scope grants there
 */
public record Scope(List<String> namespaces, List<String> streams, Set<Permission> permissions) {

    /** Every stream of every namespace, every permission. */
    public static final Scope EVERYTHING = new Scope(List.of("*"), List.of("*"), EnumSet.allOf(Permission.class));

    public Scope {
        namespaces = List.copyOf(namespaces);
        streams = List.copyOf(streams);
        permissions = Set.copyOf(permissions);
        if (namespaces.isEmpty() || streams.isEmpty() || permissions.isEmpty()) {
            throw new IllegalArgumentException("a scope needs at least one namespace, stream and permission");
        }
        for (String glob : namespaces) {
            checkGlob("namespace", glob);
        }
        for (String glob : streams) {
            checkGlob("stream", glob);
        }
    }

    private static void checkGlob(String what, String glob) {
        Objects.requireNonNull(glob, what);
        if (glob.isEmpty() || glob.length() > 512) {
            throw new IllegalArgumentException(what + " glob \"" + glob + "\" must be 1 to 512 characters");
        }
    }

    /** Whether this scope grants {@code wanted} on the stream (or, with a null stream, on the namespace itself). */
    public boolean grants(Permission wanted, String namespace, String stream) {
        if (permissions.stream().noneMatch(p -> p.grants(wanted))) {
            return false;
        }
        if (namespaces.stream().noneMatch(glob -> matches(glob, namespace))) {
            return false;
        }
        return stream == null || streams.stream().anyMatch(glob -> matches(glob, stream));
    }

    /** Glob match without regular expressions: linear-time backtracking over the last star. */
    static boolean matches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = t;
            } else if (star >= 0) {
                g = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
