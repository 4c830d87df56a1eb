package io.github.edgestream.exporter.http;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.exporter.http.HttpResponseClassifier.Outcome;
import io.github.edgestream.exporter.http.HttpResponseClassifier.Verdict;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POSTs the batches of one HTTP export of one stream: one request per message (RAW_NOT_BATCHED, in order,
 * stopping at the first message to retry) or one per batch (JSON_BATCHED). {@link HttpRequestBuilder} makes the
 * requests, {@link HttpResponseClassifier} judges the answers.
 *
 * <p>Each instance owns a {@link HttpClient} (HTTP/1.1, redirects not followed, the JVM's proxy settings) and the
 * executor it runs on. Every POST, from connecting to the last byte of the answer, is bounded by the destination's
 * {@code callTimeout}; a server that never answers costs one call timeout and ends as a retry.
 *
 * <p>Errors: every answer and every failure to get one is an {@link ExportResult}; only an interrupt leaves
 * {@link #export} with {@link InterruptedException}, after cancelling the call in flight. Java 17's client cannot be
 * closed: {@link #close()} stops its executor, and its selector thread and idle connections go when it is collected.
 *
 * <p>Not thread-safe; the runtime calls {@link #export} from one thread at a time, and {@link #close()} after it.
 */
public final class HttpExporter implements Exporter {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpExporterConfig config;
    private final ExecutorService executor;
    private final HttpClient client;
    private final HttpRequestBuilder requests;
    private final HttpResponseClassifier classifier;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Builds the client; connects to nothing. */
    public HttpExporter(HttpExporterConfig config, ExporterContext context) {
        this.config = config;
        String threadName = "exporter.http " + context.stream().value() + " #";
        this.executor = Executors.newCachedThreadPool(task -> {
            var thread = new Thread(task, threadName + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.callTimeout())
                .executor(executor)
                .build();
        this.requests = new HttpRequestBuilder(config);
        this.classifier = new HttpResponseClassifier(config, context.clock());
    }

    @Override
    public BatchLimits limits() {
        return config.limits();
    }

    @Override
    public ExportResult export(Batch batch) throws InterruptedException {
        if (closed.get()) {
            throw new IllegalStateException("the HTTP exporter for " + config.uriForPeople() + " is closed");
        }
        if (config.format() == ExportFormat.JSON_BATCHED) {
            return classifier.batchResult(send(requests.json(batch), describe(batch.messages())));
        }
        List<Outcome> outcomes = new ArrayList<>(batch.messages().size());
        for (Message message : batch.messages()) {
            Outcome outcome = send(requests.raw(batch, message), describe(List.of(message)));
            outcomes.add(outcome);
            if (outcome.verdict() == Verdict.RETRY) {
                break;
            }
        }
        return classifier.rawResult(batch, outcomes);
    }

    /** One POST, bounded by the call timeout as a whole (the request's own timeout ends at the headers). */
    private Outcome send(HttpRequest request, String call) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("stopped before " + call);
        }
        CompletableFuture<HttpResponse<byte[]>> response =
                client.sendAsync(request, HttpResponseClassifier.bodyHead());
        try {
            var answer = response.get(config.callTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return classifier.answered(call, answer.statusCode(), answer.headers(), answer.body());
        } catch (TimeoutException e) {
            response.cancel(true);
            return classifier.timedOut(call);
        } catch (ExecutionException e) {
            return classifier.failed(call, e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        }
    }

    private String describe(List<Message> messages) {
        String what = messages.size() == 1
                ? "message " + messages.get(0).sequenceNumber()
                : messages.size() + " messages " + messages.get(0).sequenceNumber() + ".."
                        + messages.get(messages.size() - 1).sequenceNumber();
        return "POST of " + what + " to " + config.uriForPeople();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            executor.shutdownNow();
        }
    }

    /** For tests: waits until the executor's threads have ended after {@link #close()}. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
