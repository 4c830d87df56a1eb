package io.github.edgestream.http.auth;

import io.github.edgestream.core.model.Namespace;
import java.util.List;
import java.util.Objects;

/**
 * Who is calling, once authenticated: the credential's name (for logs; never a secret) and its scopes. A request is
 * allowed if any scope grants it.
 */
public record Principal(String name, List<Scope> scopes) {

    /** Before authentication: no permission anywhere. */
    public static final Principal NOBODY = new Principal("anonymous", List.of());

    public Principal {
        Objects.requireNonNull(name, "name");
        scopes = List.copyOf(scopes);
    }

    /** A principal with exactly one scope: an issued token ({@link IssuedTokens.Issued#principal()}). */
    public static Principal of(String name, Scope scope) {
        return new Principal(name, List.of(Objects.requireNonNull(scope, "scope")));
    }

    /** Every permission everywhere: the daemon's own token, or any caller when authentication is off. */
    public static Principal everything(String name) {
        return new Principal(name, List.of(Scope.EVERYTHING));
    }

    public boolean allows(Permission wanted, Namespace namespace, String stream) {
        return scopes.stream().anyMatch(scope -> scope.grants(wanted, namespace.value(), stream));
    }

    /** Whether some stream of the namespace may be touched with {@code wanted} (listing, creating namespaces). */
    public boolean allowsNamespace(Permission wanted, Namespace namespace) {
        return scopes.stream().anyMatch(scope -> scope.grants(wanted, namespace.value(), null));
    }

    /**
     * @throws AccessDeniedException naming the credential, the permission and the stream
     */
    public void check(Permission wanted, Namespace namespace, String stream) {
        if (!allows(wanted, namespace, stream)) {
            throw new AccessDeniedException("credential \"" + name + "\" may not " + wanted + " stream \"" + stream
                    + "\" in namespace \"" + namespace.value() + "\"");
        }
    }
}
