package io.github.edgestream.core.stream;

import io.github.edgestream.core.model.StreamName;

/**
 * A read or write addressed a partitioned stream as a whole: its records live in its partitions, each numbered on
 * its own, so they must be addressed one partition at a time ({@link StreamStore#partitions}); the Kinesis and OCI
 * APIs do. Nothing was written.
 */
public final class PartitionedStreamException extends StreamStoreException {

    public PartitionedStreamException(StreamName stream, int partitions, String operation) {
        super("stream \"" + stream + "\" has " + partitions + " partitions, each with its own sequence numbers; "
                + operation + " addresses one partition, not the stream as a whole (the Greengrass API reads and"
                + " writes streams of one partition; use the Kinesis or OCI API for this one)");
    }
}
