package io.github.edgestream.core.model.archfixture;

/** Deliberately breaks the rules: wire codes in core's model. Only the architecture self-test loads it. */
public interface LegacyProtocolCode {

    int code();
}
