package io.github.edgestream.bench;

import static io.github.edgestream.bench.Bench.seconds;

import io.github.edgestream.core.model.DataSize;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.core.model.StrategyOnFull;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.stream.AppendRecord;
import io.github.edgestream.ipc.client.StreamManagerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The Greengrass protocol's phases that KinesisApiBenchmark and S2ApiBenchmark measure their API against, on one
 * {@link StreamManagerClient}: File streams with RejectNewData (maxSize and flushOnWrite as the benchmark's own
 * streams have them), appendMessage with {@value #IN_FLIGHT} requests in flight, appendBatch (extension) one batch
 * at a time or K in flight, readMessages of up to {@value #READ_LIMIT} one request at a time, and appendMessage one at
 * a time for latency. The payloads come from the benchmark's own pool, in its order; a write phase stops early at
 * {@code maxRecords}. Not thread-safe; the benchmark's main thread.
 */
final class GreengrassLoad {

    /** appendMessage requests in flight in {@link #appendInFlight}. */
    static final int IN_FLIGHT = 64;
    /** readMessages' maxMessageCount. */
    static final int READ_LIMIT = 10_000;

    private final StreamManagerClient client;
    private final Supplier<byte[]> payloads;
    private final long maxRecords;
    private final DataSize maxSize;
    private final boolean flushOnWrite;
    private final boolean trace;

    /**
     * Phases on {@code client}, their records from {@code payloads}, each write phase cut at {@code maxRecords}; its
     * streams of {@code maxSize} and {@code flushOnWrite}; with {@code trace}, the write phases print a
     * {@link Bench.Trace}.
     */
    GreengrassLoad(StreamManagerClient client, Supplier<byte[]> payloads, long maxRecords, DataSize maxSize,
            boolean flushOnWrite, boolean trace) {
        this.client = client;
        this.payloads = payloads;
        this.maxRecords = maxRecords;
        this.maxSize = maxSize;
        this.flushOnWrite = flushOnWrite;
        this.trace = trace;
    }

    /** A File stream, RejectNewData, of this load's maxSize and flushOnWrite. */
    void createStream(String stream) throws Exception {
        client.createMessageStream(StreamDefinition.builder(stream, StrategyOnFull.REJECT_NEW_DATA)
                .maxSize(maxSize).flushOnWrite(flushOnWrite).build()).get(10, TimeUnit.SECONDS);
    }

    /**
     * appendMessage with {@value #IN_FLIGHT} requests in flight until the time is up or maxRecords were sent; all are
     * awaited. Failed appends are counted (and the first printed), not fatal.
     */
    Throughput appendInFlight(String stream, double phaseSeconds) throws Exception {
        var permits = new Semaphore(IN_FLIGHT);
        var done = new AtomicLong();
        var failed = new AtomicLong();
        var firstFailure = new AtomicReference<Throwable>();
        long start = System.nanoTime();
        long deadline = start + (long) (phaseSeconds * 1e9);
        long sent = 0;
        var trace = new Bench.Trace(stream, this.trace);
        while (System.nanoTime() < deadline && sent < maxRecords) {
            permits.acquire();
            sent++;
            trace.at(sent);
            client.appendMessage(stream, payloads.get()).whenComplete((sequence, error) -> {
                if (error == null) {
                    done.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, error);
                }
                permits.release();
            });
        }
        trace.done();
        if (!permits.tryAcquire(IN_FLIGHT, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("appends still in flight after 60 s");
        }
        double elapsed = seconds(start);
        if (firstFailure.get() != null) {
            System.out.printf("  %s: %d appends failed, first: %s%n", stream, failed.get(), firstFailure.get());
        }
        return new Throughput(done.get(), elapsed, failed.get());
    }

    /**
     * appendBatch (extension) of {@code batch} records, one batch at a time (each awaited before the next is built),
     * until the time is up or the next batch would pass maxRecords.
     */
    Throughput appendBatches(String stream, double phaseSeconds, int batch) throws Exception {
        long start = System.nanoTime();
        long deadline = start + (long) (phaseSeconds * 1e9);
        long written = 0;
        while (System.nanoTime() < deadline && written + batch <= maxRecords) {
            client.appendBatch(stream, records(batch), OptionalLong.empty(), null).get(30, TimeUnit.SECONDS);
            written += batch;
        }
        return new Throughput(written, seconds(start), 0);
    }

    /**
     * appendBatch (extension) of {@code batch} records with {@code inFlight} batches in flight (the next one built
     * while they are) until the time is up, the next batch would pass maxRecords, or one failed; all are awaited, and
     * a failure fails the phase.
     */
    Throughput appendBatchesInFlight(String stream, double phaseSeconds, int batch, int inFlight) throws Exception {
        var permits = new Semaphore(inFlight);
        var done = new AtomicLong();
        var firstFailure = new AtomicReference<Throwable>();
        long start = System.nanoTime();
        long deadline = start + (long) (phaseSeconds * 1e9);
        long sent = 0;
        var trace = new Bench.Trace(stream, this.trace);
        while (System.nanoTime() < deadline && sent + batch <= maxRecords && firstFailure.get() == null) {
            var records = records(batch);
            permits.acquire();
            sent += batch;
            trace.at(sent);
            client.appendBatch(stream, records, OptionalLong.empty(), null).whenComplete((result, error) -> {
                if (error == null) {
                    done.addAndGet(batch);
                } else {
                    firstFailure.compareAndSet(null, error);
                }
                permits.release();
            });
        }
        trace.done();
        if (!permits.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("batches still in flight after 60 s");
        }
        double elapsed = seconds(start);
        if (firstFailure.get() != null) {
            throw new IllegalStateException(stream + ": appendBatch failed", firstFailure.get());
        }
        return new Throughput(done.get(), elapsed, 0);
    }

    private List<AppendRecord> records(int batch) {
        var records = new ArrayList<AppendRecord>(batch);
        for (int i = 0; i < batch; i++) {
            records.add(AppendRecord.of(payloads.get()));
        }
        return records;
    }

    /**
     * readMessages of up to {@value #READ_LIMIT} from {@code from}, one request at a time, until {@code expected}
     * came back.
     */
    Throughput readMessages(String stream, long from, long expected) throws Exception {
        return readMessages(stream, from, expected, READ_LIMIT);
    }

    /** As {@link #readMessages(String, long, long)} with pages of up to {@code limit} messages. */
    Throughput readMessages(String stream, long from, long expected, int limit) throws Exception {
        long start = System.nanoTime();
        long read = 0;
        long position = from;
        while (read < expected) {
            List<Message> page = client.readMessages(stream, position, 1, limit, Duration.ofSeconds(5))
                    .get(30, TimeUnit.SECONDS);
            read += page.size();
            position = page.get(page.size() - 1).sequenceNumber() + 1;
        }
        return new Throughput(read, seconds(start), 0);
    }

    /** appendMessage of one 1 KiB record, one request at a time: each request's nanoseconds, in order. */
    long[] appendNanos(String stream, int requests) throws Exception {
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            byte[] data = payloads.get();
            long start = System.nanoTime();
            client.appendMessage(stream, data).get(10, TimeUnit.SECONDS);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }
}
