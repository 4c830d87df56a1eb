package io.github.edgestream.core.export.spi;

/**
 * Where an exporter reports what went wrong without deciding the outcome of a call: a multipart upload that could not
 * be aborted, a clean-up that failed. The outcome itself is always the {@link ExportResult}. The runtime turns each
 * notice into a warning event for the export's listeners (an S3 task executor's status stream) and logs it.
 *
 * <p>Called by an exporter from inside {@link Exporter#export}, on the runtime's worker thread. Thread-safe, quick and
 * never throws.
 */
@FunctionalInterface
public interface ExportNotices {

    /** Drops every notice. */
    ExportNotices NONE = (sequenceNumber, message) -> { };

    /**
     * @param sequenceNumber the message of the batch the warning is about
     * @param message        what happened and what it means, for a person
     */
    void warning(long sequenceNumber, String message);
}
