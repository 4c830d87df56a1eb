package io.github.edgestream.exporter.kinesis.archfixture;

import io.github.edgestream.core.stream.internal.SegmentedStreamStore;

/** Deliberately breaks the rules: an exporter that uses the store's implementation. Self-test only. */
public final class ExporterReachingIntoTheStore {

    public Class<?> store() {
        return SegmentedStreamStore.class;
    }
}
