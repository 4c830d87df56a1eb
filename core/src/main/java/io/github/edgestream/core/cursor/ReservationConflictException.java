package io.github.edgestream.core.cursor;

/**
 * An instance acted on a partition reservation it does not hold: a heartbeat from an instance that never joined,
 * whose reservation expired or was cleared by a reset, or a commit on a partition that another instance holds or
 * that nobody holds. Nothing was written. The instance joins again ({@link ConsumerGroups#join}) and reads from the
 * committed position it is handed.
 */
public final class ReservationConflictException extends RuntimeException {

    private final String group;
    private final String instance;

    public ReservationConflictException(String group, String instance, String message) {
        super(message);
        this.group = group;
        this.instance = instance;
    }

    public String group() {
        return group;
    }

    /** The instance that acted. */
    public String instance() {
        return instance;
    }
}
