package io.github.edgestream.core.export.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link Exporter#export} call went. The runtime acts on it:
 *
 * <table>
 *   <caption>outcomes</caption>
 *   <tr><th>result</th><th>the runtime</th></tr>
 *   <tr><td>{@link Delivered}</td><td>records every message as exported and moves on</td></tr>
 *   <tr><td>{@link Partial}</td><td>records the others as exported, resends the retryable rejections (only those)
 *       after a back-off, and skips the rest, counting them and keeping the reason</td></tr>
 *   <tr><td>{@link Retry}</td><td>resends the whole batch after a back-off (doubling, with jitter, capped at 5
 *       minutes, or at least {@code notBefore})</td></tr>
 *   <tr><td>{@link Rejected}</td><td>skips every message of the batch: it can never be delivered as it is</td></tr>
 * </table>
 *
 * <p>Use {@link Retry} for what concerns the call or the environment (no network, throttling, 5xx, expired
 * credentials, a missing destination), so that a misconfiguration or an outage never loses data; use
 * {@link Rejected} and non-retryable rejections only for what concerns the messages themselves (too large,
 * unparseable, refused by validation). Reasons are for people: say what failed and what would fix it.
 */
public sealed interface ExportResult {

    Delivered DELIVERED = new Delivered(Map.of());

    /**
     * Every message arrived.
     *
     * @param notes what became of some messages, by sequence number, for the export's listeners (an S3 task: the
     *              bucket and the final key); usually empty
     */
    record Delivered(Map<Long, Note> notes) implements ExportResult {
        public Delivered {
            notes = Map.copyOf(notes);
        }
    }

    /**
     * What a delivered message became, for people ({@code message}) and programs ({@code fields}).
     *
     * @param message for example {@code uploaded 20971520 bytes to s3://bucket/key in 4 parts}
     * @param fields  for example {@code bucket} and {@code key}
     */
    record Note(String message, Map<String, String> fields) {
        public Note {
            Objects.requireNonNull(message, "message");
            fields = Map.copyOf(fields);
        }
    }

    /**
     * Some messages were refused; every message of the batch not in {@code rejected} arrived.
     *
     * @param rejected  by sequence number; not empty
     * @param notBefore the destination asked to wait at least this long before the retryable ones are sent again
     */
    record Partial(Map<Long, Rejection> rejected, Optional<Duration> notBefore) implements ExportResult {
        public Partial {
            rejected = Map.copyOf(rejected);
            Objects.requireNonNull(notBefore, "notBefore");
            if (rejected.isEmpty()) {
                throw new IllegalArgumentException("a partial result names at least one rejected message");
            }
        }

        public Partial(Map<Long, Rejection> rejected) {
            this(rejected, Optional.empty());
        }
    }

    /**
     * Nothing is known to have arrived; try the whole batch again later.
     *
     * @param reason    what failed
     * @param notBefore the destination asked to wait at least this long (e.g. Retry-After), if it did
     */
    record Retry(String reason, Optional<Duration> notBefore) implements ExportResult {
        public Retry {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(notBefore, "notBefore");
        }

        public Retry(String reason) {
            this(reason, Optional.empty());
        }
    }

    /** No message of the batch can ever be delivered as it is. */
    record Rejected(String reason) implements ExportResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Why one message was refused.
     *
     * @param reason    what the destination said
     * @param retryable true if sending it again may work (throttled, internal error)
     */
    record Rejection(String reason, boolean retryable) {
        public Rejection {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
