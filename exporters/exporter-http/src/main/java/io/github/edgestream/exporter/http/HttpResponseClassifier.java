package io.github.edgestream.exporter.http;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.Message;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Classifies what a POST came back with, then what a whole batch came to. The rule: only an answer about the
 * content of the request rejects; anything about the call, the receiver or the configuration retries, so that an
 * outage or a misconfiguration, once fixed, loses nothing.
 *
 * <table>
 *   <caption>one POST</caption>
 *   <tr><th>answer</th><th>verdict</th></tr>
 *   <tr><td>2xx</td><td>delivered</td></tr>
 *   <tr><td>429, 503</td><td>retry, not before {@code Retry-After} (seconds, or an HTTP date read against the
 *       clock) when the receiver sends one</td></tr>
 *   <tr><td>other 5xx, 408, 425</td><td>retry</td></tr>
 *   <tr><td>401, 403, 407</td><td>retry (the receiver refuses us, not the message)</td></tr>
 *   <tr><td>404, 405, 410, 414, 421</td><td>retry (the export's {@code uri} is wrong or gone)</td></tr>
 *   <tr><td>415</td><td>retry (the receiver does not take the content type of the export's format)</td></tr>
 *   <tr><td>any other 4xx (400, 409, 413, 422, ...)</td><td>reject: the content is refused</td></tr>
 *   <tr><td>1xx, 3xx (redirects are not followed), anything else</td><td>retry</td></tr>
 *   <tr><td>no connection, I/O error, no answer within {@code callTimeout}</td><td>retry</td></tr>
 * </table>
 *
 * <p>A batch sent as JSON maps one to one: delivered → {@link ExportResult.Delivered}, retry →
 * {@link ExportResult.Retry}, reject → {@link ExportResult.Rejected} (the runtime then halves the batch to find the
 * refused messages). A raw batch is sent message by message and stops at the first retry; see {@link #rawResult}.
 *
 * <p>Reasons name the call (method, message or messages, URI without user info and query), the status and the first
 * {@value #BODY_CHARS} characters of the answer's body.
 *
 * <p>Thread-safe: immutable apart from the clock, which is thread-safe.
 */
final class HttpResponseClassifier {

    /** Characters of a response body quoted in a reason. */
    static final int BODY_CHARS = 200;
    /** Bytes of a response body kept; the rest is read and dropped so the connection can be reused. */
    static final int BODY_BYTES_KEPT = 1024;

    /** What became of one POST. */
    enum Verdict { DELIVERED, RETRY, REJECT }

    /**
     * One POST's verdict.
     *
     * @param reason    empty for {@link Verdict#DELIVERED}
     * @param notBefore the receiver's {@code Retry-After}, for {@link Verdict#RETRY}
     */
    record Outcome(Verdict verdict, String reason, Optional<Duration> notBefore) {
        static final Outcome DELIVERED = new Outcome(Verdict.DELIVERED, "", Optional.empty());

        Outcome {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(notBefore, "notBefore");
        }
    }

    private final Clock clock;
    private final String callTimeoutText;

    HttpResponseClassifier(HttpExporterConfig config, Clock clock) {
        this.clock = clock;
        this.callTimeoutText = format(config.callTimeout());
    }

    /**
     * The verdict on an answer.
     *
     * @param call     what was called, for the reason ({@code "POST of message 5 to http://host/path"})
     * @param bodyHead the first bytes of the answer's body
     */
    Outcome answered(String call, int status, HttpHeaders headers, byte[] bodyHead) {
        if (status >= 200 && status <= 299) {
            return Outcome.DELIVERED;
        }
        String reason = call + " answered HTTP " + status + quote(bodyHead);
        if (status == 429 || status == 503) {
            Optional<Duration> notBefore = headers.firstValue("Retry-After").flatMap(this::retryAfter);
            return retry(reason + notBefore.map(d -> " (the receiver asks to wait " + format(d) + ")").orElse("")
                    + "; retrying", notBefore);
        }
        if (status >= 400 && status <= 499 && !retries4xx(status)) {
            return new Outcome(Verdict.REJECT, reason + "; the content was refused, not sending it again",
                    Optional.empty());
        }
        return retry(reason + "; " + hint(status), Optional.empty());
    }

    /** The verdict on a call that ended without an answer. */
    Outcome failed(String call, Throwable failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return retry(call + " could not connect within " + callTimeoutText
                    + " (the http destination's callTimeout); retrying", Optional.empty());
        }
        if (failure instanceof HttpTimeoutException) {
            return timedOut(call);
        }
        String what = failure instanceof ConnectException ? "could not connect" : "failed before an answer";
        return retry(call + " " + what + ": " + describe(failure) + "; retrying", Optional.empty());
    }

    /** The verdict on a call that got no complete answer within the call timeout. */
    Outcome timedOut(String call) {
        return retry(call + " got no answer within " + callTimeoutText
                + " (the http destination's callTimeout); retrying", Optional.empty());
    }

    /** The result of a batch sent as one JSON request. */
    ExportResult batchResult(Outcome outcome) {
        switch (outcome.verdict()) {
            case DELIVERED:
                return ExportResult.DELIVERED;
            case REJECT:
                return new ExportResult.Rejected(outcome.reason());
            default:
                return new ExportResult.Retry(outcome.reason(), outcome.notBefore());
        }
    }

    /**
     * The result of a batch sent message by message. {@code outcomes} are those of the first messages of the batch,
     * in order; sending stopped after the first retry, or went through the whole batch.
     * <ul>
     *   <li>all delivered → {@link ExportResult.Delivered};</li>
     *   <li>the first message must be retried → {@link ExportResult.Retry} (nothing arrived);</li>
     *   <li>otherwise → {@link ExportResult.Partial} naming every rejected message (not retryable), and from the
     *       first retry on, that message and every later one (retryable; the later ones were not sent).</li>
     * </ul>
     *
     * @throws IllegalArgumentException if sending stopped early without a retry
     */
    ExportResult rawResult(Batch batch, List<Outcome> outcomes) {
        List<Message> messages = batch.messages();
        Map<Long, ExportResult.Rejection> rejected = new LinkedHashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            long sequenceNumber = messages.get(i).sequenceNumber();
            if (outcome.verdict() == Verdict.REJECT) {
                rejected.put(sequenceNumber, new ExportResult.Rejection(outcome.reason(), false));
            } else if (outcome.verdict() == Verdict.RETRY) {
                if (i == 0) {
                    return new ExportResult.Retry(outcome.reason(), outcome.notBefore());
                }
                rejected.put(sequenceNumber, new ExportResult.Rejection(outcome.reason(), true));
                var notSent = new ExportResult.Rejection("not sent: an earlier message of this batch failed"
                        + " (sequence number " + sequenceNumber + ": " + outcome.reason() + ")", true);
                for (int j = i + 1; j < messages.size(); j++) {
                    rejected.put(messages.get(j).sequenceNumber(), notSent);
                }
                return new ExportResult.Partial(rejected, outcome.notBefore());
            }
        }
        if (outcomes.size() != messages.size()) {
            throw new IllegalArgumentException(outcomes.size() + " outcomes for " + messages.size()
                    + " messages, and none of them a retry");
        }
        return rejected.isEmpty() ? ExportResult.DELIVERED : new ExportResult.Partial(rejected);
    }

    /**
     * The wait a {@code Retry-After} value asks for: delay-seconds, or an HTTP date (RFC 9110 section 10.2.3)
     * measured from the clock's now. Empty if the value is neither, or lies in the past.
     */
    Optional<Duration> retryAfter(String value) {
        String text = value.trim();
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                long seconds = Long.parseLong(text);
                return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
        }
        try {
            var at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            var wait = Duration.between(clock.instant(), at);
            return wait.isNegative() || wait.isZero() ? Optional.empty() : Optional.of(wait);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    /** Reads at most {@link #BODY_BYTES_KEPT} bytes of a body and drops the rest. */
    static HttpResponse.BodyHandler<byte[]> bodyHead() {
        return info -> new BodyHead();
    }

    private static Outcome retry(String reason, Optional<Duration> notBefore) {
        return new Outcome(Verdict.RETRY, reason, notBefore);
    }

    private static boolean retries4xx(int status) {
        switch (status) {
            case 401, 403, 404, 405, 407, 408, 410, 414, 415, 421, 425:
                return true;
            default:
                return false;
        }
    }

    private static String hint(int status) {
        switch (status) {
            case 401, 403, 407:
                return "the receiver refuses this client: check its credentials or access rules; retrying";
            case 404, 405, 410, 414, 421:
                return "check the export's uri; retrying";
            case 415:
                return "the receiver does not take this content type: check the export's exportFormat; retrying";
            default:
                if (status >= 300 && status <= 399) {
                    return "redirects are not followed: set the export's uri to the final address; retrying";
                }
                return "retrying";
        }
    }

    /** {@code : "first 200 characters"}, control characters as spaces; empty for an empty body. */
    private static String quote(byte[] bodyHead) {
        String text = new String(bodyHead, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}+", " ").strip();
        if (text.isEmpty()) {
            return "";
        }
        if (text.length() > BODY_CHARS) {
            int end = Character.isHighSurrogate(text.charAt(BODY_CHARS - 1)) ? BODY_CHARS - 1 : BODY_CHARS;
            text = text.substring(0, end) + "…";
        }
        return ": \"" + text + "\"";
    }

    private static String describe(Throwable failure) {
        var text = new StringBuilder(failure.getClass().getSimpleName());
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text.append(": ").append(t.getMessage());
                break;
            }
        }
        return text.toString();
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** Keeps the head of a body; reads the rest and drops it. Calls come serialised, per the Flow rules. */
    private static final class BodyHead implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), BODY_BYTES_KEPT - head.size());
                if (take > 0) {
                    byte[] bytes = new byte[take];
                    item.get(bytes);
                    head.write(bytes, 0, take);
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(head.toByteArray());
        }
    }
}
