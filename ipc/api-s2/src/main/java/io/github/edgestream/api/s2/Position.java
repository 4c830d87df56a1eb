package io.github.edgestream.api.s2;

/**
 * A position in an S2 stream ({@code StreamPosition}): a sequence number and the timestamp of the record there, in
 * milliseconds. As a tail: the next sequence number to be assigned and the newest record's timestamp (0 for a stream
 * that never had one).
 */
record Position(long seqNum, long timestampMillis) {
}
