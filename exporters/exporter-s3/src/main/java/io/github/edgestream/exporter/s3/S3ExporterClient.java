package io.github.edgestream.exporter.s3;

import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client of one export, built when a task first needs it rather than when the export starts, and built again
 * at the next task for as long as building fails (no region configured, say): the destination starts as soon as its
 * configuration allows, without a daemon restart.
 *
 * <p>Thread-safe.
 */
final class S3ExporterClient implements AutoCloseable {

    /** Why the client could not be built; the message says what to set. */
    static final class CannotStartException extends RuntimeException {
        CannotStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Supplier<S3Client> builder;
    private S3Client client; // guarded by this
    private boolean closed;  // guarded by this

    S3ExporterClient(Supplier<S3Client> builder) {
        this.builder = builder;
    }

    /** For tests: a client built already. */
    static S3ExporterClient of(S3Client client) {
        return new S3ExporterClient(() -> client);
    }

    /** @throws CannotStartException if the client cannot be built now */
    synchronized S3Client get() {
        if (closed) {
            throw new IllegalStateException("the S3 exporter is closed");
        }
        if (client == null) {
            try {
                client = builder.get();
            } catch (RuntimeException e) {
                throw new CannotStartException(e.getMessage(), e);
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                // nothing to do about it: the connections go with the process
            }
        }
    }
}
