package io.github.edgestream.core.export;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.export.spi.ExporterContext;
import io.github.edgestream.core.export.spi.ExporterProvider;
import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.ExportKind;
import io.github.edgestream.core.model.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Failure injection for the runtime's tests: an exporter (HTTP kind unless told otherwise) whose verdicts a test
 * scripts, and which records every batch it is handed. The script gets the batch and the exporter's context (to send
 * notices). Thread-safe.
 */
final class ScriptedExporterProvider implements ExporterProvider {

    /** A batch as the exporter saw it, with the export it came from. */
    record Call(String stream, String export, List<Long> sequenceNumbers, int attempt) {
    }

    private final ExportKind kind;
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private volatile BatchLimits limits = new BatchLimits(500, 1024, 64 * 1024);
    private volatile java.util.function.BiFunction<Batch, ExporterContext, ExportResult> script =
            (batch, context) -> ExportResult.DELIVERED;
    private final Object gate = new Object();
    private boolean held;

    /** An exporter of HTTP exports. */
    ScriptedExporterProvider() {
        this(ExportKind.HTTP);
    }

    ScriptedExporterProvider(ExportKind kind) {
        this.kind = kind;
    }

    @Override
    public ExportKind kind() {
        return kind;
    }

    @Override
    public Exporter create(ExportConfig config, ExporterContext context) {
        created.incrementAndGet();
        BatchLimits fixed = limits;
        return new Exporter() {
            @Override
            public BatchLimits limits() {
                return fixed;
            }

            @Override
            public ExportResult export(Batch batch) throws InterruptedException {
                entered.incrementAndGet();
                synchronized (gate) {
                    while (held) {
                        gate.wait();
                    }
                }
                var result = script.apply(batch, context);
                synchronized (calls) {
                    calls.add(new Call(batch.stream().value(), batch.exportIdentifier(),
                            batch.messages().stream().map(Message::sequenceNumber).toList(), batch.attempt()));
                    calls.notifyAll();
                }
                return result;
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }

    ScriptedExporterProvider limits(BatchLimits value) {
        limits = value;
        return this;
    }

    ScriptedExporterProvider answer(Function<Batch, ExportResult> value) {
        script = (batch, context) -> value.apply(batch);
        return this;
    }

    ScriptedExporterProvider answer(java.util.function.BiFunction<Batch, ExporterContext, ExportResult> value) {
        script = value;
        return this;
    }

    /** Calls wait at the door until {@link #release()}. */
    void hold() {
        synchronized (gate) {
            held = true;
        }
    }

    void release() {
        synchronized (gate) {
            held = false;
            gate.notifyAll();
        }
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Calls begun, including those waiting at the door. */
    int entered() {
        return entered.get();
    }

    int created() {
        return created.get();
    }

    int closed() {
        return closed.get();
    }

    /** Every sequence number handed over for {@code export} so far, in call order. */
    List<Long> sent(String export) {
        return calls().stream().filter(call -> call.export().equals(export))
                .flatMap(call -> call.sequenceNumbers().stream()).toList();
    }

    /** Waits until at least {@code count} calls were made. */
    List<Call> awaitCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (calls) {
            while (calls.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " export calls, got " + calls);
                }
                TimeUnit.NANOSECONDS.timedWait(calls, left);
            }
            return List.copyOf(calls);
        }
    }

    /** Polls a condition the runtime makes true on its own threads, for at most 10 s. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
