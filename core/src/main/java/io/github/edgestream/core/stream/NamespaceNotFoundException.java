package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.Namespace;

/** A request named a namespace (an S2 basin {@code s2.<basin>}, a bucket) that does not exist. */
public final class NamespaceNotFoundException extends StreamStoreException {

    private final transient Namespace namespace;

    public NamespaceNotFoundException(Namespace namespace) {
        super("namespace \"" + namespace + "\" does not exist");
        this.namespace = namespace;
    }

    public Namespace namespace() {
        return namespace;
    }
}
