package io.github.edgestream.status;

import io.github.edgestream.core.export.ExportEvent;
import io.github.edgestream.core.model.StatusLevel;

/**
 * The {@code status} of a StatusMessage (protocol section 8: integer codes), the export event it reports, and the
 * level at which it is written (section 14: Failure at ERROR, Warning at WARN, the others at INFO).
 */
enum TaskStatus {
    SUCCESS(0, StatusLevel.INFO),
    FAILURE(1, StatusLevel.ERROR),
    IN_PROGRESS(2, StatusLevel.INFO),
    WARNING(3, StatusLevel.WARN),
    CANCELED(4, StatusLevel.INFO);

    private final int code;
    private final StatusLevel level;

    TaskStatus(int code, StatusLevel level) {
        this.code = code;
        this.level = level;
    }

    int code() {
        return code;
    }

    StatusLevel level() {
        return level;
    }

    /** The status an event is reported as; retries are not reported (the task stays InProgress). */
    static java.util.Optional<TaskStatus> of(ExportEvent.Type type) {
        return type == ExportEvent.Type.RETRY ? java.util.Optional.empty() : java.util.Optional.of(statusOf(type));
    }

    private static TaskStatus statusOf(ExportEvent.Type type) {
        switch (type) {
            case STARTED:
                return IN_PROGRESS;
            case DELIVERED:
                return SUCCESS;
            case FAILED:
                return FAILURE;
            case WARNING:
                return WARNING;
            case CANCELED:
                return CANCELED;
            default:
                throw new IllegalArgumentException("no status for " + type);
        }
    }
}
