package io.github.edgestream.core.export;

import io.github.edgestream.core.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Keeps every export event, and lets a test wait for them. Thread-safe. */
final class RecordingExportListener implements ExportListener {

    /** An event in short: its type and its messages' sequence numbers. */
    record Seen(ExportEvent.Type type, List<Long> sequenceNumbers) {
        @Override
        public String toString() {
            return type + " " + sequenceNumbers;
        }
    }

    private final List<ExportEvent> events = new ArrayList<>();

    @Override
    public synchronized void onEvent(ExportEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<ExportEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<Seen> seen() {
        return events.stream().map(e -> new Seen(e.type(), e.messages().stream().map(Message::sequenceNumber)
                .toList())).toList();
    }

    /** Waits until at least {@code count} events arrived, for at most 10 s. */
    synchronized List<Seen> await(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " export events, got " + seen());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return seen();
    }

    static Seen seen(ExportEvent.Type type, Long... sequenceNumbers) {
        return new Seen(type, List.of(sequenceNumbers));
    }
}
