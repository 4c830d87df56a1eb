package io.github.edgestream.ipc.client;

import java.time.Instant;

/**
 * One cursor of a stream as the server lists it: a consumer's named position, a consumer group's (its lowest
 * partition's), or an export's progress.
 *
 * @param kind CONSUMER, GROUP or EXPORT
 */
public record CursorInfo(String name, String kind, long position, long generation, Instant updatedAt) {
}
