package io.github.edgestream.core.model;

/**
 * Verbosity of a status stream; a status is written when its level is at most the configured one. The constants are
 * declared from the least verbose to the most, so their natural order is the order of verbosity.
 */
public enum StatusLevel {
    ERROR, WARN, INFO, DEBUG, TRACE;

    /** Whether a status of this level is written to a stream configured for {@code configured}. */
    public boolean isWrittenAt(StatusLevel configured) {
        return compareTo(configured) <= 0;
    }
}
