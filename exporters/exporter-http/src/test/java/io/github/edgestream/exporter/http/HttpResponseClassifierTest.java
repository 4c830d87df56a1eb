package io.github.edgestream.exporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.time.ManualClock;
import io.github.edgestream.exporter.http.HttpResponseClassifier.Outcome;
import io.github.edgestream.exporter.http.HttpResponseClassifier.Verdict;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpResponseClassifierTest {

    private static final String CALL = "POST of message 5 to http://127.0.0.1:1/in";

    private final ManualClock clock = ManualClock.startingAt2026();
    private final HttpResponseClassifier classifier = new HttpResponseClassifier(
            new HttpExporterConfig(URI.create("http://127.0.0.1:1/in"), HttpExporterConfig.DEFAULT_FORMAT,
                    Duration.ofSeconds(2), HttpExporterConfig.LIMITS), clock);

    // Only a refusal of the content rejects; the receiver's state, our access and the uri are not the messages' fault.
    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
            "200, DELIVERED", "201, DELIVERED", "202, DELIVERED", "204, DELIVERED", "299, DELIVERED",
            "400, REJECT", "409, REJECT", "411, REJECT", "413, REJECT", "422, REJECT", "451, REJECT",
            "401, RETRY", "403, RETRY", "407, RETRY",
            "404, RETRY", "405, RETRY", "410, RETRY", "414, RETRY", "421, RETRY",
            "415, RETRY", "408, RETRY", "425, RETRY", "429, RETRY",
            "500, RETRY", "501, RETRY", "502, RETRY", "503, RETRY", "504, RETRY", "599, RETRY",
            "301, RETRY", "302, RETRY", "307, RETRY", "304, RETRY", "600, RETRY",
    })
    void classifiesStatusCodes(int status, Verdict expected) {
        assertThat(classifier.answered(CALL, status, headers(Map.of()), new byte[0]).verdict()).isEqualTo(expected);
    }

    @Test
    void reasonNamesTheCallTheStatusAndTheFirst200CharactersOfTheBody() {
        String body = "x".repeat(199) + "yz" + "tail that must not appear";

        var outcome = classifier.answered(CALL, 400, headers(Map.of()), body.getBytes(StandardCharsets.UTF_8));

        assertThat(outcome.reason())
                .startsWith(CALL + " answered HTTP 400: \"" + "x".repeat(199) + "y…\"")
                .doesNotContain("z")
                .doesNotContain("tail");
    }

    @Test
    void reasonFlattensLineBreaksOfTheBodyAndOmitsAnEmptyBody() {
        var multiLine = classifier.answered(CALL, 500, headers(Map.of()),
                "line one\r\nline two\n".getBytes(StandardCharsets.UTF_8));
        var empty = classifier.answered(CALL, 500, headers(Map.of()), new byte[0]);

        assertThat(multiLine.reason()).contains("HTTP 500: \"line one line two\"");
        assertThat(empty.reason()).isEqualTo(CALL + " answered HTTP 500; retrying");
    }

    @Test
    void tooManyRequestsWithRetryAfterSecondsWaitsThatLong() {
        var outcome = classifier.answered(CALL, 429, headers(Map.of("Retry-After", "7")), new byte[0]);

        assertThat(outcome.verdict()).isEqualTo(Verdict.RETRY);
        assertThat(outcome.notBefore()).contains(Duration.ofSeconds(7));
        assertThat(outcome.reason()).contains("HTTP 429", "wait 7 s");
    }

    // An HTTP date is read against the exporter's clock, not the machine's.
    @Test
    void unavailableWithRetryAfterDateWaitsUntilThenByTheClock() {
        clock.advance(Duration.ofSeconds(10));

        var outcome = classifier.answered(CALL, 503,
                headers(Map.of("Retry-After", "Thu, 01 Jan 2026 00:01:00 GMT")), new byte[0]);

        assertThat(outcome.notBefore()).contains(Duration.ofSeconds(50));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "7                             | PT7S",
            "' 120 '                       | PT2M",
            "0                             | ",
            "-5                            | ",
            "1.5                           | ",
            "soon                          | ",
            "99999999999999999999999       | ",
            "Wed, 31 Dec 2025 23:59:00 GMT | ",
            "Thu, 01 Jan 2026 00:00:01 GMT | PT1S",
    })
    void readsRetryAfterAsSecondsOrAFutureHttpDate(String value, Duration expected) {
        assertThat(classifier.retryAfter(value)).isEqualTo(Optional.ofNullable(expected));
    }

    // Retry-After is only honoured where HTTP defines it for throttling: 429 and 503.
    @Test
    void ignoresRetryAfterOnOtherServerErrors() {
        var outcome = classifier.answered(CALL, 500, headers(Map.of("Retry-After", "7")), new byte[0]);

        assertThat(outcome.notBefore()).isEmpty();
    }

    @Test
    void failuresWithoutAnAnswerRetryAndSayWhatHappened() {
        var refused = classifier.failed(CALL, new ConnectException());
        var connectTimeout = classifier.failed(CALL, new HttpConnectTimeoutException("HTTP connect timed out"));
        var timeout = classifier.failed(CALL, new HttpTimeoutException("request timed out"));
        var reset = classifier.failed(CALL, new java.io.IOException("connection reset"));

        assertThat(List.of(refused, connectTimeout, timeout, reset))
                .extracting(Outcome::verdict).containsOnly(Verdict.RETRY);
        assertThat(refused.reason()).isEqualTo(CALL + " could not connect: ConnectException; retrying");
        assertThat(connectTimeout.reason()).contains("could not connect within 2 s");
        assertThat(timeout.reason()).contains("got no answer within 2 s");
        assertThat(reset.reason()).contains("failed before an answer: IOException: connection reset");
    }

    @Test
    void jsonBatchMapsOneToOne() {
        var retry = new Outcome(Verdict.RETRY, "busy", Optional.of(Duration.ofSeconds(7)));

        assertThat(classifier.batchResult(Outcome.DELIVERED)).isEqualTo(ExportResult.DELIVERED);
        assertThat(classifier.batchResult(retry))
                .isEqualTo(new ExportResult.Retry("busy", Optional.of(Duration.ofSeconds(7))));
        assertThat(classifier.batchResult(new Outcome(Verdict.REJECT, "bad", Optional.empty())))
                .isEqualTo(new ExportResult.Rejected("bad"));
    }

    @Test
    void rawBatchAllDeliveredIsDelivered() {
        var outcomes = List.of(Outcome.DELIVERED, Outcome.DELIVERED, Outcome.DELIVERED);

        assertThat(classifier.rawResult(batch(10, 3), outcomes)).isEqualTo(ExportResult.DELIVERED);
    }

    // Nothing arrived: the whole batch goes again, after the receiver's Retry-After.
    @Test
    void rawBatchWhoseFirstMessageMustBeRetriedIsRetry() {
        var retry = new Outcome(Verdict.RETRY, "busy", Optional.of(Duration.ofSeconds(7)));

        assertThat(classifier.rawResult(batch(10, 3), List.of(retry)))
                .isEqualTo(new ExportResult.Retry("busy", Optional.of(Duration.ofSeconds(7))));
    }

    @Test
    void rawBatchFailingMidwayRetriesThatMessageAndEveryLaterOne() {
        var retry = new Outcome(Verdict.RETRY, "HTTP 503", Optional.empty());

        var result = classifier.rawResult(batch(10, 5), List.of(Outcome.DELIVERED, Outcome.DELIVERED, retry));

        assertThat(result).isInstanceOf(ExportResult.Partial.class);
        var rejected = ((ExportResult.Partial) result).rejected();
        assertThat(rejected).containsOnlyKeys(12L, 13L, 14L);
        assertThat(rejected.get(12L)).isEqualTo(new ExportResult.Rejection("HTTP 503", true));
        assertThat(rejected.get(13L).retryable()).isTrue();
        assertThat(rejected.get(13L).reason())
                .startsWith("not sent: an earlier message of this batch failed (sequence number 12: HTTP 503");
        assertThat(rejected.get(14L)).isEqualTo(rejected.get(13L));
    }

    @Test
    void rawBatchThrottledMidwayCarriesRetryAfterInThePartialResult() {
        var throttled = new Outcome(Verdict.RETRY, "HTTP 429", Optional.of(Duration.ofSeconds(7)));

        var result = (ExportResult.Partial) classifier.rawResult(batch(10, 3), List.of(Outcome.DELIVERED, throttled));

        assertThat(result.notBefore()).contains(Duration.ofSeconds(7));
    }

    @Test
    void rawBatchWithRefusedMessagesNamesOnlyThoseAsNotRetryable() {
        var reject = new Outcome(Verdict.REJECT, "HTTP 400", Optional.empty());

        var result = classifier.rawResult(batch(10, 3), List.of(Outcome.DELIVERED, reject, Outcome.DELIVERED));

        assertThat(result)
                .isEqualTo(new ExportResult.Partial(Map.of(11L, new ExportResult.Rejection("HTTP 400", false))));
    }

    // A refused first message does not make the rest a plain retry: it would only be refused again.
    @Test
    void rawBatchRefusedThenFailingKeepsTheRefusalAndRetriesTheRest() {
        var reject = new Outcome(Verdict.REJECT, "HTTP 400", Optional.empty());
        var retry = new Outcome(Verdict.RETRY, "HTTP 500", Optional.empty());

        var result = (ExportResult.Partial) classifier.rawResult(batch(0, 3), List.of(reject, retry));

        assertThat(result.rejected().get(0L).retryable()).isFalse();
        assertThat(result.rejected().get(1L).retryable()).isTrue();
        assertThat(result.rejected().get(2L).retryable()).isTrue();
    }

    @Test
    void rawBatchStoppedWithoutARetryIsABug() {
        assertThatThrownBy(() -> classifier.rawResult(batch(0, 3), List.of(Outcome.DELIVERED)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static HttpHeaders headers(Map<String, String> values) {
        var all = new HashMap<String, List<String>>();
        values.forEach((name, value) -> all.put(name, List.of(value)));
        return HttpHeaders.of(all, (name, value) -> true);
    }

    private static Batch batch(long first, int count) {
        var messages = new ArrayList<Message>();
        for (long i = first; i < first + count; i++) {
            messages.add(new Message(i, 0, new byte[] {1}));
        }
        return new Batch(StreamName.of("s"), "e", messages, 1);
    }
}
